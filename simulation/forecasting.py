"""`forecast`: how likely each finish date of a plan is, and what drives it.

Chunks run in order until the stopping rule holds: a fixed sample count, or
(with `precision`) until the 95% confidence interval of the P80 is at most
`precision` days wide on either side, capped at `samples`. The rule is checked
after every chunk in chunk order, so (seed, rule) fixes the result.

Percentiles are exact over all samples, so every task's durations and
finishes are kept (float32). When tasks x samples exceeds `FINISH_BUDGET` the
tasks are split into blocks and the chunks are re-run (same seeds) once per
further block, trading time for bounded memory.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from domain import (
    Forecast,
    Percentiles,
    Plan,
    Precision,
    Project,
    RiskForecast,
    TaskForecast,
    ValidationError,
)
from domain.outline import leaf_project
from simulation import statistics
from simulation.montecarlo import ChunkResult, Engine, Simulation, chunk_sizes
from simulation.parallel import run_chunks

MAX_SAMPLES = 1_000_000
MAX_WORKERS = 64
FINISH_BUDGET = 128_000_000  # float32 task durations + finishes kept (512 MB)


@dataclass(frozen=True)
class Rule:
    """When to stop: `samples` (a cap when `precision` is given), or the P80's
    confidence half-width at most `precision` days."""

    samples: int
    precision: float | None = None

    def done(self, durations: list[NDArray[np.float32]]) -> bool:
        if self.precision is None:
            return False
        ordered = np.sort(np.concatenate(durations))
        return statistics.quantile_interval(ordered, 0.8).half_width <= self.precision


def forecast(
    project: Project,
    plan: Plan,
    samples: int = 10_000,
    seed: int = 0,
    *,
    engine: str = Engine.COMMITTED,
    precision: float | None = None,
    lhs: bool = False,
    workers: int = 1,
    risk_drivers: bool = True,
    project_version: int | None = None,
    on_samples: Callable[[int], None] | None = None,
    calibration: Mapping[str, float] | None = None,
) -> Forecast:
    """Monte Carlo forecast of `plan`: finish percentiles, their error, drivers.

    engine: "committed" keeps the plan's order on shared resources; "dynamic"
    lets tasks take free resources by plan priority (SimPy, far slower).
    precision: stop once the P80 is known within this many days (95%);
    `samples` is then the cap. lhs: Latin hypercube sampling. workers: worker
    processes (results do not depend on it). risk_drivers: re-run the samples
    each risk occurred in with it switched off (its days at P80). The same
    (project, plan, samples, seed, engine, precision, lhs) gives the same
    forecast. on_samples: told the samples done after each chunk (progress).
    forecast. calibration: task id -> factor its unfinished estimate is
    scaled by (domain.calibration).
    """
    began = time.perf_counter()
    _check_run(samples, seed, engine, precision, workers)
    project = leaf_project(project)  # summary tasks span their leaves
    simulation = Simulation.prepare(
        project, plan, Engine(engine), risk_drivers, calibration
    )
    rule = Rule(samples, precision)
    tally = _Tally.run(simulation, rule, seed, lhs, workers, on_samples)
    ordered = np.sort(tally.durations)
    return Forecast(
        samples=tally.durations.size,
        seed=seed,
        duration=statistics.summarise_rows(tally.durations[None, :])[0],
        tasks=tally.task_forecasts(project, plan),
        deadline=project.deadline,
        deadline_probability=_probability_by(tally.durations, project.deadline),
        plan_id=plan.id,
        engine=simulation.engine.value,
        sampling="lhs" if lhs else "random",
        project_version=project_version,
        s_curve=statistics.s_curve(ordered),
        plan_finish=None if plan.makespan is None else float(plan.makespan),
        plan_percentile=_probability_by(tally.durations, plan.makespan),
        precision=Precision(
            statistics.CONFIDENCE, statistics.intervals(ordered), precision, samples
        ),
        risks=tally.risk_forecasts(project),
        runtime_seconds=time.perf_counter() - began,
    )


@dataclass
class _Tally:
    """What a forecast keeps of the samples, block by block of tasks."""

    durations: NDArray[np.float32]
    critical_counts: NDArray[np.int64]
    without_risk: NDArray[np.float32]
    risk_counts: NDArray[np.int64]
    blocks: list[tuple[slice, NDArray[np.float32], NDArray[np.float32]]] = field(
        default_factory=list
    )

    @classmethod
    def run(
        cls,
        simulation: Simulation,
        rule: Rule,
        seed: int,
        lhs: bool,
        workers: int,
        on_samples: Callable[[int], None] | None = None,
    ) -> _Tally:
        """The first pass decides the sample count; later blocks re-run it
        (without the risk drivers, already known)."""
        task_count = simulation.network.task_count
        block = max(1, FINISH_BUDGET // (2 * rule.samples))
        rows = slice(0, min(block, task_count))
        chunks = list(enumerate(chunk_sizes(rule.samples)))
        kept = _Kept(rows, rule.samples)
        parts: dict[str, list[Any]] = {}
        for result in run_chunks(simulation, chunks, seed, lhs, workers):
            kept.add(result)
            for name, value in (
                ("project", result.project_duration),
                ("critical", result.critical_counts[:, None]),
                ("without", result.without_risk),
                ("risks", result.risk_counts[:, None]),
            ):
                parts.setdefault(name, []).append(value)
            if on_samples is not None:
                on_samples(sum(part.size for part in parts["project"]))
            if rule.done(parts["project"]):
                break
        used = chunks[: len(parts["project"])]
        tally = cls(
            durations=np.concatenate(parts["project"]),
            critical_counts=np.hstack(parts["critical"]).sum(axis=1),
            without_risk=np.hstack(parts["without"]),
            risk_counts=np.hstack(parts["risks"]).sum(axis=1),
        )
        tally.blocks.append(kept.block())
        rerun = dataclasses.replace(simulation, risk_drivers=False)
        for first in range(rows.stop, task_count, block):
            kept = _Kept(slice(first, min(first + block, task_count)), kept.filled)
            for result in run_chunks(rerun, used, seed, lhs, workers):
                kept.add(result)
            tally.blocks.append(kept.block())
        return tally

    def task_forecasts(self, project: Project, plan: Plan) -> tuple[TaskForecast, ...]:
        """Finish percentiles and driver figures of every task."""
        samples = self.durations.size
        project_std = float(self.durations.std(dtype=np.float64))
        planned = {s.task_id: s.finish for s in plan.tasks}
        forecasts = []
        for rows, durations, finishes in self.blocks:
            summaries = statistics.summarise_rows(finishes)
            stds = durations.std(axis=1, dtype=np.float64)
            cruciality = statistics.spearman_rows(durations, self.durations)
            for k, task in enumerate(project.tasks[rows]):
                criticality = float(self.critical_counts[rows.start + k]) / samples
                ratio = float(stds[k]) / project_std if project_std > 0 else 0.0
                on_plan = np.count_nonzero(finishes[k] <= planned[task.id] + 1e-6)
                forecasts.append(
                    TaskForecast(
                        task.id,
                        summaries[k],
                        criticality,
                        cruciality=float(cruciality[k]),
                        sensitivity=criticality * ratio,
                        duration_std=float(stds[k]),
                        plan_percentile=on_plan / samples,
                    )
                )
        return tuple(forecasts)

    def risk_forecasts(self, project: Project) -> tuple[RiskForecast, ...]:
        """Days each risk adds at P80 and on average (same samples, risk off)."""
        p80 = float(np.percentile(self.durations, 80))
        mean = float(self.durations.mean(dtype=np.float64))
        samples = self.durations.size
        return tuple(
            RiskForecast(
                risk.id,
                occurrence=float(self.risk_counts[k]) / samples,
                p80_days=p80 - float(np.percentile(self.without_risk[k], 80)),
                mean_days=mean - float(self.without_risk[k].mean(dtype=np.float64)),
            )
            for k, risk in enumerate(project.risks)
        )


class _Kept:
    """Durations and finishes of a block of tasks, chunk by chunk, copied into
    arrays allocated once (so no chunk's other arrays stay alive)."""

    def __init__(self, rows: slice, samples: int) -> None:
        self.rows = rows
        shape = (rows.stop - rows.start, samples)
        self.durations = np.empty(shape, dtype=np.float32)
        self.finishes = np.empty(shape, dtype=np.float32)
        self.filled = 0

    def add(self, result: ChunkResult) -> None:
        span = slice(self.filled, self.filled + result.project_duration.size)
        self.durations[:, span] = result.durations[self.rows]
        self.finishes[:, span] = result.finishes[self.rows]
        self.filled = span.stop

    def block(self) -> tuple[slice, NDArray[np.float32], NDArray[np.float32]]:
        used = slice(0, self.filled)
        return self.rows, self.durations[:, used], self.finishes[:, used]


def summarise_rows(values: NDArray[np.floating]) -> list[Percentiles]:
    """Mean, standard deviation (population) and percentiles of each row."""
    return statistics.summarise_rows(values)


def _probability_by(durations: NDArray[np.floating], day: float | None) -> float | None:
    """P(project duration <= day), or None without that day."""
    if day is None:
        return None
    # A duration equal to the day up to float32 round-off still meets it.
    return float(np.mean(durations <= day + 1e-6 * max(1.0, day)))


def _check_run(
    samples: int, seed: int, engine: str, precision: float | None, workers: int
) -> None:
    """Reject run settings that cannot give a meaningful forecast."""
    if isinstance(samples, bool) or not isinstance(samples, int):
        raise ValidationError.at("samples", f"must be an integer, got {samples!r}")
    if not 1 <= samples <= MAX_SAMPLES:
        raise ValidationError.at(
            "samples", f"must be within [1, {MAX_SAMPLES}], got {samples}"
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValidationError.at("seed", f"must be an integer >= 0, got {seed!r}")
    if engine not in {e.value for e in Engine}:
        raise ValidationError.at(
            "engine", f"must be committed or dynamic, got {engine!r}"
        )
    if precision is not None and not (
        isinstance(precision, int | float)
        and not isinstance(precision, bool)
        and precision > 0
    ):
        raise ValidationError.at(
            "precision", f"must be a number of days > 0, got {precision!r}"
        )
    if (
        isinstance(workers, bool)
        or not isinstance(workers, int)
        or not 1 <= workers <= MAX_WORKERS
    ):
        raise ValidationError.at(
            "workers", f"must be within [1, {MAX_WORKERS}], got {workers!r}"
        )
