"""People's committed work in other projects, as busy time for one project.

Resources are shared across projects by id. A committed plan books its
people on the dates they work its tasks (`loading.held_days`: days off inside
a task do not count). `busy_spans` turns one plan into runs of consecutive
dates per person, each with the number of its tasks the person holds at once;
the read model of committed plans keeps them per plan (a few runs per person
and week), so planning one project among a thousand reads only the runs of its
own people. `reserved_days` maps runs onto a project's working days, summed
per day and capped at each person's capacity: the time a plan of that
project must leave free, which the solver keeps out of and the validator
re-checks.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from domain.loading import Booking, held_days
from domain.model import Project

Reserved = tuple[str, int, int, int]  # person, first working day, end day, units


@dataclass(frozen=True)
class BusySpan:
    """`person` holds `units` tasks of `project` at once on every date in
    [start, end) (end exclusive)."""

    person: str
    start: date
    end: date
    units: int = 1
    project: str = ""


def busy_spans(
    project: Project, bookings: Sequence[Booking], owner: str = ""
) -> list[BusySpan]:
    """The runs of dates on which people work the booked tasks (none without
    a project start: a plan then has no dates)."""
    if project.start is None:
        return []
    latest = max((b.finish for b in bookings), default=0)
    dates = project.time_calendar.working_dates(project.start, latest)
    held: dict[str, Counter[int]] = defaultdict(Counter)
    for person, day, _owner in held_days(project, bookings):
        held[person][dates[day].toordinal()] += 1
    return [
        BusySpan(person, date.fromordinal(first), date.fromordinal(end), units, owner)
        for person in sorted(held)
        for first, end, units in runs(held[person])
    ]


def runs(units_by_day: Counter[int]) -> Iterator[tuple[int, int, int]]:
    """(first, end, units) for each run of consecutive days with equal units."""
    run: tuple[int, int, int] | None = None
    for day in sorted(units_by_day):
        units = units_by_day[day]
        if run is not None and run[1] == day and run[2] == units:
            run = (run[0], day + 1, units)
            continue
        if run is not None:
            yield run
        run = (day, day + 1, units)
    if run is not None:
        yield run


def reserved_days(project: Project, spans: Iterable[BusySpan]) -> list[Reserved]:
    """(person, first day, end day, units) on the project's working days that
    people of the project spend elsewhere, capped at their capacity; runs of
    days with equal units are merged. Empty without a project start."""
    capacities = {r.id: r.capacity for r in project.resources}
    mine = [s for s in spans if s.person in capacities and s.units > 0]
    if project.start is None or not mine:
        return []
    last = max(s.end for s in mine)
    dates = project.time_calendar.working_dates(
        project.start, (last - project.start).days + 1
    )
    per_day: dict[str, Counter[int]] = defaultdict(Counter)
    for span in mine:
        first = bisect.bisect_left(dates, span.start)
        end = bisect.bisect_left(dates, span.end)
        for day in range(first, end):
            per_day[span.person][day] += span.units
    return [
        (person, first, end, units)
        for person in sorted(per_day)
        for first, end, units in runs(
            Counter(
                {
                    day: min(units, capacities[person])
                    for day, units in per_day[person].items()
                }
            )
        )
        if units > 0
    ]
