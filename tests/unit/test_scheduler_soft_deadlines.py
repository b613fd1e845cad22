"""Soft deadlines: when only deadlines stand in the way, the least late plan,
lateness weighted by priority, each task's `late_by`, warnings; hard keeps
the infeasible answer."""

from __future__ import annotations

import dataclasses

from domain import (
    DeadlineMode,
    Dependency,
    Project,
    Resource,
    SolveStatus,
    Task,
)
from domain.timing import TaskTiming
from scheduler import SolveOptions, solve, validate_plan

SOFT = SolveOptions(time_limit=5.0, workers=1, seed=0)
HARD = dataclasses.replace(SOFT, deadlines=DeadlineMode.HARD)


def two_on_one_crane(weight_a: int, weight_b: int) -> Project:
    """Both need the crane for 4 days and are due by day 4: one is late."""
    return Project(
        "crane",
        (
            Task(
                "a",
                4,
                demands={"crane": 1},
                timing=TaskTiming(deadline=4, tardiness_weight=weight_a),
            ),
            Task(
                "b",
                4,
                demands={"crane": 1},
                timing=TaskTiming(deadline=4, tardiness_weight=weight_b),
            ),
        ),
        resources=(Resource("crane"),),
    )


def test_the_higher_priority_task_keeps_its_deadline() -> None:
    for weights, on_time, late in (((1, 3), "b", "a"), ((3, 1), "a", "b")):
        plan = solve(two_on_one_crane(*weights), SOFT)

        assert plan.status is SolveStatus.OPTIMAL
        assert plan.scheduled(on_time).late_by == 0
        assert plan.scheduled(late).late_by == 4
        assert plan.warnings == (
            f"task '{late}' finishes on day 8, 4 days after its deadline (day 4)",
        )
        assert plan.deadlines == "soft"


def test_hard_deadlines_keep_the_infeasible_answer() -> None:
    plan = solve(two_on_one_crane(1, 1), HARD)

    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.conflicts


def test_a_chain_past_the_project_deadline_still_gets_a_plan() -> None:
    project = Project(
        "chain",
        (Task("a", 10), Task("b", 5)),
        dependencies=(Dependency("a", "b"),),
        deadline=12,
    )

    plan = solve(project, SOFT)

    assert (plan.status, plan.makespan) == (SolveStatus.OPTIMAL, 15)
    assert plan.warnings[0] == (
        "the project finishes on day 15, 3 days after its deadline (day 12)"
    )


def test_deadlines_that_can_be_met_are_met_as_before() -> None:
    project = dataclasses.replace(
        two_on_one_crane(1, 1),
        tasks=tuple(
            dataclasses.replace(t, timing=TaskTiming(deadline=8))
            for t in two_on_one_crane(1, 1).tasks
        ),
    )

    soft, hard = solve(project, SOFT), solve(project, HARD)

    assert soft.makespan == hard.makespan == 8
    assert soft.warnings == ()
    assert all(t.late_by == 0 for t in soft.tasks)


def test_the_validator_wants_lateness_stated_and_warned() -> None:
    project = two_on_one_crane(1, 3)
    plan = solve(project, SOFT)
    silent = dataclasses.replace(plan, warnings=())
    understated = dataclasses.replace(
        plan,
        tasks=tuple(dataclasses.replace(t, late_by=0) for t in plan.tasks),
    )
    hard = dataclasses.replace(plan, deadlines="hard")

    assert validate_plan(project, plan) == []
    assert validate_plan(project, silent) == [
        "task a misses its deadline, but no warning says so"
    ]
    assert validate_plan(project, understated) == [
        "task a finishes 4 days after its deadline, but the plan says late_by 0"
    ]
    assert "task a finishes on day 8, after its deadline (day 4)" in validate_plan(
        project, hard
    )
