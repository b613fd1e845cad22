"""Where a working day lands on a page: the calendar axis of Gantt charts.

Plans count organisation working days from the project start; people read
dates. A `TimeScale` maps working days to x on a calendar axis (weekends and
holidays take room, shaded) when the project has a start date, or to a plain
working-day axis when it has none. Zoom sets the pixels per calendar day.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from domain import Project

ZOOMS = {"day": 22.0, "week": 7.0, "month": 2.4}
DEFAULT_ZOOM = "week"


@dataclass(frozen=True)
class Tick:
    """An axis label at x, and whether it starts a bigger period (a month)."""

    x: float
    label: str


@dataclass(frozen=True)
class Span:
    """Non-working calendar days [x, x + width): `kind` weekend or holiday."""

    x: float
    width: float
    kind: str
    label: str


class TimeScale:
    """Working day -> x, for `days` working days of `project` from `left`."""

    def __init__(self, project: Project, days: int, zoom: str, left: float) -> None:
        self.project = project
        self.per_day = ZOOMS.get(zoom, ZOOMS[DEFAULT_ZOOM])
        self.left = left
        self.start = project.start
        count = max(days, 1) + 1
        self.dates = (
            []
            if project.start is None
            else project.time_calendar.working_dates(project.start, count)
        )
        last = self.dates[-1] if self.dates else None
        self.calendar_days = count if last is None else self._offset(last) + 1
        self.width = self.calendar_days * self.per_day

    def _offset(self, day: date) -> int:
        assert self.start is not None
        return (day - self.start).days

    def x_start(self, working_day: float) -> float:
        """x where a task starting on working day `working_day` begins."""
        whole = max(int(working_day), 0)
        if not self.dates:
            return self.left + working_day * self.per_day
        if whole >= len(self.dates):
            return self.left + self.width
        return self.left + self._offset(self.dates[whole]) * self.per_day

    def x_end(self, finish: float) -> float:
        """x where work ending at (exclusive) working day `finish` stops: the
        end of its last working day, so weekends inside a task are covered."""
        if not self.dates:
            return self.left + finish * self.per_day
        return self.left + (self._offset(self._last_date(finish)) + 1) * self.per_day

    def _last_date(self, finish: float) -> date:
        """`Calendar.finish_date`, read from the dates already worked out."""
        index = max(math.ceil(finish) - 1, 0)
        if index < len(self.dates):
            return self.dates[index]
        last = self.project.finish_date(finish)
        assert last is not None
        return last

    def date_label(self, working_day: float, finish: bool = True) -> str:
        """The date of a finish (its last working day) or of a start day, or
        "day N" for a project without a start date."""
        if not self.dates:
            return f"day {working_day:g}"
        if finish:
            return self._last_date(working_day).isoformat()
        return self._last_date(int(working_day) + 1).isoformat()

    def ticks(self) -> tuple[list[Tick], list[Tick]]:
        """Upper row (months, or every 20 working days) and lower row (days at
        day zoom, ISO weeks otherwise, or every 5 working days)."""
        if self.start is None:
            upper = [
                Tick(self.left + d * self.per_day, f"day {d}")
                for d in range(0, self.calendar_days, 20)
            ]
            lower = [
                Tick(self.left + d * self.per_day, str(d))
                for d in range(0, self.calendar_days, 5)
            ]
            return upper, lower
        upper, lower = [], []
        for offset, day in self._calendar():
            x = self.left + offset * self.per_day
            if day.day == 1 or offset == 0:
                upper.append(Tick(x, day.strftime("%b %Y")))
            label = self._lower_label(day)
            if label:
                lower.append(Tick(x, label))
        return upper, lower

    def _lower_label(self, day: date) -> str | None:
        """Every day at day zoom; Mondays at week zoom; odd ISO weeks else."""
        if self.per_day >= ZOOMS["day"]:
            return str(day.day)
        if day.weekday() != 0:
            return None
        if self.per_day >= ZOOMS["week"]:
            return str(day.day)
        week = day.isocalendar()[1]
        return f"W{week:02d}" if week % 2 == 1 else None

    def days_off(self) -> list[Span]:
        """Runs of weekend days and each holiday, merged into spans."""
        spans: list[Span] = []
        if self.start is None:
            return spans
        calendar = self.project.calendar
        for offset, day in self._calendar():
            if calendar.is_working(day):
                continue
            kind = "holiday" if day in calendar.holidays else "weekend"
            x = self.left + offset * self.per_day
            previous = spans[-1] if spans else None
            if (
                previous
                and previous.kind == kind
                and abs(previous.x + previous.width - x) < 1e-6
            ):
                spans[-1] = Span(
                    previous.x, previous.width + self.per_day, kind, previous.label
                )
            else:
                spans.append(Span(x, self.per_day, kind, day.isoformat()))
        return spans

    def _calendar(self) -> Iterator[tuple[int, date]]:
        assert self.start is not None
        for offset in range(self.calendar_days):
            yield offset, self.start + timedelta(days=offset)
