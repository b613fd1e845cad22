"""Task durations per sample: three-point estimates plus risk events.

Every draw is vectorised over the samples of a chunk and made in a fixed order
(task estimates by distribution, then risk occurrences, then risk impacts), so
a chunk's durations depend only on its generator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from domain import Distribution, Estimate, Project

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]


@dataclass(frozen=True)
class ThreePoint:
    """Three-point estimates as parameter arrays, one entry per estimate."""

    low: FloatArray
    mode: FloatArray
    high: FloatArray
    kind: tuple[Distribution, ...]

    @classmethod
    def of(cls, estimates: Sequence[Estimate]) -> ThreePoint:
        """Parameter arrays for `estimates`, in order."""
        return cls(
            low=np.array([e.optimistic for e in estimates], dtype=np.float64),
            mode=np.array([e.most_likely for e in estimates], dtype=np.float64),
            high=np.array([e.pessimistic for e in estimates], dtype=np.float64),
            kind=tuple(e.distribution for e in estimates),
        )

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draws of shape (estimates, size), one row per estimate."""
        draws = np.empty((len(self.kind), size))
        for distribution, sampler in _SAMPLERS:
            rows = [row for row, kind in enumerate(self.kind) if kind == distribution]
            if rows:
                low, mode, high = (
                    values[rows, None] for values in (self.low, self.mode, self.high)
                )
                draws[rows] = sampler(rng, low, mode, high, size)
        return draws


def triangular(
    rng: np.random.Generator,
    low: FloatArray,
    mode: FloatArray,
    high: FloatArray,
    size: int,
) -> FloatArray:
    """Triangular draws by inverse CDF; optimistic == pessimistic gives a constant."""
    width = high - low
    safe_width = np.where(width > 0, width, 1.0)
    split = np.where(width > 0, (mode - low) / safe_width, 0.0)
    uniform = rng.random((low.shape[0], size))
    rising = low + np.sqrt(uniform * width * (mode - low))
    falling = high - np.sqrt((1 - uniform) * width * (high - mode))
    return np.where(uniform < split, rising, falling)


def pert(
    rng: np.random.Generator,
    low: FloatArray,
    mode: FloatArray,
    high: FloatArray,
    size: int,
) -> FloatArray:
    """PERT draws: low + (high - low) * Beta(1 + 4(m-a)/(b-a), 1 + 4(b-m)/(b-a))."""
    width = high - low
    safe_width = np.where(width > 0, width, 1.0)
    alpha = 1 + 4 * (mode - low) / safe_width
    beta = 1 + 4 * (high - mode) / safe_width
    shape = (low.shape[0], size)
    return low + width * rng.beta(alpha, beta, size=shape)


def uniform(
    rng: np.random.Generator,
    low: FloatArray,
    mode: FloatArray,
    high: FloatArray,
    size: int,
) -> FloatArray:
    """Uniform draws on [optimistic, pessimistic]; the most likely value is unused."""
    return low + (high - low) * rng.random((low.shape[0], size))


_SAMPLERS = (
    (Distribution.TRIANGULAR, triangular),
    (Distribution.PERT, pert),
    (Distribution.UNIFORM, uniform),
)


@dataclass(frozen=True)
class DurationModel:
    """What varies between samples: estimated durations and risk events."""

    fixed: FloatArray  # per task; 0 where the task has an estimate
    estimated: IndexArray  # tasks with an estimate, in `estimates` order
    estimates: ThreePoint
    risk_probability: FloatArray
    risk_tasks: tuple[IndexArray, ...]
    risk_impact: FloatArray  # fixed impacts; 0 where the impact is an estimate
    risk_estimated: IndexArray
    risk_estimates: ThreePoint

    @classmethod
    def of(cls, project: Project) -> DurationModel:
        """The duration model of a validated project."""
        task_estimates = [
            (index, task.estimate)
            for index, task in enumerate(project.tasks)
            if task.estimate is not None
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
        return cls(
            fixed=np.array(fixed, dtype=np.float64),
            estimated=np.array([i for i, _ in task_estimates], dtype=np.intp),
            estimates=ThreePoint.of([e for _, e in task_estimates]),
            risk_probability=np.array(
                [risk.probability for risk in project.risks], dtype=np.float64
            ),
            risk_tasks=tuple(_task_rows(project, r.tasks) for r in project.risks),
            risk_impact=np.array(
                [0.0 if isinstance(i, Estimate) else i for i in impacts],
                dtype=np.float64,
            ),
            risk_estimated=np.array([i for i, _ in impact_estimates], dtype=np.intp),
            risk_estimates=ThreePoint.of([e for _, e in impact_estimates]),
        )

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Durations of shape (tasks, size) for one chunk of samples."""
        durations = np.repeat(self.fixed[:, None], size, axis=1)
        durations[self.estimated] = self.estimates.sample(rng, size)
        occurs = (
            rng.random((len(self.risk_tasks), size)) < self.risk_probability[:, None]
        )
        impact = np.repeat(self.risk_impact[:, None], size, axis=1)
        impact[self.risk_estimated] = self.risk_estimates.sample(rng, size)
        for risk, rows in enumerate(self.risk_tasks):
            # Each risk adds its impact to each listed task in the samples where
            # it occurs: an occurrence, never probability x impact on average.
            durations[rows] += np.where(occurs[risk], impact[risk], 0.0)
        return durations


def _task_rows(project: Project, task_ids: Sequence[str]) -> IndexArray:
    """Unique task indices, so a task listed twice is hit once per occurrence."""
    return np.unique(np.array([project.task_index[t] for t in task_ids], dtype=np.intp))
