"""Dates and times of outside files <-> planforge's working days.

planforge counts whole working days from the project start: a task on
[start, finish) works days start .. finish-1. Files hold date-times; `Clock`
converts with the project's time axis (`Project.time_calendar`), and
minutes with the file's minutes per working day (MS Project's default 480).
Where the axis counts periods of a working day (`Calendar.periods_per_day`),
a period is that share of the day's working times (`WORK_TIMES` unless the
file says otherwise), and the start of day 0 is `start_period` periods in.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from domain import Calendar, ValidationError

MINUTES_PER_DAY = 480
DAY_START = time(8, 0)
DAY_FINISH = time(17, 0)
# MS Project's standard working day: 08:00-12:00 and 13:00-17:00.
WORK_TIMES = ((time(8), time(12)), (time(13), time(17)))
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
    work_times: tuple[tuple[time, time], ...] = WORK_TIMES
    _dates: list[date] = field(default_factory=list)

    @property
    def period_minutes(self) -> float:
        """Working minutes of one period of the axis (within-day axes)."""
        return working_minutes(self.work_times) / self.calendar.periods_per_day

    def _period_of(self, moment: datetime, finish: bool) -> int:
        """The period of the axis work starting (or, `finish`, ending) at
        `moment` begins on (ends before)."""
        calendar, minutes = self.calendar, self.period_minutes
        worked = 0.0
        if calendar.is_working(moment.date()):  # else: the next day's start
            worked = minutes_before(self.work_times, moment.time()) / minutes
        within = int(-(-worked // 1)) if finish else int(worked // 1)
        periods = self.index(moment.date()) * calendar.periods_per_day + within
        return periods - calendar.start_period

    def _moment(self, period: int, end: bool) -> datetime:
        """When period `period` of the axis starts (or, `end`, ends)."""
        calendar = self.calendar
        within = (period + calendar.start_period) % calendar.periods_per_day
        minutes = (within + (1 if end else 0)) * self.period_minutes
        return datetime.combine(
            self.date_of(period), time_after(self.work_times, minutes, end)
        )

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
        """The working day (or period) work starting at `moment` begins on."""
        if self.calendar.within_day:
            return self._period_of(moment, finish=False)
        late = moment.time() >= self.day_finish
        return self.index(moment.date()) + (1 if late else 0)

    def finish_day(self, moment: datetime) -> int:
        """The exclusive finish of work ending at `moment`."""
        if self.calendar.within_day:
            return self._period_of(moment, finish=True)
        worked = moment.time() > self.day_start
        return self.index(moment.date()) + (1 if worked else 0)

    def date_of(self, day: int) -> date:
        return self.calendar.date_of(self.start, day)

    def start_moment(self, day: int) -> datetime:
        if self.calendar.within_day:
            return self._moment(day, end=False)
        return datetime.combine(self.date_of(day), self.day_start)

    def finish_moment(self, finish: int, start: int) -> datetime:
        """When work on [start, finish) ends: the last day's end of work
        (a milestone: its start)."""
        if finish <= start:
            return self.start_moment(start)
        if self.calendar.within_day:
            return self._moment(finish - 1, end=True)
        return datetime.combine(self.date_of(finish - 1), self.day_finish)

    def dates(self, first: int, end: int) -> list[date]:
        """The dates of days (or periods) first .. end-1 (from 0 on)."""
        if self.calendar.within_day:
            last = self.calendar.day_of(end - 1) + 1
            while last > 0 and len(self._dates) < last:
                self._extend()
            days = range(max(first, 0), max(end, 0))
            return [self._dates[self.calendar.day_of(k)] for k in days]
        while end > 0 and len(self._dates) < end:
            self._extend()
        return self._dates[max(first, 0) : max(end, 0)]

    def _extend(self) -> None:
        """More working dates (one per working day) from the start."""
        count = max(2 * len(self._dates), 512)
        self._dates = self.calendar.whole_days.working_dates(self.start, count)


def working_minutes(work_times: tuple[tuple[time, time], ...]) -> int:
    """Minutes of work in a day of these working times."""
    return round(
        sum(_minutes(end, True) - _minutes(begin) for begin, end in work_times)
    )


def minutes_before(work_times: tuple[tuple[time, time], ...], when: time) -> float:
    """Working minutes of the day before `when`."""
    at = _minutes(when)
    return sum(
        max(0, min(at, _minutes(end, True)) - _minutes(begin))
        for begin, end in work_times
    )


def time_after(
    work_times: tuple[tuple[time, time], ...], minutes: float, end: bool
) -> time:
    """The time of day when `minutes` working minutes of the day have passed
    (`end`: the end of work, not the next start, when that falls on a break)."""
    left = minutes
    for begin, finish in work_times:
        length = _minutes(finish, True) - _minutes(begin)
        if left < length or (end and left == length):
            at = _minutes(begin) + left
            return time(int(at // 60) % 24, int(at % 60), int(at * 60 % 60))
        left -= length
    return work_times[-1][1]


def _minutes(when: time, end: bool = False) -> float:
    """Minutes since midnight (an end at 00:00 is the day's end)."""
    if end and when == time(0):
        return 1440
    return when.hour * 60 + when.minute + when.second / 60
