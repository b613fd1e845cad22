"""Each named model constraint on tiny real CP-SAT solves: feasible, infeasible, tight.

One worker and a fixed seed keep the solves reproducible; each takes milliseconds.
"""

from __future__ import annotations

import pytest

from domain import (
    Dependency,
    DependencyType,
    Plan,
    Project,
    Resource,
    SolveStatus,
    Task,
    ValidationError,
)
from scheduler import (
    SolveOptions,
    solve,
    validate_plan,
)

OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)
FS, SS, FF, SF = (
    DependencyType.FS,
    DependencyType.SS,
    DependencyType.FF,
    DependencyType.SF,
)
ALICE = Resource("alice", skills={"backend": 3})
BOB = Resource("bob", skills={"backend": 1})
CAROL = Resource("carol", skills={"backend": 2})


def solved(
    tasks: tuple[Task, ...],
    resources: tuple[Resource, ...] = (),
    dependencies: tuple[Dependency, ...] = (),
) -> Plan:
    project = Project("test", tasks, resources=resources, dependencies=dependencies)
    plan = solve(project, OPTIONS)
    assert validate_plan(project, plan) == []
    return plan


# 1. Precedences -------------------------------------------------------------


@pytest.mark.parametrize(
    ("dependency", "makespan", "q_start"),
    [
        (Dependency("p", "q", FS, 0), 5, 3),
        (Dependency("p", "q", FS, 2), 7, 5),
        (Dependency("p", "q", FS, -1), 4, 2),
        (Dependency("p", "q", SS, 2), 4, 2),
        (Dependency("p", "q", FF, 1), 4, 2),
        (Dependency("p", "q", SF, 4), 4, 2),
    ],
)
def test_precedence_is_tight(
    dependency: Dependency, makespan: int, q_start: int
) -> None:
    """p (3 days) then q (2 days); the optimum puts q exactly at its limit."""
    plan = solved((Task("p", 3), Task("q", 2)), dependencies=(dependency,))

    assert plan.status is SolveStatus.OPTIMAL
    assert plan.makespan == makespan
    assert plan.scheduled("p").start == 0
    assert plan.scheduled("q").start == q_start


def test_negative_start_to_start_lag_lets_the_successor_start_first() -> None:
    """c (5) forces a to day 5; SS a->b lag -2 lets the long b start at day 3."""
    plan = solved(
        (Task("c", 5), Task("a", 4), Task("b", 10)),
        dependencies=(Dependency("c", "a"), Dependency("a", "b", SS, -2)),
    )

    assert plan.scheduled("a").start == 5
    assert plan.scheduled("b").start == 3
    assert plan.makespan == 13


def test_mutual_start_to_start_makes_tasks_start_together() -> None:
    plan = solved(
        (Task("x", 2), Task("y", 3), Task("z", 4)),
        dependencies=(
            Dependency("z", "x"),
            Dependency("x", "y", SS, 0),
            Dependency("y", "x", SS, 0),
        ),
    )

    assert plan.scheduled("x").start == plan.scheduled("y").start == 4


def test_precedence_cycle_is_infeasible() -> None:
    plan = solved(
        (Task("a", 1), Task("b", 1)),
        dependencies=(Dependency("a", "b"), Dependency("b", "a")),
    )

    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.tasks == ()
    assert plan.makespan is None
    assert "cycle" in plan.message


# 2. Assignments -------------------------------------------------------------


def test_skills_pick_the_only_qualified_person() -> None:
    plan = solved((Task("api", 2, skills={"backend": 2}),), (BOB, ALICE))

    assert plan.scheduled("api").assignees == ("alice",)


def test_task_needing_two_people_gets_two_distinct_people() -> None:
    plan = solved(
        (Task("api", 2, skills={"backend": 2}, people=2),), (ALICE, BOB, CAROL)
    )

    assert sorted(plan.scheduled("api").assignees) == ["alice", "carol"]


def test_task_needing_two_people_with_one_qualified_is_rejected() -> None:
    project = Project(
        "test",
        (Task("api", 2, skills={"backend": 2}, people=2),),
        resources=(ALICE, BOB),
    )

    with pytest.raises(ValidationError, match="needs 2 qualified people, only 1"):
        solve(project, OPTIONS)


