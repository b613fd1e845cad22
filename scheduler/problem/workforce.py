"""People's time in the solver's terms: blocked spans, breaks, load limits, rates.

Solver time stays in organisation working days from the project start. What a
resource's own calendar or absences take away becomes *blocked spans* of
working days in which it does not work; so do the days a task's own calendar
does not work (one row per distinct task calendar, after the resources' rows:
a task with a calendar pauses over them as over its people's days off, and
starts only on a day its calendar works). Every organisation non-working
period (a weekend, a holiday) becomes a *break* that a non-splittable task may
not straddle. A task pauses over the blocked spans of its people and of the
resources it demands and resumes after them (`scheduler.problem.worktime`),
as MS Project pauses work over a resource's days off, unless it is not
splittable, when it must fit in one working stretch of them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from domain import Calendar, Project, Resource
from domain.pauses import paused_days
from domain.worktime import paused_by
from scheduler.problem.worktime import Ends, Span, longest_pause, teams_of, work_ends

# How far one task may wait for a free stretch of a part-time person's week.
WEEKLY_WAIT = 7


@dataclass(frozen=True)
class Workforce:
    """What people add to a scheduling problem, integer-indexed.

    `blocked[r]`: sorted, disjoint spans in which resource r may not work;
    the rows after the resources' are the task calendars' (`task_calendars`).
    `breaks`: working days k with a non-working day between day k-1 and day k.
    `max_load_percent[r]`: r's assigned work days may not exceed this percent
    of the makespan (None: no limit). `cost_rates[r]`: money per working day.
    `extra_days`: how much later blocking and pausing over days off may push a
    plan (added to horizons).
    """

    blocked: tuple[tuple[Span, ...], ...] = ()
    breaks: tuple[int, ...] = ()
    max_load_percent: tuple[int | None, ...] = ()
    cost_rates: tuple[float, ...] = ()
    extra_days: int = 0

    def blocked_of(self, resource: int) -> tuple[Span, ...]:
        return self.blocked[resource] if resource < len(self.blocked) else ()

    def allowed_starts(self, duration: int, horizon: int) -> list[Span]:
        """Start ranges [a, b] (inclusive) for a task that may not straddle a break.

        A task starting at s works days s .. s+duration-1, so it straddles break
        k when s < k < s + duration.
        """
        latest = horizon - duration
        allowed: list[Span] = []
        low = 0
        for k in (*self.breaks, horizon + duration + 1):
            # Starts in [low, k - duration] finish before break k.
            high = min(k - duration, latest)
            if high >= low:
                allowed.append((low, high))
            low = max(low, k)
            if low > latest:
                break
        return allowed


def workforce_of(project: Project, base_horizon: int) -> Workforce:
    """Resolve calendars, absences, rates and load limits; cheap when unused."""
    rates = tuple(r.cost_rate for r in project.resources)
    loads = tuple(
        None if r.max_load is None else round(r.max_load * 100)
        for r in project.resources
    )
    timed = any(r.has_own_time for r in project.resources)
    timed = timed or bool(task_calendars(project))
    unsplit = sum(1 for t in project.tasks if not t.splittable)
    if project.start is None or not (timed or unsplit):
        return Workforce(max_load_percent=loads, cost_rates=rates)
    extra = _extra_days(project, base_horizon, unsplit)
    blocked = _all_blocked(project, base_horizon + extra)
    extra += _stretch_days(project, blocked, base_horizon + extra)
    dates = project.time_calendar.working_dates(project.start, base_horizon + extra)
    blocked = _all_blocked(project, base_horizon + extra)
    firsts = list(
        itertools.accumulate(len(list(g)) for _, g in itertools.groupby(dates))
    )
    breaks = tuple(
        k for k in firsts[:-1] if dates[k] - dates[k - 1] > timedelta(days=1)
    )
    return Workforce(blocked, breaks, loads, rates, extra)


def task_calendars(project: Project) -> list[Calendar]:
    """The distinct calendars of the project's tasks, in task order: row
    `len(project.resources) + k` of `Workforce.blocked` is the k-th's."""
    found: list[Calendar] = []
    for task in project.tasks:
        own = project.task_calendar(task)
        if own is not None and own not in found:
            found.append(own)
    return found


def _all_blocked(project: Project, days: int) -> tuple[tuple[Span, ...], ...]:
    assert project.start is not None
    dates = project.time_calendar.working_dates(project.start, days)
    people = tuple(
        tuple(_blocked_spans(resource.works_on, project, dates))
        if resource.has_own_time
        else ()
        for resource in project.resources
    )
    calendars = tuple(
        tuple(_blocked_spans(_works_by(calendar), project, dates))
        for calendar in task_calendars(project)
    )
    return people + calendars


