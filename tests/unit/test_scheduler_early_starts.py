"""Plans read as a planner expects: every task as early as it can start, and
floats and criticality as the critical path method (CPM) defines them."""

from __future__ import annotations

import random
from pathlib import Path

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
from formats import read_psplib
from scheduler import SolveOptions, solve, validate_plan
from scheduler.plan.justified import movable_tasks
from scheduler.plan.leftshift import left_shift
from scheduler.plan.schedule import Schedule
from scheduler.problem.instance import SchedulingProblem

OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)
DATA = Path(__file__).parents[1] / "data"


def test_a_start_to_start_successor_starts_with_its_lag_and_floats() -> None:
    """The issue's case: a 4-day task SS+4 after a 10-day task starts on day
    4 (not 6 or 11) and may slip 2 days without moving the finish."""
    project = Project(
        "ss",
        (Task("a", 10), Task("b", 4)),
        dependencies=(Dependency("a", "b", DependencyType.SS, 4),),
    )

    plan = solve(project, OPTIONS)

    b = plan.scheduled("b")
    assert (b.start, b.total_float, b.critical) == (4, 2, False)
    assert plan.scheduled("a").critical


def _cpm(project: Project) -> tuple[dict[str, int], dict[str, int]]:
    """Early and late starts by the textbook forward and backward passes
    (the network below is acyclic and in topological order)."""
    duration = {t.id: t.planned_duration for t in project.tasks}

    def offset(d: Dependency) -> int:
        before, after = duration[d.predecessor], duration[d.successor]
        return {
            DependencyType.FS: before + d.lag,
            DependencyType.SS: d.lag,
            DependencyType.FF: before + d.lag - after,
            DependencyType.SF: d.lag - after,
        }[d.type]

    early = dict.fromkeys(duration, 0)
    for d in project.dependencies:
        early[d.successor] = max(early[d.successor], early[d.predecessor] + offset(d))
    finish = max(early[t] + duration[t] for t in duration)
    late = {t: finish - duration[t] for t in duration}
    for d in reversed(project.dependencies):
        late[d.predecessor] = min(late[d.predecessor], late[d.successor] - offset(d))
    return early, late


def _random_network(seed: int) -> Project:
    rng = random.Random(seed)
    tasks = tuple(Task(f"t{i}", rng.randint(1, 9)) for i in range(14))
    dependencies = []
    for after in range(1, 14):
        for before in rng.sample(range(after), min(after, rng.randint(1, 2))):
            kind = rng.choice(list(DependencyType))
            dependencies.append(
                Dependency(f"t{before}", f"t{after}", kind, rng.randint(-2, 3))
            )
    return Project(f"net{seed}", tasks, dependencies=tuple(dependencies))


def test_without_resources_starts_and_floats_are_those_of_cpm() -> None:
    for seed in range(5):
        project = _random_network(seed)
        early, late = _cpm(project)

        plan = solve(project, OPTIONS)

        assert plan.starts == early, seed
        floats = {t.task_id: t.total_float for t in plan.tasks}
        assert floats == {t: late[t] - early[t] for t in early}, seed
        critical = {t.task_id for t in plan.tasks if t.critical}
        assert critical == {t for t in early if late[t] == early[t]}, seed


def test_a_resource_constrained_plan_is_left_justified() -> None:
    project = read_psplib(DATA / "j301_1.sm")

    plan = solve(project, OPTIONS)

    assert movable_tasks(project, plan) == []


def test_a_task_left_late_is_found_by_the_check() -> None:
    project = Project(
        "late", (Task("a", 2, demands={"crane": 1}),), resources=(Resource("crane"),)
    )
    plan = Plan(
        SolveStatus.FEASIBLE, 3, 2, (ScheduledTask("a", 1, 3),)
    )  # valid, but a could start on day 0

    assert validate_plan(project, plan) == []
    assert movable_tasks(project, plan) == [
        "task a could start on day 0: nothing holds it at day 1"
    ]


def test_a_task_held_by_a_busy_resource_is_not_movable() -> None:
    project = Project(
        "held",
        (Task("a", 2, demands={"crane": 1}), Task("b", 2, demands={"crane": 1})),
        resources=(Resource("crane"),),
    )
    plan = Plan(
        SolveStatus.OPTIMAL,
        4,
        4,
        (ScheduledTask("a", 0, 2), ScheduledTask("b", 2, 4)),
    )

    assert movable_tasks(project, plan) == []


def test_the_left_shift_keeps_people_and_fills_the_gaps() -> None:
    project = Project(
        "gaps",
        (Task("a", 2, skills={"x": 1}), Task("b", 3, skills={"x": 1})),
        resources=(Resource("ann", skills={"x": 1}),),
    )
    problem = SchedulingProblem.from_project(project)
    late = Schedule((4, 9), ((0,), (0,)), 12, (6, 12))

    shifted = left_shift(problem, late)

    assert (shifted.starts, shifted.finishes, shifted.makespan) == ((0, 2), (2, 5), 5)
    assert shifted.assignees == ((0,), (0,))


def test_a_floor_holds_a_task_back() -> None:
    project = Project("floor", (Task("a", 2), Task("b", 2)))
    problem = SchedulingProblem.from_project(project)

    shifted = left_shift(problem, Schedule((5, 5), ((), ()), 7), {1: 3})

    assert shifted.starts == (0, 3)