def test_tasks_without_skills_get_nobody() -> None:
    plan = solved((Task("dig", 2),), (ALICE,))

    assert plan.scheduled("dig").assignees == ()


# 3. Resource limits ---------------------------------------------------------


def test_two_tasks_on_a_unit_resource_are_sequenced() -> None:
    crane = Resource("crane", capacity=1)
    plan = solved(
        (Task("a", 3, demands={"crane": 1}), Task("b", 2, demands={"crane": 1})),
        (crane,),
    )

    assert plan.makespan == 5
    a, b = plan.scheduled("a"), plan.scheduled("b")
    assert a.finish <= b.start or b.finish <= a.start


def test_cumulative_capacity_is_tight() -> None:
    """Capacity 3: the two 2-unit tasks cannot overlap, the 1-unit task can."""
    crew = Resource("crew", capacity=3)
    plan = solved(
        (
            Task("a", 2, demands={"crew": 2}),
            Task("b", 2, demands={"crew": 2}),
            Task("c", 2, demands={"crew": 1}),
        ),
        (crew,),
    )

    assert plan.makespan == 4


def test_parallel_within_capacity() -> None:
    crew = Resource("crew", capacity=2)
    plan = solved(
        (Task("a", 3, demands={"crew": 1}), Task("b", 2, demands={"crew": 1})), (crew,)
    )

    assert plan.makespan == 3


def test_demand_above_capacity_is_rejected() -> None:
    project = Project(
        "test", (Task("a", 1, demands={"crane": 2}),), resources=(Resource("crane"),)
    )

    with pytest.raises(ValidationError, match="needs 2 units, capacity is 1"):
        solve(project, OPTIONS)


def test_forced_overlap_on_a_unit_resource_is_infeasible() -> None:
    plan = solved(
        (Task("a", 2, demands={"crane": 1}), Task("b", 2, demands={"crane": 1})),
        (Resource("crane"),),
        (Dependency("a", "b", SS, 0), Dependency("b", "a", SS, 0)),
    )

    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.tasks == ()


def test_single_qualified_person_cannot_do_two_tasks_at_once() -> None:
    tasks = (
        Task("api", 2, skills={"backend": 2}),
        Task("db", 3, skills={"backend": 2}),
    )
    plan = solved(tasks, (ALICE, BOB))

    assert plan.makespan == 5
    assert plan.assignments == {"api": ["alice"], "db": ["alice"]}


def test_two_qualified_people_work_in_parallel() -> None:
    tasks = (
        Task("api", 2, skills={"backend": 2}),
        Task("db", 3, skills={"backend": 2}),
    )
    plan = solved(tasks, (ALICE, CAROL))

    assert plan.makespan == 3
    assert {plan.scheduled("api").assignees, plan.scheduled("db").assignees} == {
        ("alice",),
        ("carol",),
    }


def test_named_demand_on_a_person_blocks_their_assignment() -> None:
    """review holds alice by name, so the parallel api task goes to carol."""
    tasks = (
        Task("review", 3, demands={"alice": 1}),
        Task("api", 3, skills={"backend": 2}),
    )
    plan = solved(tasks, (ALICE, CAROL))

    assert plan.makespan == 3
    assert plan.scheduled("api").assignees == ("carol",)


def test_person_with_capacity_two_takes_two_tasks_at_once() -> None:
    team = Resource("team", capacity=2, skills={"backend": 2})
    tasks = (
        Task("api", 2, skills={"backend": 2}),
        Task("db", 2, skills={"backend": 2}),
    )
    plan = solved(tasks, (team,))

    assert plan.makespan == 2


# 4. Makespan ----------------------------------------------------------------


def test_empty_project_has_makespan_zero() -> None:
    plan = solved(())

    assert (plan.status, plan.makespan, plan.lower_bound) == (SolveStatus.OPTIMAL, 0, 0)


def test_makespan_is_the_latest_finish_and_proven() -> None:
    plan = solved(
        (Task("a", 2), Task("b", 3), Task("c", 4)), dependencies=(Dependency("a", "b"),)
    )

    assert plan.makespan == max(t.finish for t in plan.tasks) == 5
    assert plan.lower_bound == 5
    assert plan.gap == 0.0
