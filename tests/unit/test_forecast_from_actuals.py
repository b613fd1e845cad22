"""Forecasts start from recorded actuals, in both engines (domain.progress rules).

Each statistic is compared with its closed form within five standard errors
at the sample size used (see test_forecast_closed_forms):
  mean SE = sigma / sqrt(N); quantile SE = sqrt(q (1 - q) / N) / f(x_q).

The estimate throughout is triangular(4, 5, 8): mean 17/3, variance 13/18,
F(5) = 1/4; its quantile is 4 + sqrt(4 q) below 1/4, else 8 - sqrt(12 (1 - q)).
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from domain import (
    Dependency,
    Distribution,
    Estimate,
    Plan,
    Project,
    Risk,
    ScheduledTask,
    SolveStatus,
    Task,
)
from domain.progress import RemainingAfter, TaskProgress
from domain.timing import TaskTiming
from scheduler import solve, validate_plan
from simulation import forecast

N = {"committed": 40_000, "dynamic": 4_000}
ENGINES = ("committed", "dynamic")
TRIANGULAR = Estimate(4, 5, 8, Distribution.TRIANGULAR)
MEAN, VARIANCE = 17 / 3, 13 / 18


def triangular_quantile(q: float) -> float:
    return 4 + math.sqrt(4 * q) if q <= 0.25 else 8 - math.sqrt(12 * (1 - q))


def triangular_density(x: float) -> float:
    return (x - 4) / 2 if x <= 5 else (8 - x) / 6


def close(value: float, exact: float, standard_error: float) -> bool:
    return abs(value - exact) <= 5 * standard_error + 1e-4


def plan_of(project: Project, starts: dict[str, tuple[int, int]]) -> Plan:
    tasks = tuple(ScheduledTask(t, s, f) for t, (s, f) in starts.items())
    finish = max(f for _, f in starts.values())
    return Plan(SolveStatus.FEASIBLE, finish, None, tasks)


def started(status: int, **progress: float) -> Project:
    """One triangular task started on day 0, seen at `status`."""
    task = Task(
        "a",
        estimate=TRIANGULAR,
        timing=TaskTiming(actual_start=0),
        progress=TaskProgress(**progress),  # type: ignore[arg-type]
    )
    return Project("p", (task,), status_date=status)


def test_the_issue_chain_forecasts_from_the_actual_finish() -> None:
    """a -> b -> c, triangular 4/5/8, a ran days 0..10: before the fix the
    forecast said P50 16.9 and a's finish P50 5.5; now a ends on day 10 in
    every sample and the finish is 10 + two fresh estimates."""
    tasks = [Task(t, estimate=TRIANGULAR) for t in "abc"]
    tasks[0] = replace(tasks[0], timing=TaskTiming(actual_start=0, actual_finish=10))
    project = Project(
        "chain", tuple(tasks), dependencies=(Dependency("a", "b"), Dependency("b", "c"))
    )
    plan = solve(project)
    assert plan.makespan == 20
    for engine in ENGINES:
        result = forecast(project, plan, N[engine], seed=1, engine=engine)
        finish_a = result.tasks[0].finish
        assert (finish_a.p10, finish_a.p50, finish_a.p95) == (10, 10, 10)
        standard_error = math.sqrt(2 * VARIANCE / N[engine])
        assert close(result.duration.mean, 10 + 2 * MEAN, standard_error)
        assert result.duration.p50 > 20


@pytest.mark.parametrize("engine", ENGINES)
def test_risks_on_finished_tasks_never_fire(engine: str) -> None:
    tasks = (
        Task("a", 10, timing=TaskTiming(actual_start=0, actual_finish=10)),
        Task("b", 5),
    )
    sure = Risk("r", 1.0, ("a", "b"), 3)
    project = Project("p", tasks, dependencies=(Dependency("a", "b"),), risks=(sure,))
    plan = plan_of(project, {"a": (0, 10), "b": (10, 15)})
    result = forecast(project, plan, 200, seed=3, engine=engine)
    assert result.tasks[0].finish.p95 == 10  # a: not hit
    assert result.duration.p50 == 18  # b: hit, 5 + 3


@pytest.mark.parametrize("engine", ENGINES)
def test_a_started_task_samples_its_estimate_beyond_the_time_spent(
    engine: str,
) -> None:
    """Rule 3: started on day 0, unfinished at day 6: remaining = D - 6 with D
    conditioned on D > 6. For triangular(4, 5, 8) that is triangular(0, 0, 2):
    mean 2/3, quantile 2 - 2 sqrt(1 - q), density sqrt(1 - q) there."""
    n = N[engine]
    result = forecast(started(6), solve(started(6)), n, seed=5, engine=engine)
    duration = result.duration
    assert close(duration.mean, 6 + 2 / 3, math.sqrt(2 / 9 / n))
    for q, value in ((0.5, duration.p50), (0.8, duration.p80), (0.95, duration.p95)):
        exact = 6 + 2 - 2 * math.sqrt(1 - q)
        assert close(value, exact, math.sqrt(q / n)), (q, value, exact)


@pytest.mark.parametrize(
    ("progress", "scale"),
    [({"remaining_duration": 3.0}, 3 / 5), ({"percent_complete": 60.0}, 0.4)],
)
@pytest.mark.parametrize("engine", ENGINES)
def test_a_reported_remaining_scales_the_estimate(
    engine: str, progress: dict[str, float], scale: float
) -> None:
    """Rules 1 and 2: remaining = scale x D from the status date (day 6)."""
    n = N[engine]
    project = started(6, **progress)
    result = forecast(project, solve(project), n, seed=7, engine=engine)
    duration = result.duration
    assert close(duration.mean, 6 + scale * MEAN, scale * math.sqrt(VARIANCE / n))
    for q, value in ((0.5, duration.p50), (0.8, duration.p80)):
        exact = 6 + scale * triangular_quantile(q)
        error = (
            scale
            * math.sqrt(q * (1 - q) / n)
            / triangular_density(triangular_quantile(q))
        )
        assert close(value, exact, error), (q, value, exact)


@pytest.mark.parametrize(
    "progress",
    [{}, {"remaining_duration": 1.0, "reported_on": 4}],
    ids=["time spent past the pessimistic", "an old report run out"],
)
@pytest.mark.parametrize("engine", ENGINES)
def test_overdue_work_gets_one_more_day(
    engine: str, progress: dict[str, float]
) -> None:
    status = 9 if not progress else 6
    project = started(status, **progress)
    result = forecast(project, solve(project), 100, seed=1, engine=engine)
    assert result.duration.p10 == result.duration.p95 == status + 1


def test_the_plan_starts_from_the_status_date() -> None:
    """Finished at actuals; started keeps its start and gets its remaining
    from the status date; nothing unstarted before the status date."""
    tasks = (
        Task("a", 5, timing=TaskTiming(actual_start=0, actual_finish=7)),
        Task(
            "b",
            estimate=TRIANGULAR,
            timing=TaskTiming(actual_start=7),
            progress=TaskProgress(remaining_duration=4),
        ),
        Task("c", 3),
        Task("d", 2),  # no predecessor: still not before the status date
    )
    dependencies = (Dependency("a", "b"), Dependency("b", "c"))
    project = Project("p", tasks, dependencies=dependencies, status_date=9)
    plan = solve(project)
    starts = {t.task_id: (t.start, t.finish) for t in plan.tasks}
    assert starts == {"a": (0, 7), "b": (7, 13), "c": (13, 16), "d": (9, 11)}
    assert validate_plan(project, plan) == []


def test_the_validator_reads_the_actuals_themselves() -> None:
    tasks = (
        Task("a", 5, timing=TaskTiming(actual_start=0, actual_finish=7)),
        Task("b", 3, timing=TaskTiming(actual_start=7)),
        Task("c", 2),
    )
    project = Project("p", tasks, status_date=9)
    early = plan_of(project, {"a": (0, 7), "b": (7, 10), "c": (5, 7)})
    assert any("before the status time (day 9)" in v for v in validate_plan(
        project, early))  # fmt: skip
    moved = plan_of(project, {"a": (1, 8), "b": (7, 10), "c": (9, 11)})
    assert any("it ran from day 0 to 7" in v for v in validate_plan(project, moved))


def test_after_actual_work_a_status_date_holds_nothing_back() -> None:
    """`remaining_after` actual_work (MS Project's default even with a
    status date): unstarted work before the status date and a started task
    ending before it are planned, and valid; finished work still is not
    moved."""
    tasks = (
        Task("a", 5, timing=TaskTiming(actual_start=0, actual_finish=7)),
        Task("b", 3, timing=TaskTiming(actual_start=7)),
        Task("c", 2),
    )
    project = Project(
        "p", tasks, status_date=12, remaining_after=RemainingAfter.ACTUAL_WORK
    )
    plan = solve(project)
    starts = {t.task_id: (t.start, t.finish) for t in plan.tasks}
    assert starts == {"a": (0, 7), "b": (7, 10), "c": (0, 2)}
    assert validate_plan(project, plan) == []
    moved = plan_of(project, {"a": (1, 8), "b": (7, 10), "c": (0, 2)})
    assert any("it ran from day 0 to 7" in v for v in validate_plan(project, moved))
