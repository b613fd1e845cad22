"""Explanations of infeasible requests beyond time windows: the resource or the
people who cannot do the work in time, dependency cycles, and the time budget.

(Deadlines, releases, pins and actual dates against dependency chains are in
test_scheduler_timing.py.)
"""

from __future__ import annotations

import time
from datetime import date

from domain import (
    Absence,
    DeadlineMode,
    Dependency,
    Project,
    Resource,
    SolveStatus,
    Task,
)
from domain.timing import TaskTiming
from scheduler import SolveOptions, solve
from scheduler.explain.infeasible import explain_infeasibility
from scheduler.problem.data import PrecedenceData, TaskData
from scheduler.problem.instance import SchedulingProblem
from scheduler.problem.windows import TaskWindow

# Hard deadlines: these tests are about why no plan exists.
OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0, deadlines=DeadlineMode.HARD)


def test_people_who_cannot_do_the_work_in_time_are_named() -> None:
    people = (
        Resource("ann", skills={"weld": 1}),
        Resource("bob", skills={"weld": 1}),
        Resource("cy", skills={"paint": 1}),
    )
    tasks = (
        Task("frame", 6, skills={"weld": 1}, people=2),
        Task("hull", 5, skills={"weld": 1}),
        Task("coat", 4, skills={"paint": 1}),
    )
    project = Project("yard", tasks, resources=people, deadline=8)
    plan = solve(project, OPTIONS)

    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.conflicts[-1] == (
        "the 2 people qualified (ann, bob) must do 17 person-days of work between "
        "day 0 and day 8 (tasks frame, hull), more than the 16 they have"
    )


def test_a_single_qualified_person_is_named_as_such() -> None:
    people = (Resource("ann", skills={"weld": 1}), Resource("bob"))
    tasks = (
        Task("frame", 6, skills={"weld": 1}),
        Task("hull", 5, skills={"weld": 1}),
    )
    plan = solve(Project("yard", tasks, resources=people, deadline=10), OPTIONS)

    assert plan.conflicts[-1].startswith(
        "'ann', the only person qualified, must do 11 person-days of work"
    )


def test_days_off_that_leave_too_little_room_are_named() -> None:
    """Without her week away (working days 2-6) ann could weld both by day 8."""
    away = Absence(date(2027, 1, 6), date(2027, 1, 12))  # Wed .. next Tue
    people = (Resource("ann", skills={"weld": 1}, absences=(away,)),)
    tasks = (
        Task("frame", 3, skills={"weld": 1}),
        Task("hull", 3, skills={"weld": 1}),
    )
    project = Project(
        "yard", tasks, resources=people, deadline=8, start=date(2027, 1, 4)
    )
    plan = solve(project, OPTIONS)

    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.conflicts[-1] == (
        "'ann', the only person qualified, must do 6 person-days of work between "
        "day 0 and day 8 (tasks frame, hull), more than the 3 they have after days off"
    )


def lifts(deadline: int) -> Project:
    """Two crane lifts due by `deadline` (the first takes both units), one later."""
    crane = Resource("crane", capacity=2)
    tasks = (
        Task("lift1", 4, demands={"crane": 2}, timing=TaskTiming(deadline=deadline)),
        Task("lift2", 4, demands={"crane": 1}, timing=TaskTiming(deadline=deadline)),
        Task("later", 4, demands={"crane": 1}),
    )
    return Project("site", tasks, resources=(crane,))


def test_a_resource_without_room_for_the_work_is_named() -> None:
    plan = solve(lifts(deadline=5), OPTIONS)

    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.conflicts == (
        "task 'lift1' cannot finish by its deadline (day 5) with the resources "
        "available: dependencies alone would allow day 4",
        "task 'lift2' cannot finish by its deadline (day 5) with the resources "
        "available: dependencies alone would allow day 4",
        "resource 'crane' (capacity 2) must do 12 unit-days of work between day 0 "
        "and day 5 (tasks lift1, lift2), more than the 10 it has",
    )


