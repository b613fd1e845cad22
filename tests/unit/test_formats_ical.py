"""iCalendar export: milestones on their plan dates, deadlines on the last
working day, stable UIDs."""

from __future__ import annotations

from datetime import UTC, date, datetime

from icalendar import Calendar as ICalendar

from domain import Plan, Project, ScheduledTask, SolveStatus, Task
from domain.timing import TaskTiming
from formats.ical import write_ics

PROJECT = Project(
    name="launch",
    start=date(2027, 1, 4),  # a Monday
    deadline=10,
    tasks=(
        Task("build", duration=3, timing=TaskTiming(due=4)),
        Task("ship", duration=0, name="Ship it"),
    ),
)
PLAN = Plan(
    SolveStatus.OPTIMAL,
    3,
    3,
    tasks=(ScheduledTask("build", 0, 3), ScheduledTask("ship", 3, 3)),
)


def events(plan: Plan | None) -> list[tuple[str, str, date]]:
    data = write_ics(PROJECT, plan, "p1", datetime(2027, 1, 1, tzinfo=UTC))
    return [
        (str(e["uid"]), str(e["summary"]), e.decoded("dtstart"))
        for e in ICalendar.from_ical(data).walk("VEVENT")
    ]


def test_milestones_and_deadlines_become_all_day_events() -> None:
    assert events(PLAN) == [
        ("p1-deadline@planforge", "Deadline: launch", date(2027, 1, 15)),
        ("p1-due-build@planforge", "Due: build", date(2027, 1, 7)),
        ("p1-milestone-ship@planforge", "Milestone: Ship it", date(2027, 1, 7)),
    ]


def test_without_a_plan_only_deadlines_are_known() -> None:
    assert [uid for uid, _, _ in events(None)] == [
        "p1-deadline@planforge",
        "p1-due-build@planforge",
    ]
