"""Calendars -> MSPDI `Calendar` elements (the writer's half of
`formats.mspdi_calendars`): the working week with 08:00-12:00 and 13:00-17:00
working times, and each holiday or extra working day as a one-day exception."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from lxml import etree

from domain import Calendar, Resource
from formats.mspdi_calendars import DAY_CODES
from formats.mspdi_xml import NS, add

WORK_TIMES = ((time(8), time(12)), (time(13), time(17)))


def resource_calendar(resource: Resource, organisation: Calendar) -> Calendar:
    """The resource's own calendar with its absences as holidays."""
    own = resource.calendar or organisation
    away = {
        day
        for absence in resource.absences
        for day in _days(absence.start, absence.end)
    }
    return Calendar(own.workdays, own.holidays | frozenset(away), own.extra_workdays)


def add_calendar(
    calendars: etree._Element, uid: str, name: str, calendar: Calendar, base: str | None
) -> None:
    """One `Calendar`: a base calendar when `base` is None, else derived from it."""
    element = etree.SubElement(calendars, f"{{{NS}}}Calendar")
    add(element, "UID", uid)
    add(element, "Name", name)
    add(element, "IsBaseCalendar", "1" if base is None else "0")
    add(element, "BaseCalendarUID", base or "-1")
    week = etree.SubElement(element, f"{{{NS}}}WeekDays")
    for weekday, code in sorted(DAY_CODES.items(), key=lambda item: item[1]):
        week_day = etree.SubElement(week, f"{{{NS}}}WeekDay")
        add(week_day, "DayType", code)
        working = weekday in calendar.workdays
        add(week_day, "DayWorking", "1" if working else "0")
        if working:
            _working_times(week_day)
    exceptions = etree.SubElement(element, f"{{{NS}}}Exceptions")
    days = [(d, False) for d in calendar.holidays] + [
        (d, True) for d in calendar.extra_workdays
    ]
    for day, working in sorted(days):
        _exception(etree.SubElement(exceptions, f"{{{NS}}}Exception"), day, working)


def _exception(element: etree._Element, day: date, working: bool) -> None:
    add(element, "EnteredByOccurrences", "0")
    period = etree.SubElement(element, f"{{{NS}}}TimePeriod")
    add(period, "FromDate", datetime.combine(day, time(0)))
    add(period, "ToDate", datetime.combine(day, time(23, 59)))
    add(element, "Occurrences", "1")
    add(element, "Name", "working day" if working else "holiday")
    add(element, "Type", "1")
    add(element, "DayWorking", "1" if working else "0")
    if working:
        _working_times(element)


def _working_times(parent: etree._Element) -> None:
    times = etree.SubElement(parent, f"{{{NS}}}WorkingTimes")
    for begin, end in WORK_TIMES:
        working_time = etree.SubElement(times, f"{{{NS}}}WorkingTime")
        add(working_time, "FromTime", begin.isoformat())
        add(working_time, "ToTime", end.isoformat())


def _days(first: date, last: date) -> Iterator[date]:
    for k in range((last - first).days + 1):
        yield first + timedelta(days=k)
