"""Why a task moved between two plans: pin, person busy, absence, fallback."""

from __future__ import annotations

import dataclasses
from datetime import date

from domain import Plan, Project, Resource, ScheduledTask, SolveStatus, Task
from domain.model import Absence, Calendar
from domain.moves import moves
from domain.timing import Pin, TaskTiming

ANN = Resource("ann", skills={"qa": 1})


def plan(*tasks: ScheduledTask) -> Plan:
    return Plan(SolveStatus.FEASIBLE, max(t.finish for t in tasks), None, tasks)


def project(*tasks: Task, people: tuple[Resource, ...] = (ANN,)) -> Project:
    return Project("p", tasks, date(2027, 1, 4), resources=people)


def test_a_pin_is_named() -> None:
    before = project(Task("a", 2))
    after = project(Task("a", 2, timing=TaskTiming(pin=Pin(5, 5))))

    (move,) = moves(
        before,
        plan(ScheduledTask("a", 0, 2)),
        after,
        plan(ScheduledTask("a", 5, 7)),
    )

    assert (move.task, move.days, move.cause) == (
        "a",
        5,
        "it is pinned to start on day 5",
    )


def test_a_person_busy_with_another_task_is_named() -> None:
    tasks = (Task("a", 3, skills={"qa": 1}), Task("b", 2, skills={"qa": 1}))
    before = plan(
        ScheduledTask("b", 0, 2, ("ann",)), ScheduledTask("a", 2, 5, ("ann",))
    )
    after = plan(ScheduledTask("a", 0, 3, ("ann",)), ScheduledTask("b", 3, 5, ("ann",)))

    found = {
        m.task: m.cause for m in moves(project(*tasks), before, project(*tasks), after)
    }

    assert found["b"] == "ann is busy with 'a' until day 3"


def test_a_new_absence_is_named() -> None:
    task = Task("a", 2, skills={"qa": 1})
    away = dataclasses.replace(
        ANN, absences=(Absence(date(2027, 1, 4), date(2027, 1, 5)),)
    )

    (move,) = moves(
        project(task),
        plan(ScheduledTask("a", 0, 2, ("ann",))),
        project(task, people=(away,)),
        plan(ScheduledTask("a", 2, 4, ("ann",))),
    )

    assert move.cause == "ann's absences changed"


def test_tasks_that_did_not_move_are_left_out() -> None:
    same = plan(ScheduledTask("a", 0, 2))
    assert moves(project(Task("a", 2)), same, project(Task("a", 2)), same) == []


def test_a_calendar_change_is_named() -> None:
    """A new holiday in the organisation's calendar, or a person's own
    working calendar, is what moved a task nothing else explains."""
    task = Task("a", 2, skills={"qa": 1})
    holiday = Calendar(holidays=frozenset({date(2027, 1, 4)}))
    before = project(task)
    moved = (
        plan(ScheduledTask("a", 0, 2, ("ann",))),
        plan(ScheduledTask("a", 1, 3, ("ann",))),
    )

    (by_organisation,) = moves(
        before, moved[0], dataclasses.replace(before, calendar=holiday), moved[1]
    )
    part_time = dataclasses.replace(ANN, calendar=Calendar(workdays=("Tue", "Wed")))
    (by_person,) = moves(before, moved[0], project(task, people=(part_time,)), moved[1])

    assert by_organisation.cause == "the organisation's calendar changed"
    assert by_person.cause == "ann's working calendar changed"
