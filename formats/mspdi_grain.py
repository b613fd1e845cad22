"""The time grain of an MSPDI file: whole working days, or periods of one.

MS Project schedules in minutes of its calendars' working times. planforge
plans in whole working days unless a file needs finer: a task duration or a
link lag that is not a whole number of days (of the file's MinutesPerDay),
or a project that starts inside the working day (a 09:00 start on a day
working from 08:00). Then the time axis counts periods of the project
calendar's working day (`Calendar.periods_per_day`): the longest period
(whole minutes) that divides the day's working minutes, every such duration
and lag, and the start's offset into its day, so each maps exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, time

from lxml import etree

from domain import Calendar
from formats.clock import WORK_TIMES, minutes_before, working_minutes
from formats.mspdi_xml import (
    PERCENT_FORMATS,
    Q,
    base_format,
    elapsed_days,
    flag,
    minutes,
    number,
)
from formats.mspdi_xml import text as text_of

WorkTimes = tuple[tuple[time, time], ...]


@dataclass(frozen=True)
class Grain:
    """How a file's times map onto the axis: `unit_minutes` working minutes
    make one time unit; a day holds `periods_per_day` of them (1: whole
    days) and the project starts `start_period` units into its first day."""

    unit_minutes: float
    work_times: WorkTimes = WORK_TIMES
    periods_per_day: int = 1
    start_period: int = 0

    def axis(self, calendar: Calendar) -> Calendar:
        """`calendar` counting this grain's periods."""
        return replace(
            calendar,
            periods_per_day=self.periods_per_day,
            start_period=self.start_period,
        )


def read_grain(
    root: etree._Element, per_day: float, calendar: Calendar, start: datetime
) -> Grain:
    """The grain the file needs; `calendar` is the project's, `start` the
    earliest moment the file holds for work."""
    work_times = _work_times(root, text_of(root, "CalendarUID"))
    if work_times is None:  # hours differing by weekday: whole days
        return Grain(per_day)
    offset = (
        minutes_before(work_times, start.time())
        if calendar.is_working(start.date())
        else 0
    )
    spans = [round(span) for span in _spans(root)]
    whole = all(span % per_day == 0 for span in spans) and offset == 0
    day = working_minutes(work_times)
    if whole or day <= 0:
        return Grain(per_day, work_times)
    period = math.gcd(day, round(offset), *spans)
    return Grain(period, work_times, day // period, round(offset) // period)


def _spans(root: etree._Element) -> list[float]:
    """Minutes of every leaf task's working-time duration (elapsed whole
    days are whole days of any grain) and every timed link lag."""
    spans = []
    for task in root.iterfind(f"{Q}Tasks/{Q}Task"):
        if flag(task, "Summary") or flag(task, "IsNull"):
            continue
        if elapsed_days(task) is None:
            spans.append(minutes(task, "Duration") or 0.0)
        for link in task.iterfind(f"{Q}PredecessorLink"):
            code = base_format(int(number(link, "LagFormat", 7)))
            if code not in PERCENT_FORMATS:
                spans.append(abs(number(link, "LinkLag")) / 10)
    return spans


def _work_times(root: etree._Element, uid: str) -> WorkTimes | None:
    """The working times of the calendar's working weekdays (through its
    base calendars), MS Project's standard day when none gives any; None
    when they differ from one weekday to another."""
    by_uid = {text_of(c, "UID"): c for c in root.iterfind(f"{Q}Calendars/{Q}Calendar")}
    seen: set[str] = set()
    while uid in by_uid and uid not in seen:
        seen.add(uid)
        days = {
            _day_times(day)
            for day in by_uid[uid].iterfind(f"{Q}WeekDays/{Q}WeekDay")
            if text_of(day, "DayType") != "0" and flag(day, "DayWorking")
        }
        days.discard(())
        if len(days) > 1 or None in days:
            return None
        if days:
            return days.pop()
        uid = text_of(by_uid[uid], "BaseCalendarUID")
    return WORK_TIMES


def _day_times(day: etree._Element) -> WorkTimes | None:
    """A weekday's working times, in order (None if one is not a time)."""
    pairs = []
    for span in day.iterfind(f"{Q}WorkingTimes/{Q}WorkingTime"):
        try:
            begin = time.fromisoformat(text_of(span, "FromTime"))
            end = time.fromisoformat(text_of(span, "ToTime"))
        except ValueError:
            return None
        pairs.append((begin, end))
    return tuple(sorted(pairs))
