"""Resource loading: working days each resource is busy per week, by owner.

One computation serves every view of load: portfolio plans and the demo
(`weekly_load`, from a project and a plan) and the read model of committed
plans (`eventstore.readmodels.ResourceLoad`, from recorded events). Nothing
counts on a day the task's calendar does not work (it pauses then); people
and equipment count only the days all of them work inside a task's span (a
task pauses over their days off, `domain.worktime`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from domain.calendar import Calendar
from domain.model import Project
from domain.pauses import Pause
from domain.plan import Plan
from domain.worktime import worked_days


@dataclass(frozen=True)
class LoadRow:
    """`days` working days of `resource` in ISO `week` ("2027-W02") for `project`."""

    resource: str
    week: str
    project: str
    days: int


@dataclass(frozen=True)
class Booking:
    """A task's hold on resources: working days [start, finish), its people
    and its equipment (worked only the days all of them work), its stated
    `pauses` (`domain.pauses`), and the
    calendar of the days it works (`Project.task_calendar`; None: every day)."""

    start: int
    finish: int
    people: Sequence[str] = ()
    equipment: Sequence[str] = ()
    owner: str = ""
    calendar: Calendar | None = None
    pauses: Sequence[Pause] = ()


def load_by_week(
    project: Project, bookings: Iterable[Booking]
) -> dict[tuple[str, str, str], int]:
    """{(resource, week, owner): days}. Weeks are ISO weeks ("2027-W02") of the
    project's calendar, or "week-N" counted from the start without a date.
    Only `project`'s start, calendars and resources are read."""
    booked = list(bookings)
    weeks = _week_keys(project, max((b.finish for b in booked), default=0))
    days: dict[tuple[str, str, str], int] = defaultdict(int)
    for resource, day, owner in held_days(project, booked):
        days[resource, weeks[day], owner] += 1
    return dict(sorted(days.items()))


def held_days(
    project: Project, bookings: Sequence[Booking]
) -> Iterator[tuple[str, int, str]]:
    """(resource, working day, owner) for every day a booking holds a resource:
    the days its task works (`domain.worktime`: all its people and equipment
    work them, its calendar does, and it does not pause then)."""
    latest = max((b.finish for b in bookings), default=0)
    if project.start is None:
        dates = [date.min] * latest  # no calendars without a start
    else:
        dates = project.time_calendar.working_dates(project.start, latest)
    for booking in bookings:
        held = (*booking.people, *booking.equipment)
        span = booking.finish - booking.start
        for day in worked_days(
            project,
            span,
            booking.start,
            held,
            dates[: booking.finish],
            booking.calendar,
            booking.pauses,
        ):
            for resource in held:
                yield resource, day, booking.owner


def weekly_load(
    project: Project, plan: Plan, project_of: Callable[[str], str] | None = None
) -> list[LoadRow]:
    """Per resource and week, the days it works (people assigned, equipment
    demanded), split by `project_of(task_id)` (default: the project's name)."""
    name_of = project_of or (lambda _task_id: project.name)
    bookings = (
        Booking(
            scheduled.start,
            scheduled.finish,
            scheduled.assignees,
            tuple(project.task(scheduled.task_id).demands),
            name_of(scheduled.task_id),
            project.task_calendar(project.task(scheduled.task_id)),
            project.task(scheduled.task_id).pauses,
        )
        for scheduled in plan.tasks
    )
    return [
        LoadRow(*key, count) for key, count in load_by_week(project, bookings).items()
    ]


def _week_keys(project: Project, days: int) -> list[str]:
    """The week of each working day 0 .. days-1."""
    if project.start is None:
        per_week = len(project.calendar.workdays)
        return [f"week-{day // per_week + 1}" for day in range(days)]
    keys = []
    for when in project.time_calendar.working_dates(project.start, days):
        year, week, _ = when.isocalendar()
        keys.append(f"{year}-W{week:02d}")
    return keys


def every_week(weeks: Iterable[str]) -> list[str]:
    """The weeks from the first to the last of `weeks`, none skipped: ISO
    weeks ("2027-W02") by calendar, "week-N" by number."""
    keys = set(weeks)
    if not keys:
        return []
    if not all("-W" in week for week in keys):
        numbers = [int(week.removeprefix("week-")) for week in keys]
        return [f"week-{n}" for n in range(min(numbers), max(numbers) + 1)]
    first, last = (
        date.fromisocalendar(int(week[:4]), int(week[6:]), 1)
        for week in (min(keys), max(keys))
    )
    mondays = (first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1))
    return [f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in mondays]
