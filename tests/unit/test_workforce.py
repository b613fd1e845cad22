"""People's time in solver terms (blocked spans, breaks) and its validator rules."""

from __future__ import annotations

from datetime import date

from domain import (
    Absence,
    Calendar,
    Plan,
    Project,
    Resource,
    ScheduledTask,
    SolveStatus,
    Task,
)
from scheduler import validate_plan
from scheduler.problem.instance import SchedulingProblem
from scheduler.problem.workforce import Workforce

MONDAY = date(2027, 1, 4)
TUESDAY = date(2027, 1, 5)
BE = {"be": 1}


def project(*resources: Resource, tasks: tuple[Task, ...] = ()) -> Project:
    return Project(
        name="people",
        start=MONDAY,
        tasks=tasks or (Task("a", duration=3, skills=BE),),
        resources=resources,
    )


def plan(*tasks: ScheduledTask) -> Plan:
    makespan = max(t.finish for t in tasks)
    return Plan(SolveStatus.FEASIBLE, makespan, 0, tasks)


def test_an_absence_blocks_its_working_days() -> None:
    away = Absence(date(2027, 1, 6), date(2027, 1, 12))  # Wed .. next Tue
    problem = SchedulingProblem.from_project(
        project(
            Resource("alice", skills=BE, absences=(away,)), Resource("bob", skills=BE)
        )
    )
    assert problem.workforce.blocked == (((2, 7),), ())
    assert problem.workforce.breaks[:1] == (5,)
    assert problem.horizon >= 3 + 5  # room to wait for alice


def test_a_part_time_calendar_blocks_its_days_off() -> None:
    part_time = Resource("alice", skills=BE, calendar=Calendar(("Mon", "Tue", "Wed")))
    problem = SchedulingProblem.from_project(project(part_time))
    assert problem.workforce.blocked[0][:2] == ((3, 5), (8, 10))


def test_nothing_is_computed_without_people_time() -> None:
    problem = SchedulingProblem.from_project(project(Resource("alice", skills=BE)))
    assert problem.workforce.blocked == ()
    assert problem.workforce.extra_days == 0


def test_allowed_starts_keep_a_task_between_breaks() -> None:
    workforce = Workforce(breaks=(5, 10))
    assert workforce.allowed_starts(3, 20) == [(0, 2), (5, 7), (10, 17)]
    assert workforce.allowed_starts(5, 20) == [(0, 0), (5, 5), (10, 15)]
    assert workforce.allowed_starts(6, 20) == [(10, 14)]


def test_validator_names_work_on_an_absence() -> None:
    away = Absence(date(2027, 1, 6), date(2027, 1, 6))
    alice = Resource("alice", skills=BE, absences=(away,))
    violations = validate_plan(
        project(alice), plan(ScheduledTask("a", 1, 4, ("alice",)))
    )
    assert violations == [
        "task a needs 3 working days of alice but gets 2 from day 1 to day 4"
    ]
    assert (
        validate_plan(project(alice), plan(ScheduledTask("a", 3, 6, ("alice",)))) == []
    )


def test_validator_accepts_a_task_that_pauses_over_an_absence() -> None:
    away = Absence(date(2027, 1, 6), date(2027, 1, 6))  # day 2
    alice = Resource("alice", skills=BE, absences=(away,))
    paused = plan(ScheduledTask("a", 1, 5, ("alice",)))  # works days 1, 3, 4
    assert validate_plan(project(alice), paused) == []
    idle_tail = plan(ScheduledTask("a", 1, 6, ("alice",)))
    assert validate_plan(project(alice), idle_tail) == [
        "task a finishes on day 6, but its 3 working days by alice end on day 5"
    ]


def test_validator_names_equipment_used_in_its_maintenance() -> None:
    crane = Resource("crane", absences=(Absence(MONDAY, MONDAY, "maintenance"),))
    tasks = (Task("a", duration=2, demands={"crane": 1}),)
    violations = validate_plan(
        project(crane, tasks=tasks), plan(ScheduledTask("a", 0, 2))
    )
    assert violations == ["task a starts on day 0, a day off for crane"]


def test_work_pauses_over_its_equipments_day_off() -> None:
    """A splittable task resumes after its equipment's day off (as MS Project
    pauses work over a resource's holiday); the day off is not worked."""
    crane = Resource("crane", absences=(Absence(TUESDAY, TUESDAY, "maintenance"),))
    tasks = (Task("a", duration=2, demands={"crane": 1}),)
    paused = plan(ScheduledTask("a", 0, 3))  # Mon, (Tue off), Wed
    assert validate_plan(project(crane, tasks=tasks), paused) == []
    held = plan(ScheduledTask("a", 0, 2))
    assert validate_plan(project(crane, tasks=tasks), held) == [
        "task a needs 2 working days of crane but gets 1 from day 0 to day 2"
    ]
    tasks = (Task("a", duration=2, demands={"crane": 1}, splittable=False),)
    assert validate_plan(project(crane, tasks=tasks), paused) == [
        "task a is not splittable but its resources do not work every day "
        "from day 0 to day 2"
    ]


def test_validator_names_an_unsplittable_task_over_a_weekend() -> None:
    tasks = (Task("a", duration=3, skills=BE, splittable=False),)
    alice = Resource("alice", skills=BE)
    over_weekend = plan(ScheduledTask("a", 3, 6, ("alice",)))  # Thu, Fri, Mon
    assert validate_plan(project(alice, tasks=tasks), over_weekend) == [
        "task a is not splittable but spans the non-working days before "
        "2027-01-11 (day 5)"
    ]
    within_week = plan(ScheduledTask("a", 2, 5, ("alice",)))  # Wed .. Fri
    assert validate_plan(project(alice, tasks=tasks), within_week) == []


def test_validator_names_a_person_over_max_load() -> None:
    alice = Resource("alice", skills=BE, max_load=0.5)
    tasks = (Task("a", duration=3, skills=BE), Task("b", duration=5))
    busy = plan(ScheduledTask("a", 0, 3, ("alice",)), ScheduledTask("b", 0, 5))
    assert validate_plan(project(alice, tasks=tasks), busy) == [
        "resource alice works 3 of 5 days, over its max_load 0.5"
    ]
    tasks = (Task("a", duration=3, skills=BE), Task("b", duration=6))
    calm = plan(ScheduledTask("a", 0, 3, ("alice",)), ScheduledTask("b", 0, 6))
    assert validate_plan(project(alice, tasks=tasks), calm) == []
