"""Milestones and deadlines as an iCalendar file (RFC 5545) for calendars.

Each milestone of the plan (a task of no duration) is an all-day event on its
date; each deadline (the project's, a task's hard deadline or due date) an
all-day event on the last day work may end. UIDs are stable
(`<project key>-<kind>-<task id>@planforge`) so a calendar that subscribes
updates events instead of duplicating them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Calendar as ICalendar
from icalendar import Event

from domain import Plan, Project

PRODUCT = "-//planforge//milestones and deadlines//EN"


def write_ics(project: Project, plan: Plan | None, key: str, stamp: datetime) -> bytes:
    """The calendar; `key` makes UIDs unique per project, `stamp` is DTSTAMP."""
    calendar = ICalendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", project.name)
    for uid, summary, day in _entries(project, plan, key):
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("summary", summary)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _entries(
    project: Project, plan: Plan | None, key: str
) -> list[tuple[str, str, date]]:
    entries = []
    if project.deadline is not None and (day := _last_day(project, project.deadline)):
        entries.append((f"{key}-deadline@planforge", f"Deadline: {project.name}", day))
    for task in project.tasks:
        limits = (("deadline", task.timing.deadline), ("due", task.timing.due))
        for kind, limit in limits:
            if limit is not None and (day := _last_day(project, limit)):
                label = task.name or task.id
                entries.append(
                    (
                        f"{key}-{kind}-{task.id}@planforge",
                        f"{kind.title()}: {label}",
                        day,
                    )
                )
    if plan is not None and plan.has_schedule:
        for scheduled in plan.tasks:
            task = project.task(scheduled.task_id)
            if scheduled.finish == scheduled.start and (
                day := project.date_of(scheduled.start)
            ):
                label = task.name or task.id
                entries.append(
                    (f"{key}-milestone-{task.id}@planforge", f"Milestone: {label}", day)
                )
    return entries


def _last_day(project: Project, finish: int) -> date | None:
    """The last working date before the exclusive finish day `finish`."""
    return project.finish_date(finish) if finish > 0 else project.date_of(0)
