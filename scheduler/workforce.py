"""People's time in the solver's terms: blocked spans, breaks, load limits, rates.

Solver time stays in organisation working days from the project start. What a
person's own calendar or absences take away becomes *blocked spans* of working
days in which that resource may not work (fixed intervals in its no-overlap),
and every organisation non-working period (a weekend, a holiday) becomes a
*break* that a non-splittable task may not straddle. A task done by a person
is worked on each day it spans, so it never spans that person's days off.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from domain import Project, Resource

Span = tuple[int, int]  # working days [start, end)
# How far one task may wait for a free stretch of a part-time person's week.
WEEKLY_WAIT = 7


@dataclass(frozen=True)
class Workforce:
    """What people add to a scheduling problem, integer-indexed.

    `blocked[r]`: sorted, disjoint spans in which resource r may not work.
    `breaks`: working days k with a non-working day between day k-1 and day k.
    `max_load_percent[r]`: r's assigned work days may not exceed this percent
    of the makespan (None: no limit). `cost_rates[r]`: money per working day.
    `extra_days`: how much later blocking may push a plan (added to horizons).
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
    unsplit = sum(1 for t in project.tasks if not t.splittable)
    if project.start is None or not (timed or unsplit):
        return Workforce(max_load_percent=loads, cost_rates=rates)
    extra = _extra_days(project, base_horizon, unsplit)
    dates = project.calendar.working_dates(project.start, base_horizon + extra)
    blocked = tuple(
        tuple(_blocked_spans(resource, project, dates))
        for resource in project.resources
    )
    breaks = tuple(
        k for k in range(1, len(dates)) if dates[k] - dates[k - 1] > timedelta(days=1)
    )
    return Workforce(blocked, breaks, loads, rates, extra)


def _extra_days(project: Project, base_horizon: int, unsplit: int) -> int:
    """A safe delay bound: every dated blocked day, plus a week per task that
    may wait for a break-free or part-timer-free stretch."""
    assert project.start is not None
    part_time = any(r.calendar is not None for r in project.resources)
    waits = WEEKLY_WAIT * (len(project.tasks) if part_time else unsplit)
    extra = waits
    for _ in range(64):  # grows monotonically; dated absences are finite
        dates = project.calendar.working_dates(project.start, base_horizon + extra)
        dated = sum(1 for day in dates if _someone_away(project.resources, day))
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


def _blocked_spans(
    resource: Resource, project: Project, dates: list[date]
) -> Iterator[Span]:
    """Maximal runs of working days on which `resource` does not work."""
    if not resource.has_own_time:
        return
    run_start: int | None = None
    for day, when in enumerate(dates):
        free = resource.works_on(when, project.calendar)
        if not free and run_start is None:
            run_start = day
        elif free and run_start is not None:
            yield run_start, day
            run_start = None
    if run_start is not None:
        yield run_start, len(dates)
