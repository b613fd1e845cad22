"""MSPDI calendars -> `domain.Calendar`: working week, holidays, extra days.

A calendar's week comes from its `WeekDays` (DayType 1..7 = Sunday..Saturday),
day by day over its base calendar's. Exceptions over a date range become
holidays (not working) or extra working days; both the Project 2007 form
(`Exceptions/Exception`) and the older one (`WeekDay` with DayType 0 and a
`TimePeriod`) are read. Recurring exceptions and alternate work weeks cannot
be held by a working-week calendar: they are counted for the import report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from lxml import etree

from domain import Calendar, ValidationError
from domain.calendar import WEEKDAYS
from formats.mspdi_xml import Q, flag, moment, text, where

# DayType 1..7 is Sunday..Saturday; WEEKDAYS starts on Monday.
DAY_TYPES = {str(k + 1): WEEKDAYS[(k + 6) % 7] for k in range(7)}
DAY_CODES = {day: code for code, day in DAY_TYPES.items()}
MAX_EXCEPTION_DAYS = 3660  # a ten-year "exception" is a data error, not a holiday


@dataclass
class CalendarEntry:
    """One file calendar, before its base is applied."""

    uid: str
    name: str
    base: str
    week: dict[str, bool] = field(default_factory=dict)
    holidays: set[date] = field(default_factory=set)
    extra: set[date] = field(default_factory=set)


def read_calendars(root: etree._Element, unmapped: Counter[str]) -> dict[str, Calendar]:
    """Calendar UID -> calendar, each resolved over its base calendars."""
    entries = {}
    for element in root.iterfind(f"{Q}Calendars/{Q}Calendar"):
        entry = CalendarEntry(
            text(element, "UID"),
            text(element, "Name"),
            text(element, "BaseCalendarUID"),
        )
        for day in element.iterfind(f"{Q}WeekDays/{Q}WeekDay"):
            _read_week_day(day, entry)
        for exception in element.iterfind(f"{Q}Exceptions/{Q}Exception"):
            _read_exception(exception, entry, unmapped)
        if element.find(f"{Q}WorkWeeks/{Q}WorkWeek") is not None:
            unmapped["alternate work weeks (the calendar's default week is used)"] += 1
        entries[entry.uid] = entry
    return {uid: _resolve(entries, uid) for uid in entries}


def _read_week_day(day: etree._Element, entry: CalendarEntry) -> None:
    kind = text(day, "DayType")
    working = flag(day, "DayWorking")
    if kind in DAY_TYPES:
        entry.week[DAY_TYPES[kind]] = working
    elif kind == "0":  # an exception, the pre-2007 way
        period = day.find(f"{Q}TimePeriod")
        if period is not None:
            _add_range(period, working, entry)


def _read_exception(
    exception: etree._Element, entry: CalendarEntry, unmapped: Counter[str]
) -> None:
    period = exception.find(f"{Q}TimePeriod")
    recurring = (
        text(exception, "Type", "1") != "1" or text(exception, "Period", "1") != "1"
    )
    if period is None or recurring:
        unmapped["recurring calendar exceptions (not applied)"] += 1
        return
    _add_range(period, flag(exception, "DayWorking"), entry)


def _add_range(period: etree._Element, working: bool, entry: CalendarEntry) -> None:
    first, last = moment(period, "FromDate"), moment(period, "ToDate")
    if first is None or last is None:
        return
    days = (last.date() - first.date()).days + 1
    if days > MAX_EXCEPTION_DAYS:
        raise ValidationError.at(
            where(period, "ToDate"), f"an exception of {days} days; is the year right?"
        )
    for k in range(days):
        (entry.extra if working else entry.holidays).add(first.date() + timedelta(k))


def _resolve(entries: dict[str, CalendarEntry], uid: str) -> Calendar:
    """The calendar with everything it does not say taken from its bases."""
    chain, seen = [], set()
    current: str | None = uid
    while current in entries and current not in seen:
        seen.add(current)
        chain.append(entries[current])
        current = entries[current].base
    week = {day: day not in ("Sat", "Sun") for day in WEEKDAYS}
    holidays: set[date] = set()
    extra: set[date] = set()
    for entry in reversed(chain):  # the base first, then what overrides it
        week.update(entry.week)
        holidays = (holidays - entry.extra) | entry.holidays
        extra = (extra - entry.holidays) | entry.extra
    return Calendar(
        workdays=tuple(day for day in WEEKDAYS if week[day]),
        holidays=frozenset(holidays),
        extra_workdays=frozenset(day for day in extra if not _in_week(day, week)),
    )


def _in_week(day: date, week: dict[str, bool]) -> bool:
    return week[WEEKDAYS[day.weekday()]]
