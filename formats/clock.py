"""Dates and times of outside files <-> planforge's working days.

planforge counts whole working days from the project start: a task on
[start, finish) works days start .. finish-1. Files hold date-times; `Clock`
converts with the project's time axis (`Project.time_calendar`), and
minutes with the file's minutes per working day (MS Project's default 480).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from domain import Calendar, ValidationError

MINUTES_PER_DAY = 480
DAY_START = time(8, 0)
DAY_FINISH = time(17, 0)
MAX_SPAN_DAYS = 100 * 366  # a century either side of the start
# Dates of real schedules (MS Project itself accepts 1984..2149).
FIRST_YEAR, LAST_YEAR = 1900, 2200


@dataclass
class Clock:
    """Working-day numbers of dates for one project calendar and start."""

    calendar: Calendar
    start: date
    day_start: time = DAY_START
    day_finish: time = DAY_FINISH
    _dates: list[date] = field(default_factory=list)

    def index(self, day: date) -> int:
        """Working days before `day` since the start (negative before it)."""
        if abs((day - self.start).days) > MAX_SPAN_DAYS:
            raise ValidationError.at(
                "date", f"{day} is more than {MAX_SPAN_DAYS} days from the start"
            )
        if day < self.start:
            return -sum(
                1
                for k in range((self.start - day).days)
                if self.calendar.is_working(day + timedelta(days=k))
            )
        while not self._dates or self._dates[-1] < day:
            self._extend()
        return bisect.bisect_left(self._dates, day)

    def start_day(self, moment: datetime) -> int:
        """The working day work starting at `moment` begins on."""
        late = moment.time() >= self.day_finish
        return self.index(moment.date()) + (1 if late else 0)

    def finish_day(self, moment: datetime) -> int:
        """The exclusive finish of work ending at `moment`."""
        worked = moment.time() > self.day_start
        return self.index(moment.date()) + (1 if worked else 0)

    def date_of(self, day: int) -> date:
        return self.calendar.date_of(self.start, day)

    def start_moment(self, day: int) -> datetime:
        return datetime.combine(self.date_of(day), self.day_start)

    def finish_moment(self, finish: int, start: int) -> datetime:
        """When work on [start, finish) ends: the last day's end of work
        (a milestone: its start)."""
        if finish <= start:
            return self.start_moment(start)
        return datetime.combine(self.date_of(finish - 1), self.day_finish)

    def dates(self, first: int, end: int) -> list[date]:
        """The dates of days first .. end-1 (from day 0 on)."""
        while end > 0 and len(self._dates) < end:
            self._extend()
        return self._dates[max(first, 0) : max(end, 0)]

    def _extend(self) -> None:
        count = max(2 * len(self._dates), 512)
        self._dates = self.calendar.working_dates(self.start, count)
