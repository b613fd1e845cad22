"""`forecast`: how likely each finish date of a plan is, and what drives it.

Chunks run in order until the stopping rule holds: a fixed sample count, or
(with `precision`) until the 95% confidence interval of the P80 is at most
`precision` days wide on either side, capped at `samples`. The rule is checked
after every chunk in chunk order, so (seed, rule) fixes the result.

Memory is bounded in the samples: the project's percentiles are exact (its
duration is kept, 4 bytes a sample, and each risk's re-run alike); each task's
finish percentiles come from a fixed-size histogram, off by at most one bin
(`Precision.task_finish_error` days); cruciality is a rank correlation on the
first `SUBSAMPLE` samples (`Precision.rank_samples`, standard error 0.02).
"""

from __future__ import annotations

import sys
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
from simulation import tally as tallies
from simulation.montecarlo import Engine, Simulation, chunk_sizes
from simulation.parallel import run_chunks
from simulation.tally import SUBSAMPLE, Totals

MAX_SAMPLES = 1_000_000
MAX_WORKERS = 64
KERNELS = ("auto", "numpy", "numba")
# When "auto" compiles: importing numba and loading its cached kernels costs
# ~0.5 s of CPU (and ~50 MB), what the NumPy passes take for ~2 x 10^7
# task-samples; and on small networks NumPy's passes, a few calls per task
# over 4,096 samples, are close to the compiled ones anyway.
COMPILED_FROM = 5 * 10**7  # task-samples of passes, each risk's re-runs included
COMPILED_TASKS = 200


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
    kernel: str = "auto",
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
    scaled by (domain.calibration). kernel: how the committed engine's
    passes run, "numpy", "numba" (compiled, `simulation.kernels`: the same
    bits) or "auto" (numba where its start-up pays, `compiles`); the
    forecast says which ran.
    """
    began = time.perf_counter()
    _check_run(samples, seed, engine, precision, workers)
    if kernel not in KERNELS:
        raise ValidationError.at("kernel", f"must be one of {', '.join(KERNELS)}")
    project = leaf_project(project)  # summary tasks span their leaves
    compiled = engine == Engine.COMMITTED and (
        kernel == "numba" or (kernel == "auto" and compiles(project, samples))
    )
    simulation = Simulation.prepare(
        project, plan, Engine(engine), risk_drivers, calibration, compiled
    )
    rule = Rule(samples, precision)
    tally = _Tally.run(simulation, rule, seed, lhs, workers, on_samples)
    durations = tally.durations
    ordered = np.sort(durations)
    return Forecast(
        samples=durations.size,
        seed=seed,
        duration=statistics.summarise_rows(durations[None, :])[0],
        tasks=tally.task_forecasts(project, durations),
        deadline=project.deadline,
        deadline_probability=_probability_by(durations, project.deadline),
        plan_id=plan.id,
        engine=simulation.engine.value,
        sampling="lhs" if lhs else "random",
        project_version=project_version,
        s_curve=statistics.s_curve(ordered),
        plan_finish=None if plan.makespan is None else float(plan.makespan),
        plan_percentile=_probability_by(durations, plan.makespan),
        precision=Precision(
            statistics.CONFIDENCE,
            statistics.intervals(ordered),
            precision,
            samples,
            task_finish_error=float(simulation.tracking.bin_width.max(initial=0.0)),
            rank_samples=min(SUBSAMPLE, durations.size),
        ),
        risks=tally.risk_forecasts(project, durations),
        runtime_seconds=time.perf_counter() - began,
        kernel="numba" if simulation.compiled else "numpy",
    )


def compiles(project: Project, samples: int) -> bool:
    """Whether "auto" runs the compiled passes: on a network of at least
    `COMPILED_TASKS` tasks, when numba is loaded already or the passes come
    to `COMPILED_FROM` task-samples (each risk re-runs the samples it occurs
    in)."""
    if len(project.tasks) < COMPILED_TASKS:
        return False
    reruns = sum(risk.probability for risk in project.risks)
    work = len(project.tasks) * samples * (1 + reruns)
    return "numba" in sys.modules or work >= COMPILED_FROM


@dataclass
class _Tally:
    """What a forecast keeps of its samples: the project durations and each
    risk's re-run (4 bytes per sample each), per-task sums, counts and finish
    histograms (fixed size), the durations of the first SUBSAMPLE samples."""

    simulation: Simulation
    totals: Totals = field(default_factory=Totals)

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
        """Chunks in order until the rule is met or the samples are used."""
        tally = cls(simulation)
        chunks = list(enumerate(chunk_sizes(rule.samples)))
        durations = tally.totals.project
        for stats in run_chunks(simulation, chunks, seed, lhs, workers):
            tally.totals.add(stats)
            if on_samples is not None:
                on_samples(sum(part.size for part in durations))
            if rule.done(durations):
                break
        return tally

    def total(self, name: str) -> NDArray[Any]:
        """A per-task (or per-risk) figure summed over the chunks."""
        return self.totals.summed[name]

    @property
    def durations(self) -> NDArray[np.float32]:
        return np.concatenate(self.totals.project)

    def task_forecasts(
        self, project: Project, durations: NDArray[np.float32]
    ) -> tuple[TaskForecast, ...]:
        """Finish percentiles (from the histograms) and driver figures."""
        samples = durations.size
        tracking = self.simulation.tracking
        project_std = float(durations.std(dtype=np.float64))
        means, stds = tallies.moments(
            self.total("finish_sum"), self.total("finish_square"), samples
        )
        _, duration_stds = tallies.moments(
            self.total("duration_sum"), self.total("duration_square"), samples
        )
        quantiles = tallies.histogram_quantiles(
            self.total("histogram"),
            tracking,
            np.array(list(statistics.QUANTILES.values())) / 100,
            self.totals.seen,
        )
        kept = np.concatenate(self.totals.kept, axis=1)
        cruciality = statistics.spearman_rows(kept, durations[: kept.shape[1]])
        criticality = self.total("critical_counts") / samples
        on_plan = self.total("on_plan") / samples
        ratio = duration_stds / project_std if project_std > 0 else 0 * duration_stds
        return tuple(
            TaskForecast(
                task.id,
                Percentiles(
                    float(tracking.finish_low[k] + means[k]),
                    float(stds[k]),
                    *quantiles[k].tolist(),
                ),
                float(criticality[k]),
                cruciality=float(cruciality[k]),
                sensitivity=float(criticality[k] * ratio[k]),
                duration_std=float(duration_stds[k]),
                plan_percentile=float(on_plan[k]),
            )
            for k, task in enumerate(project.tasks)
        )

    def risk_forecasts(
        self, project: Project, durations: NDArray[np.float32]
    ) -> tuple[RiskForecast, ...]:
        """Days each risk adds at P80 and on average (same samples, risk off)."""
        p80 = _p80(durations)
        mean = float(durations.mean(dtype=np.float64))
        samples = durations.size
        without = np.concatenate(self.totals.without, axis=1)
        occurrences = self.total("risk_counts")
        return tuple(
            RiskForecast(
                risk.id,
                occurrence=float(occurrences[k]) / samples,
                p80_days=p80 - _p80(without[k]),
                mean_days=mean - float(without[k].mean(dtype=np.float64)),
            )
            for k, risk in enumerate(project.risks)
        )


def _p80(values: NDArray[np.float32]) -> float:
    return float(statistics.sorted_quantiles(np.sort(values), np.array([0.8]))[0])


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
