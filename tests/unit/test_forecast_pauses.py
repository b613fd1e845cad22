"""A task the plan spreads over its people's days off lasts longer in every
sample too (issue 4's pauses, seen by the forecast)."""

from __future__ import annotations

import pytest

from domain import Dependency, Estimate, Plan, Project, ScheduledTask, SolveStatus, Task
from simulation import forecast


def paused_plan(finish_of_b: int) -> tuple[Project, Plan]:
    project = Project(
        name="part-time",
        tasks=(Task(id="a", duration=2), Task(id="b", estimate=Estimate(4, 5, 6))),
        dependencies=(Dependency("a", "b"),),
    )
    plan = Plan(
        status=SolveStatus.OPTIMAL,
        makespan=2 + finish_of_b,
        lower_bound=2 + finish_of_b,
        tasks=(
            ScheduledTask("a", 0, 2),
            ScheduledTask("b", 2, 2 + finish_of_b),
        ),
    )
    return project, plan


def test_a_paused_task_stretches_by_its_plan_span() -> None:
    # b works 5 days (most likely) but the plan spreads it over 7: 7/5 as long.
    project, plan = paused_plan(finish_of_b=7)
    result = forecast(project, plan, samples=4000, seed=3)
    steady = forecast(*paused_plan(finish_of_b=5), samples=4000, seed=3)
    b_paused = {t.task_id: t for t in result.tasks}["b"].finish.mean - 2
    b_steady = {t.task_id: t for t in steady.tasks}["b"].finish.mean - 2
    assert b_paused == pytest.approx(b_steady * 7 / 5, rel=1e-5)
    assert result.duration.p50 == pytest.approx(2 + 7, abs=0.2)


def test_plans_without_pauses_are_untouched() -> None:
    project, plan = paused_plan(finish_of_b=5)
    result = forecast(project, plan, samples=2000, seed=1)
    assert 6 <= result.duration.p10 <= result.duration.p95 <= 8
