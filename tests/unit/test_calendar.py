"""Working-day offsets to calendar dates."""

from __future__ import annotations

from datetime import date

from domain import Calendar

MONDAY = date(2027, 1, 4)


def test_day_zero_is_the_first_working_day() -> None:
    assert Calendar().date_of(MONDAY, 0) == MONDAY
    assert Calendar().date_of(date(2027, 1, 2), 0) == MONDAY  # a Saturday start


def test_weekends_are_skipped() -> None:
    assert Calendar().date_of(MONDAY, 4) == date(2027, 1, 8)
    assert Calendar().date_of(MONDAY, 5) == date(2027, 1, 11)


def test_holidays_are_skipped() -> None:
    calendar = Calendar(holidays=frozenset({date(2027, 1, 5)}))
    assert calendar.date_of(MONDAY, 1) == date(2027, 1, 6)


def test_far_days_match_a_day_by_day_count() -> None:
    calendar = Calendar(
        workdays=("Mon", "Tue", "Wed", "Thu"),
        holidays=frozenset({date(2027, 3, 3), date(2027, 7, 1)}),
    )
    current, counted = MONDAY, 0
    while counted < 200:
        current = date.fromordinal(current.toordinal() + 1)
        counted += calendar.is_working(current)
    assert calendar.date_of(MONDAY, 200) == current


def test_finish_date_is_the_last_working_day() -> None:
    # A 5-day task starting Monday finishes on Friday.
    assert Calendar().finish_date(MONDAY, 5) == date(2027, 1, 8)
    assert Calendar().finish_date(MONDAY, 5.2) == date(2027, 1, 11)


def test_periods_of_a_day_count_from_the_start_period() -> None:
    # 16 half-hour periods a day, starting 2 periods in (09:00 of 08:00-17:00)
    calendar = Calendar(periods_per_day=16, start_period=2)
    friday = date(2027, 1, 8)
    assert calendar.date_of(friday, 13) == friday
    assert calendar.date_of(friday, 14) == date(2027, 1, 11)  # after the weekend
    assert calendar.finish_date(friday, 15) == date(2027, 1, 11)
    assert calendar.finish_date(friday, 14) == friday
    assert calendar.working_dates(friday, 16)[13:] == [friday] + [date(2027, 1, 11)] * 2
    assert calendar.working_days_before(friday, date(2027, 1, 12)) == 30


def test_a_time_axis_keeps_its_periods_when_widened() -> None:
    weekend = Calendar(workdays=("Sat", "Sun"))
    axis = Calendar(periods_per_day=8).union(weekend)
    assert axis.workdays == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    assert axis.periods_per_day == 8
    assert axis.date_of(MONDAY, 8 * 6) == date(2027, 1, 10)