def test_when_work_alone_fits_the_shared_resources_are_named() -> None:
    """12 unit-days fit in 6 days of two cranes, but lift1 needs both at once:
    energy cannot show it, so the sentence names what the tasks compete for."""
    plan = solve(lifts(deadline=6), OPTIONS)

    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.conflicts[-1] == (
        "resource 'crane' (capacity 2) must do 8 days of work between day 0 and "
        "day 6 (tasks lift1, lift2: no two fit on it at once), more than the 6 it has"
    )


def test_when_no_argument_shows_it_the_shared_resources_are_named() -> None:
    """'move' needs the crane and the truck together, but 'load' holds the
    crane on days 0-1 and 'haul' the truck on days 2-3: each resource alone has
    room, so the sentence names what the tasks compete for."""
    tasks = (
        Task("load", 2, demands={"crane": 1}),
        Task("haul", 2, demands={"truck": 1}),
        Task("move", 2, demands={"crane": 1, "truck": 1}),
    )
    project = Project(
        "yard",
        tasks,
        resources=(Resource("crane", 1), Resource("truck", 1)),
        dependencies=(Dependency("load", "haul"),),
        deadline=4,
    )
    plan = solve(project, OPTIONS)

    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.conflicts == (
        "the project cannot finish by its deadline (day 4) with the resources "
        "available: dependencies alone would allow day 4",
        "the tasks that must finish in time compete for 'crane' and 'truck'",
    )


def test_a_positive_cycle_of_dependencies_is_named() -> None:
    problem = SchedulingProblem(
        task_ids=("a", "b", "c"),
        resource_ids=(),
        tasks=(TaskData(3), TaskData(2), TaskData(1)),
        capacities=(),
        precedences=(PrecedenceData(0, 1), PrecedenceData(1, 0, lag=-1)),
    )
    assert explain_infeasibility(problem, 1.0) == [
        "the dependencies form a cycle that no schedule can satisfy: a -> b -> a"
    ]


def test_a_cycle_behind_other_tasks_is_named_without_them() -> None:
    problem = SchedulingProblem(
        task_ids=("x", "a", "b", "y"),
        resource_ids=(),
        tasks=(TaskData(4), TaskData(3), TaskData(2), TaskData(1)),
        capacities=(),
        precedences=(
            PrecedenceData(0, 1),
            PrecedenceData(2, 3),
            PrecedenceData(2, 1, lag=-1),
            PrecedenceData(1, 2),
        ),
    )
    assert explain_infeasibility(problem, 1.0) == [
        "the dependencies form a cycle that no schedule can satisfy: a -> b -> a"
    ]


def test_a_negative_cycle_is_no_conflict() -> None:
    window = TaskWindow(deadline=2)
    problem = SchedulingProblem(
        task_ids=("a", "b"),
        resource_ids=(),
        tasks=(TaskData(3), TaskData(2)),
        capacities=(),
        precedences=(PrecedenceData(0, 1), PrecedenceData(1, 0, lag=-5)),
        windows=(window, TaskWindow()),
    )
    assert explain_infeasibility(problem, 1.0) == [
        "task 'a' cannot finish by its deadline (day 2): the chain a (3 d) needs 3 days"
    ]


def test_the_explanation_keeps_to_its_time_budget() -> None:
    """A resource conflict among many deadlines: each shrinking step is a CP-SAT
    solve, and the explanation stops shrinking when its time is up."""
    crane = Resource("crane", capacity=1)
    tasks = tuple(
        Task(f"t{i}", 3, demands={"crane": 1}, timing=TaskTiming(deadline=20))
        for i in range(9)
    )
    problem = SchedulingProblem.from_project(Project("site", tasks, resources=(crane,)))
    started = time.perf_counter()
    sentences = explain_infeasibility(problem, 0.05)
    elapsed = time.perf_counter() - started

    assert elapsed < 1.0
    deadlines = [s for s in sentences if "cannot finish by its deadline" in s]
    assert len(deadlines) >= 7  # 7 of the 3-day tasks cannot share 20 days
    assert sentences[-1].startswith("resource 'crane' (capacity 1) must do ")
