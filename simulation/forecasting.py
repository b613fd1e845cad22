"""`forecast`: how likely each finish date of a plan is, by Monte Carlo.

Percentiles are exact over all samples, so every task's finishes are kept
(float32). When tasks x samples exceeds `FINISH_BUDGET` the tasks are split
into blocks and the (reproducible) chunks are re-run once per block, which
trades time for bounded memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from domain import Forecast, Percentiles, Plan, Project, TaskForecast, ValidationError
from simulation.montecarlo import Simulation

MAX_SAMPLES = 1_000_000
FINISH_BUDGET = 50_000_000  # float32 task finishes held at once (200 MB)

_QUANTILES = (10, 50, 80, 90, 95)


def forecast(
    project: Project, plan: Plan, samples: int = 10_000, seed: int = 0
) -> Forecast:
    """Monte Carlo forecast of `plan`: project and task finish percentiles.

    Each sample draws task durations and risk events, keeps the plan's order on
    shared resources, and starts every task as early as its constraints allow.
    The same (project, plan, samples, seed) always gives the same forecast.
    """
    _check_run(samples, seed)
    tally = _Tally.run(Simulation.prepare(project, plan), samples, seed)
    return Forecast(
        samples=samples,
        seed=seed,
        duration=summarise_rows(tally.durations[None, :])[0],
        tasks=tuple(
            TaskForecast(task.id, summary, float(count) / samples)
            for task, summary, count in zip(
                project.tasks, tally.finishes, tally.critical_counts, strict=True
            )
        ),
        deadline=project.deadline,
        deadline_probability=_probability_by(tally.durations, project.deadline),
        plan_id=plan.id,
    )


@dataclass
class _Tally:
    """What a forecast keeps of the samples: all durations, critical counts per
    task, and each task's finish summary."""

    durations: NDArray[np.float64]
    critical_counts: NDArray[np.int64]
    finishes: list[Percentiles]

    @classmethod
    def run(cls, simulation: Simulation, samples: int, seed: int) -> _Tally:
        """Run every chunk once per block of tasks (once when memory allows)."""
        task_count = simulation.network.task_count
        tally = cls(np.empty(samples), np.zeros(task_count, dtype=np.int64), [])
        block = max(1, FINISH_BUDGET // samples)
        for first in range(0, max(task_count, 1), block):
            rows = slice(first, min(first + block, task_count))
            tally.add_block(simulation, samples, seed, rows)
        return tally

    def add_block(
        self, simulation: Simulation, samples: int, seed: int, rows: slice
    ) -> None:
        """Summarise the finishes of tasks `rows`; tally the rest on block one."""
        finishes = np.empty((rows.stop - rows.start, samples), dtype=np.float32)
        offset = 0
        for chunk in simulation.chunks(samples, seed):
            end = offset + chunk.project_duration.size
            finishes[:, offset:end] = chunk.finishes[rows]
            if rows.start == 0:
                self.durations[offset:end] = chunk.project_duration
                self.critical_counts += chunk.critical.sum(axis=1)
            offset = end
        self.finishes += summarise_rows(finishes)


def summarise_rows(values: NDArray[np.floating]) -> list[Percentiles]:
    """Mean, standard deviation (population) and percentiles of each row."""
    if values.shape[0] == 0:
        return []
    means = values.mean(axis=1, dtype=np.float64)
    stds = values.std(axis=1, dtype=np.float64)
    quantiles = np.percentile(values, _QUANTILES, axis=1).astype(np.float64)
    return [
        Percentiles(float(means[row]), float(stds[row]), *quantiles[:, row].tolist())
        for row in range(values.shape[0])
    ]


def _probability_by(
    durations: NDArray[np.float64], deadline: int | None
) -> float | None:
    """P(project duration <= deadline), or None without a deadline."""
    if deadline is None:
        return None
    # A duration equal to the deadline up to round-off still meets it.
    return float(np.mean(durations <= deadline + 1e-9))


def _check_run(samples: int, seed: int) -> None:
    """Reject sample counts and seeds that cannot give a meaningful forecast."""
    if isinstance(samples, bool) or not isinstance(samples, int):
        raise ValidationError.at("samples", f"must be an integer, got {samples!r}")
    if not 1 <= samples <= MAX_SAMPLES:
        raise ValidationError.at(
            "samples", f"must be within [1, {MAX_SAMPLES}], got {samples}"
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValidationError.at("seed", f"must be an integer >= 0, got {seed!r}")