def _works_by(calendar: Calendar) -> Callable[[date, Calendar], bool]:
    """Whether a task on `calendar` works a day (of the organisation's)."""
    return lambda day, _organisation: calendar.is_working(day)


def _stretch_days(
    project: Project, blocked: tuple[tuple[Span, ...], ...], days: int
) -> int:
    """A safe bound on the days pausing adds when every task runs in turn:
    per task, the longest pause its slowest possible team may take."""
    cache: dict[tuple[tuple[int, ...], int], int] = {}
    calendars = task_calendars(project)
    total = 0
    for task in project.tasks:
        own = tuple(
            project.resource_index[resource]
            for resource in paused_by(task)
            if resource in project.resource_index
        )
        calendar = project.task_calendar(task)
        if calendar is not None:
            own = (*own, len(project.resources) + calendars.index(calendar))
        if not (task.needs_people or own):
            continue
        people = [project.resource_index[r.id] for r in project.qualified_people(task)]
        teams = teams_of(task.people, tuple(people)) if task.needs_people else [()]
        duration = task.planned_duration + paused_days(
            task.pauses, task.planned_duration
        )
        longest = 0
        for team in teams:
            timed = tuple(p for p in (*team, *own) if blocked[p])
            if not timed or duration == 0:
                continue
            if (timed, duration) not in cache:
                team_blocked = [blocked[p] for p in timed]
                cache[timed, duration] = longest_pause(team_blocked, duration, days)
            longest = max(longest, cache[timed, duration])
        total += longest
    return total


def _extra_days(project: Project, base_horizon: int, unsplit: int) -> int:
    """A safe delay bound: every dated blocked day, plus a week per task that
    may wait for a break-free or part-timer-free stretch."""
    assert project.start is not None
    part_time = any(r.calendar is not None for r in project.resources)
    part_time = part_time or bool(task_calendars(project))
    waits = WEEKLY_WAIT * (len(project.tasks) if part_time else unsplit)
    waits *= project.calendar.periods_per_day  # times may count periods of days
    extra = waits
    calendars = task_calendars(project)
    away: dict[date, bool] = {}  # a date's periods share its verdict
    for _ in range(64):  # grows monotonically; dated absences are finite
        dates = project.time_calendar.working_dates(project.start, base_horizon + extra)
        for day in set(dates) - away.keys():
            away[day] = _someone_away(project.resources, day) or _calendar_holiday(
                calendars, day
            )
        dated = sum(1 for day in dates if away[day])
        if waits + dated <= extra:
            return extra
        extra = waits + dated
    return extra


def _someone_away(resources: tuple[Resource, ...], day: date) -> bool:
    """Whether an absence or a personal holiday takes anyone away on `day`."""
    for resource in resources:
        if any(absence.covers(day) for absence in resource.absences):
            return True
        if resource.calendar is not None and day in resource.calendar.holidays:
            return True
    return False


def _calendar_holiday(calendars: list[Calendar], day: date) -> bool:
    """Whether a task calendar takes `day` off beyond its working week."""
    return any(day in calendar.holidays for calendar in calendars)


def _blocked_spans(
    works_on: Callable[[date, Calendar], bool], project: Project, dates: list[date]
) -> Iterator[Span]:
    """Maximal runs of working days (or of their periods: a date repeats
    once per period) on which `works_on` says no."""
    run_start: int | None = None
    day = 0
    for when, periods in itertools.groupby(dates):
        free = works_on(when, project.time_calendar)
        if not free and run_start is None:
            run_start = day
        elif free and run_start is not None:
            yield run_start, day
            run_start = None
        day += len(list(periods))
    if run_start is not None:
        yield run_start, len(dates)


class SpanTables:
    """`ends` per team and duration over days 0 .. length-1, computed once."""

    def __init__(self, workforce: Workforce, length: int) -> None:
        self.workforce, self.length = workforce, length
        self._cache: dict[tuple[tuple[int, ...], int], Ends] = {}

    def timed(self, team: tuple[int, ...]) -> tuple[int, ...]:
        """The members whose own days off shape the team's span."""
        return tuple(sorted(p for p in team if self.workforce.blocked_of(p)))

    def ends(self, team: tuple[int, ...], duration: int) -> Ends | None:
        """Exclusive ends by start day; None when the team works every
        organisation working day (the end is then start + duration)."""
        timed = self.timed(team)
        if not timed or duration == 0:
            return None
        key = (timed, duration)
        if key not in self._cache:
            blocked = [self.workforce.blocked_of(p) for p in timed]
            self._cache[key] = work_ends(blocked, duration, self.length)
        return self._cache[key]
