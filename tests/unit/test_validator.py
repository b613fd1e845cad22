"""The independent plan validator: accepts a valid plan, names each broken rule."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

import scheduler.plan.validator
from domain import (
    Dependency,
    DependencyType,
    Plan,
    Project,
    Resource,
    ScheduledTask,
    SolveStatus,
    Task,
)
from scheduler import validate_plan

BACKEND = {"backend": 2}


@pytest.fixture
def project() -> Project:
    """A crane shared by a and b; c, d, e need backend people (d needs two)."""
    return Project(
        name="validator",
        tasks=(
            Task("a", duration=3, demands={"crane": 1}),
            Task("b", duration=2, demands={"crane": 1}),
            Task("c", duration=2, skills=BACKEND),
            Task("d", duration=1, skills=BACKEND, people=2),
            Task("e", duration=2, skills=BACKEND),
        ),
        resources=(
            Resource("crane", capacity=1),
            Resource("alice", skills={"backend": 3}),
            Resource("bob", skills={"backend": 1}),
            Resource("carol", skills={"backend": 2}),
        ),
        dependencies=(Dependency("c", "d"),),
    )


@pytest.fixture
def plan() -> Plan:
    return Plan(
        status=SolveStatus.OPTIMAL,
        makespan=5,
        lower_bound=5,
        tasks=(
            ScheduledTask("a", 0, 3),
            ScheduledTask("b", 3, 5),
            ScheduledTask("c", 0, 2, ("alice",)),
            ScheduledTask("d", 2, 3, ("alice", "carol")),
            ScheduledTask("e", 0, 2, ("carol",)),
        ),
    )


def replace_task(plan: Plan, task_id: str, **changes: object) -> Plan:
    tasks = tuple(
        dataclasses.replace(t, **changes) if t.task_id == task_id else t  # type: ignore[arg-type]
        for t in plan.tasks
    )
    return dataclasses.replace(plan, tasks=tasks)


def only_violation(project: Project, plan: Plan) -> str:
    violations = validate_plan(project, plan)
    assert len(violations) == 1, violations
    return violations[0]


def test_accepts_a_valid_plan(project: Project, plan: Plan) -> None:
    assert validate_plan(project, plan) == []


def test_missing_task(project: Project, plan: Plan) -> None:
    broken = dataclasses.replace(plan, tasks=plan.tasks[:-1])

    assert only_violation(project, broken) == "task e is not scheduled"


def test_task_scheduled_twice(project: Project, plan: Plan) -> None:
    broken = dataclasses.replace(plan, tasks=(*plan.tasks, plan.tasks[1]))

    assert "task b is scheduled 2 times" in validate_plan(project, broken)


def test_task_not_in_project(project: Project, plan: Plan) -> None:
    broken = dataclasses.replace(plan, tasks=(*plan.tasks, ScheduledTask("z", 0, 1)))

    assert (
        only_violation(project, broken) == "task z is scheduled but not in the project"
    )


def test_start_before_day_zero(project: Project, plan: Plan) -> None:
    broken = replace_task(plan, "e", start=-1, finish=1)

    assert only_violation(project, broken) == "task e starts at day -1, before day 0"


def test_wrong_duration(project: Project, plan: Plan) -> None:
    broken = replace_task(plan, "a", finish=2)

    assert "task a runs 2 days" in only_violation(project, broken)


def two_tasks(dependency_type: DependencyType, lag: int) -> Project:
    return Project(
        name="dependency",
        tasks=(Task("p", duration=3), Task("q", duration=2)),
        dependencies=(Dependency("p", "q", dependency_type, lag),),
    )


def two_task_plan(p_start: int, q_start: int) -> Plan:
    finish = max(p_start + 3, q_start + 2)
    return Plan(
        status=SolveStatus.FEASIBLE,
        makespan=finish,
        lower_bound=None,
        tasks=(
            ScheduledTask("p", p_start, p_start + 3),
            ScheduledTask("q", q_start, q_start + 2),
        ),
    )


@pytest.mark.parametrize(
    ("dependency_type", "lag", "holds", "broken"),
    [
        # FS: q.start >= p.finish + lag
        (DependencyType.FS, 1, (0, 4), (0, 3)),
        # SS: q.start >= p.start + lag, a negative lag lets q start first
        (DependencyType.SS, -2, (2, 0), (3, 0)),
        # FF: q.finish >= p.finish + lag
        (DependencyType.FF, 0, (0, 1), (0, 0)),
        # SF: q.finish >= p.start + lag
        (DependencyType.SF, 1, (1, 0), (2, 0)),
    ],
)
def test_each_dependency_type_exactly_at_its_limit(
    dependency_type: DependencyType,
    lag: int,
    holds: tuple[int, int],
    broken: tuple[int, int],
) -> None:
    project = two_tasks(dependency_type, lag)

    assert validate_plan(project, two_task_plan(*holds)) == []
    violation = only_violation(project, two_task_plan(*broken))
    assert violation.startswith(
        f"dependency p->q ({dependency_type}, lag {lag}) broken"
    )


def test_capacity_overload_names_resource_day_and_tasks(
    project: Project, plan: Plan
) -> None:
    moved = replace_task(plan, "b", start=2, finish=4)
    broken = dataclasses.replace(moved, makespan=4, lower_bound=4)

    assert only_violation(project, broken) == (
        "resource crane over capacity from day 2: 2 units in use, capacity 1 "
        "(tasks a (1), b (1))"
    )


def test_tasks_that_touch_do_not_overload(project: Project, plan: Plan) -> None:
    # a finishes at 3 (exclusive) and b starts at 3 on the capacity-1 crane.
    assert plan.scheduled("b").start == plan.scheduled("a").finish
    assert validate_plan(project, plan) == []


def test_double_booked_person(project: Project, plan: Plan) -> None:
    broken = replace_task(plan, "e", assignees=("alice",))

    assert "resource alice over capacity from day 0" in only_violation(project, broken)


def test_unqualified_person(project: Project, plan: Plan) -> None:
    broken = replace_task(plan, "e", assignees=("bob",))

    assert only_violation(project, broken) == (
        "task e is assigned bob, who lacks its skills"
    )


def test_too_few_people(project: Project, plan: Plan) -> None:
    broken = replace_task(plan, "d", assignees=("alice",))

    assert only_violation(project, broken) == "task d needs 2 people, has 1"


def test_same_person_twice(project: Project, plan: Plan) -> None:
    broken = replace_task(plan, "d", assignees=("alice", "alice"))

    violations = validate_plan(project, broken)
    assert "task d lists a person twice: alice, alice" in violations
    assert "task d needs 2 people, has 1" in violations


def test_unknown_person(project: Project, plan: Plan) -> None:
    broken = replace_task(plan, "c", assignees=("dave",))

    assert "task c is assigned unknown resource dave" in validate_plan(project, broken)


def test_people_on_a_task_without_skills(project: Project, plan: Plan) -> None:
    broken = replace_task(plan, "a", assignees=("bob",))

    assert only_violation(project, broken) == "task a needs no people but has bob"


def test_wrong_makespan(project: Project, plan: Plan) -> None:
    broken = dataclasses.replace(plan, makespan=6)

    assert only_violation(project, broken) == (
        "makespan is 6, but the latest finish is day 5"
    )


def test_lower_bound_above_makespan(project: Project, plan: Plan) -> None:
    broken = dataclasses.replace(plan, lower_bound=6)

    assert only_violation(project, broken) == "lower bound 6 exceeds the makespan 5"


def test_plan_without_schedule_must_be_empty(project: Project, plan: Plan) -> None:
    empty = Plan(SolveStatus.INFEASIBLE, None, None, message="no schedule")
    not_empty = dataclasses.replace(plan, status=SolveStatus.INFEASIBLE)

    assert validate_plan(project, empty) == []
    assert validate_plan(project, not_empty) == [
        "a plan with status infeasible must not schedule tasks",
        "a plan with status infeasible must not have a makespan",
    ]


def test_validator_knows_nothing_of_the_solver() -> None:
    package = Path(scheduler.plan.validator.__file__).parent
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for path in package.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    outside = {
        name
        for name in imported
        if name and not name.startswith("scheduler.plan.validator")
    }
    assert len(outside) > 3  # it sees the imports
    assert not any(name.startswith(("ortools", "scheduler")) for name in outside)
