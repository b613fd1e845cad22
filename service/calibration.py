"""Use cases: calibration factors from the store's history, and the backtest.

The backtest replays history: each finished project (every task has an
actual finish) is forecast as it stood at its midpoint (half its actual
makespan; `domain.calibration.as_of`), once as estimated and once
calibrated with factors learnt from every other project plus the work the
project itself had finished by then. Coverage of P50 and P80 is the share of
projects that actually finished by that percentile (a calibrated P80 should
cover about 80 %); the mean absolute error is |P50 - actual finish|.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import scheduler
import simulation
from domain import Project
from domain.calibration import Factor, as_of, learn, task_factors
from eventstore import ProjectStore
from service.views import JSON

BACKTEST_TIME_LIMIT = 2.0  # seconds per plan: history projects are small


def history(store: ProjectStore) -> list[Project]:
    """Every project's current state (their recorded actuals are the history)."""
    return [store.get_project(project_id).project for project_id in store.project_ids()]


def calibration_view(project: Project, factors: Mapping[str, Factor]) -> JSON:
    """What a calibrated forecast answers: each class's factor and evidence,
    and the factor each unfinished task got."""
    return {
        "factors": [
            {
                "reference_class": f.reference_class,
                "factor": round(f.factor, 4),
                "observations": f.observations,
                "mean_ratio": round(f.mean_ratio, 4),
            }
            for f in factors.values()
        ],
        "tasks": {k: round(v, 4) for k, v in task_factors(project, factors).items()},
    }


@dataclass(frozen=True)
class Score:
    """How forecasts fared against what happened."""

    projects: int
    p50_coverage: float
    p80_coverage: float
    mean_absolute_error: float


@dataclass(frozen=True)
class Backtest:
    before: Score  # as estimated
    after: Score  # calibrated


def backtest(store: ProjectStore, samples: int, seed: int = 0) -> Backtest:
    """Replay every finished project from its midpoint (module docstring)."""
    projects = history(store)
    finished = [p for p in projects if _finished(p)]
    rows: list[tuple[float, float, float, float, float]] = []
    for index, project in enumerate(finished):
        actual = max(t.timing.actual_finish or 0 for t in project.tasks)
        seen = as_of(project, actual // 2)
        others = [p for k, p in enumerate(finished) if k != index]
        others += [p for p in projects if not _finished(p)]
        by_task = task_factors(seen, learn([*others, seen]))
        options = scheduler.SolveOptions(time_limit=BACKTEST_TIME_LIMIT, workers=1)
        plan = scheduler.solve(seen, options)
        plain = simulation.forecast(seen, plan, samples, seed, risk_drivers=False)
        tuned = simulation.forecast(
            seen, plan, samples, seed, risk_drivers=False, calibration=by_task
        )
        rows.append(
            (
                actual,
                plain.duration.p50,
                plain.duration.p80,
                tuned.duration.p50,
                tuned.duration.p80,
            )
        )
    return Backtest(_score(rows, 1, 2), _score(rows, 3, 4))


def _finished(project: Project) -> bool:
    return all(task.timing.actual_finish is not None for task in project.tasks)


def _score(
    rows: Sequence[tuple[float, ...]], p50_column: int, p80_column: int
) -> Score:
    count = len(rows)
    if not count:
        return Score(0, 0.0, 0.0, 0.0)
    return Score(
        count,
        sum(row[0] <= row[p50_column] for row in rows) / count,
        sum(row[0] <= row[p80_column] for row in rows) / count,
        sum(abs(row[p50_column] - row[0]) for row in rows) / count,
    )
