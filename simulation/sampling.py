"""Task durations per sample: estimates, rank correlation and risk events.

One chunk's draws, in a fixed order from its own generator: a matrix of
uniforms (one row per estimated task, per risk occurrence, per estimated risk
impact; iid or Latin hypercube), then the Iman-Conover reordering of the
correlated rows, then each row through its inverse CDF. A chunk's durations
therefore depend only on its generator and the sampling method.

A risk occurs in a sample when its uniform falls below its probability; it
then adds its impact to each task it lists. Occurrence times impact, never
probability x impact on average.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from domain import Estimate, Project
from simulation.actuals import Actuals, raise_uniforms
from simulation.correlation import RankCorrelation
from simulation.distributions import Quantiles, Uniforms

FloatArray = NDArray[np.float64]
Float32Array = NDArray[np.float32]
IndexArray = NDArray[np.intp]


@dataclass(frozen=True)
class Draws:
    """One chunk: durations (tasks, size) with risks, and each risk's events."""

    durations: Float32Array
    occurs: NDArray[np.bool_]  # (risks, size)
    impact: Float32Array  # (risks, size): the impact drawn, whether it occurs


@dataclass(frozen=True)
class DurationModel:
    """What varies between samples: estimated durations and risk events."""

    fixed: Float32Array  # per task; 0 where the task has an estimate
    estimated: IndexArray  # tasks with an estimate, in `estimates` order
    estimates: Quantiles
    risk_probability: FloatArray
    risk_tasks: tuple[IndexArray, ...]
    risk_impact: FloatArray  # fixed impacts; 0 where the impact is an estimate
    risk_estimated: IndexArray
    risk_estimates: Quantiles
    correlation: RankCorrelation | None
    actuals: Actuals
    conditioned: tuple[IndexArray, FloatArray]  # rule 3 rows and floors F(e)

    @classmethod
    def of(cls, project: Project) -> DurationModel:
        """The duration model of a validated project at its status date."""
        actuals = Actuals.of(project)
        task_estimates = [
            (index, task.estimate)
            for index, task in enumerate(project.tasks)
            if task.estimate is not None and index not in actuals.fixed
        ]
        impacts = [risk.impact for risk in project.risks]
        impact_estimates = [
            (index, impact)
            for index, impact in enumerate(impacts)
            if isinstance(impact, Estimate)
        ]
        fixed = [task.duration or 0.0 for task in project.tasks]
        for index, _ in task_estimates:
            fixed[index] = 0.0
        for index, duration in actuals.fixed.items():
            fixed[index] = duration
        return cls(
            fixed=np.array(fixed, dtype=np.float32),
            estimated=np.array([i for i, _ in task_estimates], dtype=np.intp),
            estimates=Quantiles.of([e for _, e in task_estimates]),
            risk_probability=np.array(
                [risk.probability for risk in project.risks], dtype=np.float64
            ),
            risk_tasks=tuple(
                _task_rows(project, r.tasks, actuals.finished) for r in project.risks
            ),
            risk_impact=np.array(
                [0.0 if isinstance(i, Estimate) else i for i in impacts],
                dtype=np.float64,
            ),
            risk_estimated=np.array([i for i, _ in impact_estimates], dtype=np.intp),
            risk_estimates=Quantiles.of([e for _, e in impact_estimates]),
            correlation=_correlation(project, [i for i, _ in task_estimates]),
            actuals=actuals,
            conditioned=actuals.conditioned_rows(
                np.array([i for i, _ in task_estimates], dtype=np.intp)
            ),
        )

    @property
    def unestimated(self) -> IndexArray:
        """Tasks of a fixed duration (or done): the rows no estimate fills."""
        rows = np.ones(len(self.fixed), np.bool_)
        rows[self.estimated] = False
        return np.flatnonzero(rows)

    @property
    def variable_count(self) -> int:
        """Rows of the uniform matrix: estimates, risk occurrences, impacts."""
        return (
            len(self.estimated) + len(self.risk_probability) + len(self.risk_estimated)
        )

    def sample(self, rng: np.random.Generator, size: int, lhs: bool = False) -> Draws:
        """Durations of shape (tasks, size) for one chunk of samples."""
        rows = self.variable_count
        uniforms: Uniforms = (
            latin_hypercube(rng, rows, size)
            if lhs
            else rng.random((rows, size), dtype=np.float32)
        )
        if self.correlation is not None:
            self.correlation.apply(rng, uniforms)
        first_risk = len(self.estimated)
        first_impact = first_risk + len(self.risk_probability)
        raise_uniforms(uniforms, *self.conditioned)
        durations = np.empty((len(self.fixed), size), np.float32)
        durations[self.unestimated] = self.fixed[self.unestimated, None]
        self.estimates.apply(uniforms[:first_risk], durations, self.estimated)
        self.actuals.scaled.apply(durations)
        occurs = uniforms[first_risk:first_impact] < self.risk_probability[:, None]
        impact = np.repeat(self.risk_impact[:, None].astype(np.float32), size, axis=1)
        impact[self.risk_estimated] = self.risk_estimates.apply(uniforms[first_impact:])
        for risk, hit_rows in enumerate(self.risk_tasks):
            hit = np.where(occurs[risk], impact[risk], np.float32(0))
            durations[hit_rows] += hit
        return Draws(durations, occurs, impact)

    def extremes(self) -> tuple[FloatArray, FloatArray]:
        """Each task's shortest and longest duration in any sample: the
        extremes of its estimate (`Quantiles.extremes`) through its recorded
        progress, with the risks that can hit it."""
        bounds = np.repeat(self.fixed[:, None], 2, axis=1)
        bounds[self.estimated] = np.stack(self.estimates.extremes(), axis=1)
        self.actuals.scaled.apply(bounds)
        low, high = bounds.astype(np.float64).T
        impact_low, impact_high = (np.array(self.risk_impact) for _ in range(2))
        extremes = self.risk_estimates.extremes()
        impact_low[self.risk_estimated], impact_high[self.risk_estimated] = extremes
        for risk, rows in enumerate(self.risk_tasks):
            low[rows] += min(impact_low[risk], 0.0)
            high[rows] += max(impact_high[risk], 0.0)
        return low, high


