"""Committed work in other projects as busy time: runs of dates, days of one
project, the solver keeping out of them and the validator re-checking it."""

from __future__ import annotations

from datetime import date

from domain import Plan, Project, Resource, ScheduledTask, SolveStatus, Task
from domain.bookings import BusySpan, busy_spans, reserved_days
from domain.loading import Booking
from scheduler import SolveOptions, solve, validate_plan

MONDAY = date(2027, 1, 4)
BUILD = {"build": 1}


def project_of(*people: Resource) -> Project:
    return Project(
        "p",
        (Task("work", 3, skills=BUILD),),
        MONDAY,
        resources=people or (Resource("ann", skills=BUILD),),
    )


def test_a_plan_books_runs_of_dates_per_person() -> None:
    spans = busy_spans(
        project_of(), [Booking(0, 5, ("ann",)), Booking(3, 7, ("ann",))], "A"
    )

    assert spans == [
        BusySpan("ann", date(2027, 1, 4), date(2027, 1, 7), 1, "A"),
        BusySpan("ann", date(2027, 1, 7), date(2027, 1, 9), 2, "A"),
        # the weekend breaks the run: other projects may work on Saturdays
        BusySpan("ann", date(2027, 1, 11), date(2027, 1, 13), 1, "A"),
    ]


def test_busy_dates_become_working_days_capped_at_capacity() -> None:
    spans = [
        BusySpan("ann", date(2027, 1, 5), date(2027, 1, 7), 1, "A"),
        BusySpan("ann", date(2027, 1, 6), date(2027, 1, 12), 1, "B"),
        BusySpan("zoe", date(2027, 1, 4), date(2027, 1, 5), 1, "B"),  # not ours
    ]

    assert reserved_days(project_of(), spans) == [
        ("ann", 1, 6, 1)  # Tue .. next Mon, 2 at once on Wed capped at 1
    ]


def test_the_solver_and_the_validator_keep_busy_time_free() -> None:
    project = project_of()
    busy = (BusySpan("ann", MONDAY, date(2027, 1, 6), 1, "A"),)

    plan = solve(project, SolveOptions(time_limit=2, workers=1, busy=busy))
    clash = Plan(SolveStatus.FEASIBLE, 3, 3, (ScheduledTask("work", 0, 3, ("ann",)),))

    assert plan.starts == {"work": 2}
    assert validate_plan(project, plan, busy) == []
    assert validate_plan(project, clash, busy) == [
        "resource ann over capacity from day 0: 2 units in use, capacity 1 "
        "(tasks committed work in other projects (1), work (1))"
    ]
