"""Time constraints in solves: releases, deadlines, pins, actual dates.

Each constraint gets a feasible, an infeasible and a tight case; infeasible
plans carry readable conflicts naming the task, the day and the chain behind.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain import DeadlineMode, Dependency, Project, Resource, SolveStatus, Task
from domain.progress import RemainingAfter
from domain.timing import Pin, TaskTiming
from scheduler import SolveOptions, solve, validate_plan

# Hard deadlines: these tests are about why no plan exists.
OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0, deadlines=DeadlineMode.HARD)


def chain(**timings: TaskTiming) -> Project:
    """kickoff (0 d) -> build (15 d) -> deploy (8 d), plus a free task 'docs'."""
    tasks = (
        Task("kickoff", 0, timing=timings.get("kickoff", TaskTiming())),
        Task("build", 15, timing=timings.get("build", TaskTiming())),
        Task("deploy", 8, timing=timings.get("deploy", TaskTiming())),
        Task("docs", 3, timing=timings.get("docs", TaskTiming())),
    )
    deps = (Dependency("kickoff", "build"), Dependency("build", "deploy"))
    return Project("chain", tasks, dependencies=deps)


def solved(project: Project) -> dict[str, tuple[int, int]]:
    plan = solve(project, OPTIONS)
    assert plan.status is SolveStatus.OPTIMAL
    assert validate_plan(project, plan) == []
    return {t.task_id: (t.start, t.finish) for t in plan.tasks}


def test_work_started_out_of_sequence_keeps_its_start() -> None:
    """Progress overrides logic (as in MS Project): deploy started on day 12
    before build finished; the plan keeps that start, and unstarted work
    waits for the status time (day 12, the latest actual date)."""
    starts = solved(chain(deploy=TaskTiming(actual_start=12)))
    assert starts["deploy"] == (12, 20)
    assert starts["build"] == (12, 27)


def test_after_actual_work_nothing_waits_for_the_latest_actual_date() -> None:
    """MS Project without a status date (`remaining_after` actual_work): the
    same out-of-sequence start, but build follows its link from day 0 and
    docs starts at once."""
    project = replace(
        chain(deploy=TaskTiming(actual_start=12)),
        remaining_after=RemainingAfter.ACTUAL_WORK,
    )
    assert solved(project) == {
        "kickoff": (0, 0),
        "build": (0, 15),
        "deploy": (12, 20),
        "docs": (0, 3),
    }


def test_release_delays_a_start() -> None:
    assert solved(chain(docs=TaskTiming(release=10)))["docs"] == (10, 13)


def test_release_pushes_the_chain_and_the_makespan() -> None:
    plan = solve(chain(kickoff=TaskTiming(release=5)), OPTIONS)
    assert plan.makespan == 28


@pytest.mark.parametrize(
    ("deadline", "feasible"), [(30, True), (23, True), (22, False)]
)
def test_task_deadline(deadline: int, feasible: bool) -> None:
    project = chain(deploy=TaskTiming(deadline=deadline))
    plan = solve(project, OPTIONS)
    assert plan.has_schedule is feasible
    assert validate_plan(project, plan) == []


@pytest.mark.parametrize(
    ("deploy", "conflict"),
    [
        (
            TaskTiming(deadline=20),
            "task 'deploy' cannot finish by its deadline (day 20): the chain "
            "kickoff -> build (15 d) -> deploy (8 d) needs 23 days",
        ),
        (
            TaskTiming(pin=Pin(10, 10)),
            "task 'deploy' is pinned to start on day 10, but the chain kickoff -> "
            "build (15 d) -> deploy lets it start on day 15 at the earliest",
        ),
    ],
)
def test_a_limit_the_chain_cannot_meet_names_the_chain(
    deploy: TaskTiming, conflict: str
) -> None:
    plan = solve(chain(deploy=deploy), OPTIONS)

    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.conflicts == (conflict,)
    assert plan.message == conflict


def test_release_and_deadline_conflict_names_both() -> None:
    project = chain(build=TaskTiming(release=4), deploy=TaskTiming(deadline=26))
    plan = solve(project, OPTIONS)

    assert plan.status is SolveStatus.INFEASIBLE
    assert set(plan.conflicts) == {
        "task 'build' cannot start before its release (day 4)",
        "task 'deploy' cannot finish by its deadline (day 26): the chain "
        "build (15 d) (from day 4) -> deploy (8 d) needs 27 days",
    }


@pytest.mark.parametrize(("deadline", "feasible"), [(23, True), (22, False)])
def test_project_deadline(deadline: int, feasible: bool) -> None:
    project = Project(
        "p", chain().tasks, dependencies=chain().dependencies, deadline=deadline
    )
    plan = solve(project, OPTIONS)
    assert plan.has_schedule is feasible
    if not feasible:
        assert plan.conflicts[0].startswith(
            "the project cannot finish by its deadline (day 22): the chain kickoff"
        )


def test_deadline_conflict_caused_by_resources_says_so() -> None:
    tasks = (
        Task("a", 5, demands={"crane": 1}),
        Task("b", 5, demands={"crane": 1}, timing=TaskTiming(deadline=9)),
    )
    project = Project("p", tasks, resources=(Resource("crane", 1),), deadline=9)
    plan = solve(project, OPTIONS)

    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.conflicts[-1] == (
        "resource 'crane' (capacity 1) must do 10 days of work between day 0 "
        "and day 9 (tasks a, b), more than the 9 it has"
    )
    assert any("with the resources available" in c for c in plan.conflicts)


def test_pin_to_a_start_day() -> None:
    assert solved(chain(docs=TaskTiming(pin=Pin(7, 7))))["docs"] == (7, 10)


def test_pin_window_is_kept_and_tight_window_holds() -> None:
    starts = solved(
        chain(build=TaskTiming(pin=Pin(2, 2)), docs=TaskTiming(pin=Pin(4, 6)))
    )
    assert starts["build"] == (2, 17)
    assert 4 <= starts["docs"][0] <= 6


def test_pin_against_deadline_is_explained() -> None:
    project = chain(build=TaskTiming(pin=Pin(10, 12)), deploy=TaskTiming(deadline=30))
    plan = solve(project, OPTIONS)

    assert plan.status is SolveStatus.INFEASIBLE
    assert "task 'build' is pinned to start between day 10 and day 12" in plan.conflicts


def test_started_and_finished_tasks_keep_their_actual_dates() -> None:
    project = chain(
        kickoff=TaskTiming(actual_start=0, actual_finish=0),
        build=TaskTiming(actual_start=1, actual_finish=18),
    )
    starts = solved(project)
    assert starts["build"] == (1, 18)  # took 17 days, not the planned 15
    assert starts["deploy"] == (18, 26)


def test_started_task_conflicting_with_a_pin_is_explained() -> None:
    project = chain(
        build=TaskTiming(actual_start=3), deploy=TaskTiming(pin=Pin(None, 17))
    )
    plan = solve(project, OPTIONS)

    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.conflicts == (
        "task 'build' already started on day 3",
        "task 'deploy' is pinned to start by day 17, but the chain build (15 d) "
        "(from day 3) -> deploy lets it start on day 18 at the earliest",
    )


def test_every_broken_limit_is_named_once_with_its_origin() -> None:
    project = chain(
        kickoff=TaskTiming(pin=Pin(5, 5)),
        build=TaskTiming(deadline=19),
        deploy=TaskTiming(deadline=27),
    )
    plan = solve(project, OPTIONS)

    assert plan.conflicts == (
        "task 'kickoff' is pinned to start on day 5",
        "task 'build' cannot finish by its deadline (day 19): the chain "
        "kickoff (from day 5) -> build (15 d) needs 20 days",
        "task 'deploy' cannot finish by its deadline (day 27): the chain "
        "kickoff (from day 5) -> build (15 d) -> deploy (8 d) needs 28 days",
    )
