"""Working-day calendars: turn working-time offsets into calendar dates.

A project's times count working days from its start, or, where it plans
within the day, periods of a working day (`Calendar.periods_per_day`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Calendar:
    """The organisation's working week, holidays and extra working days
    (`extra_workdays`: days worked outside the working week, a Saturday
    shift, say; as MS Project's working exceptions).

    Working day 0 is the first working day on or after the project start; a task
    that starts at day s and lasts d days works days s .. s+d-1.

    A project calendar may count times finer than a day: `periods_per_day`
    equal periods of working time make a working day, and the project starts
    `start_period` periods into its first working day (MS Project's 09:00
    start on a day working from 08:00); time t then lies on working day
    (t + start_period) // periods_per_day. With 1 and 0 (the default) times
    are whole working days.
    """

    workdays: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri")
    holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)
    periods_per_day: int = 1
    start_period: int = 0

    @property
    def within_day(self) -> bool:
        """Whether times count periods of a working day, not whole days."""
        return self.periods_per_day != 1 or self.start_period != 0

    @property
    def whole_days(self) -> Calendar:
        """The same days, its times counting whole working days."""
        return replace(self, periods_per_day=1, start_period=0)

    def day_of(self, time: int) -> int:
        """The working day (from the first one) time `time` lies on."""
        return (time + self.start_period) // self.periods_per_day

    def is_working(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        return WEEKDAYS[day.weekday()] in self.workdays and day not in self.holidays

    def date_of(self, start: date, working_day: int) -> date:
        """The calendar date of time `working_day` (a working day, or a
        period of one: `periods_per_day`) counted from `start`."""
        return self._date_of_day(start, self.day_of(working_day))

    def _date_of_day(self, start: date, working_day: int) -> date:
        if not self.workdays:
            raise ValueError("a calendar needs at least one working weekday")
        current = start
        while not self.is_working(current):
            current += timedelta(days=1)
        remaining = working_day
        # Skip whole weeks first so far-away days stay cheap.
        per_week = len(self.workdays)
        while remaining > per_week * 2 and not self._exception_within(current, 7):
            current += timedelta(days=7)
            remaining -= per_week
        while remaining > 0:
            current += timedelta(days=1)
            if self.is_working(current):
                remaining -= 1
        return current

    def working_dates(self, start: date, count: int) -> list[date]:
        """The dates of times 0 .. count-1 counted from `start` (of working
        days, or of the periods of working days: `periods_per_day`)."""
        if count <= 0:
            return []
        if self.within_day:
            days = self._working_days(start, self.day_of(count - 1) + 1)
            periods = [day for day in days for _ in range(self.periods_per_day)]
            return periods[self.start_period : self.start_period + count]
        return self._working_days(start, count)

    def _working_days(self, start: date, count: int) -> list[date]:
        current = self._date_of_day(start, 0)
        dates = [current]
        while len(dates) < count:
            current += timedelta(days=1)
            if self.is_working(current):
                dates.append(current)
        return dates

    def finish_date(self, start: date, finish: float) -> date:
        """The last working date of work that ends at offset `finish` (exclusive)."""
        return self.date_of(start, max(math.ceil(finish) - 1, 0))

    def working_days_before(self, start: date, day: date) -> int:
        """How many working days lie in [start, day): the working-day number
        of `day` when it is a working day, counted from `start` (in periods
        where the calendar counts them: the first period of that day)."""
        if self.within_day:
            days = self.whole_days.working_days_before(start, day)
            before = days * self.periods_per_day
            return max(before - self.start_period, 0)
        if day <= start:
            return 0
        span = (day - start).days
        weeks = span // 7
        count = weeks * len(self.workdays)
        count += sum(
            WEEKDAYS[(start + timedelta(days=k)).weekday()] in self.workdays
            for k in range(weeks * 7, span)
        )
        for exception in self.holidays | self.extra_workdays:
            if start <= exception < day:
                in_week = WEEKDAYS[exception.weekday()] in self.workdays
                count += self.is_working(exception) - in_week
        return count

    def union(self, other: Calendar) -> Calendar:
        """The calendar working every day either one works."""
        return _combined(self, other, any)

    def intersection(self, other: Calendar) -> Calendar:
        """The calendar working only the days both work."""
        return _combined(self, other, all)

    def _exception_within(self, day: date, days: int) -> bool:
        exceptions = self.holidays | self.extra_workdays
        if not exceptions:  # the common case: no need to look day by day
            return False
        return any(day + timedelta(days=k) in exceptions for k in range(days + 1))


# Clock time: every day of the week works, holidays too (elapsed durations).
EVERY_DAY = Calendar(workdays=WEEKDAYS)


def _combined(
    first: Calendar, second: Calendar, rule: Callable[[Iterable[bool]], bool]
) -> Calendar:
    """The calendar working a day when `rule` (any, all) of the two do: its
    week from the two weeks, its exceptions where that week is wrong (only a
    date that is an exception in one of them can be)."""
    both = (first, second)  # the time grain is the first one's (the axis's)
    week = tuple(d for d in WEEKDAYS if rule(d in c.workdays for c in both))
    dates = first.holidays | first.extra_workdays | second.holidays
    dates |= second.extra_workdays
    works = {day: rule(c.is_working(day) for c in both) for day in dates}
    in_week = {day: WEEKDAYS[day.weekday()] in week for day in dates}
    return Calendar(
        workdays=week,
        holidays=frozenset(d for d in dates if in_week[d] and not works[d]),
        extra_workdays=frozenset(d for d in dates if works[d] and not in_week[d]),
        periods_per_day=first.periods_per_day,
        start_period=first.start_period,
    )