def latin_hypercube(rng: np.random.Generator, rows: int, size: int) -> FloatArray:
    """Uniforms with exactly one draw in each of `size` equal strata per row."""
    strata = rng.permuted(np.broadcast_to(np.arange(size), (rows, size)), axis=1)
    uniforms: FloatArray = (strata + rng.random((rows, size))) / size
    return uniforms


def _correlation(project: Project, estimated: Sequence[int]) -> RankCorrelation | None:
    """The rank-correlation target over uniform rows, from the document groups."""
    if not project.correlations:
        return None
    row_of = {f"tasks[{project.tasks[t].id}]": k for k, t in enumerate(estimated)}
    row_of |= {
        f"risks[{risk.id}]": len(estimated) + k for k, risk in enumerate(project.risks)
    }
    groups = [
        [row_of[m] for m in group.members if m in row_of]  # finished tasks drop out
        for group in project.correlations
    ]
    members = sorted({row for rows in groups if len(rows) > 1 for row in rows})
    if not members:
        return None
    position = {row: k for k, row in enumerate(members)}
    target = np.eye(len(members))
    for group, group_rows in zip(project.correlations, groups, strict=True):
        if len(group_rows) < 2:
            continue
        rows = [position[row] for row in group_rows]
        for i in rows:
            for j in rows:
                if i != j:
                    target[i, j] = group.coefficient
    return RankCorrelation.of(members, target)


def _task_rows(
    project: Project, task_ids: Sequence[str], finished: frozenset[int]
) -> IndexArray:
    """Unique task indices, so a task listed twice is hit once per occurrence;
    finished tasks are past every risk."""
    rows = {project.task_index[t] for t in task_ids} - finished
    return np.array(sorted(rows), dtype=np.intp)
