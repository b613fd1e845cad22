"""Task calendars: a task with its own calendar works only on that calendar's
working days, its duration counted in them; days it works beyond the project
calendar (weekends) join the time axis, where tasks without a calendar keep
the project's days; the solver, the left shift, the validator, floats,
forecasts and MSPDI honour it.

The project starts Monday 2027-01-04 (day 0) on a Monday-Friday week, so days
0..4 are Mon..Fri of the first week, 5..9 of the second.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from lxml import etree

import simulation
from domain import Project
from domain.document import project_from_document
from domain.document_writer import project_to_document
from formats.mspdi_read import read_mspdi
from formats.mspdi_write import write_mspdi
from scheduler import SolveOptions, solve, validate_plan
from tests.integration.test_formats_mspdi import SCHEMA

OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)
NS = "{http://schemas.microsoft.com/project}"
MON_WED_FRI = {"workdays": ["Mon", "Wed", "Fri"]}


def project(**extra: Any) -> Project:
    document = {
        "name": "calendars",
        "start": "2027-01-04",
        "resources": [{"id": "ann", "skills": {"x": 1}}],
        "tasks": [
            {"id": "a", "duration": 5, "calendar": MON_WED_FRI},
            {"id": "b", "duration": 2},
            {
                "id": "c",
                "duration": 3,
                "skills": {"x": 1},
                "calendar": {"workdays": ["Tue", "Thu"], "holidays": ["2027-01-07"]},
            },
        ],
        "dependencies": [{"from": "a", "to": "b"}],
        **extra,
    }
    return project_from_document(document)


def spans(plan: Any) -> dict[str, tuple[int, int]]:
    return {t.task_id: (t.start, t.finish) for t in plan.tasks}


def test_a_task_works_only_its_calendar_days() -> None:
    calendared = project()

    plan = solve(calendared, OPTIONS)

    assert validate_plan(calendared, plan) == []
    # a: Mon 0, Wed 2, Fri 4, Mon 5, Wed 7 -> finishes after day 7
    # c: Tue 1, (Thu 3 is a holiday of its calendar), Tue 6, Thu 8
    assert spans(plan) == {"a": (0, 8), "b": (8, 10), "c": (1, 9)}
    floats = {t.task_id: t.total_float for t in plan.tasks}
    assert floats["a"] == 0  # its elapsed span drives b, which ends the plan
    assert plan.makespan == 10


def test_the_validator_refuses_a_plan_that_ignores_the_calendar() -> None:
    calendared = project()
    plan = solve(calendared, OPTIONS)
    tasks = tuple(
        dataclasses.replace(t, start=0, finish=5) if t.task_id == "a" else t
        for t in plan.tasks
    )
    wrong = dataclasses.replace(plan, tasks=tasks)

    problems = validate_plan(calendared, wrong)

    assert "task a needs 5 working days of its calendar but gets 3" in " ".join(
        problems
    )
    late_start = tuple(
        dataclasses.replace(t, start=1, finish=9) if t.task_id == "a" else t
        for t in plan.tasks
    )
    problems = validate_plan(calendared, dataclasses.replace(plan, tasks=late_start))
    assert "task a starts on day 1, a day off in its calendar" in problems


def test_without_a_calendar_the_same_task_runs_straight_through() -> None:
    plain = project()
    plain = dataclasses.replace(
        plain, tasks=tuple(dataclasses.replace(t, calendar=None) for t in plain.tasks)
    )
    assert spans(solve(plain, OPTIONS))["a"] == (0, 5)


def test_a_forecast_lasts_as_the_calendar_stretches_the_work() -> None:
    calendared = project()
    plan = solve(calendared, OPTIONS)

    result = simulation.forecast(calendared, plan, 200, 1)

    assert result.duration.p50 == pytest.approx(10)  # fixed durations: the plan


def test_the_json_document_keeps_a_task_calendar() -> None:
    calendared = project()
    again = project_from_document(project_to_document(calendared))
    assert again.task("a").calendar == calendared.task("a").calendar


def test_mspdi_export_and_import_keep_a_task_calendar() -> None:
    calendared = project()
    plan = solve(calendared, OPTIONS)

    exported = write_mspdi(calendared, plan)

    assert SCHEMA.validate(etree.fromstring(exported)), SCHEMA.error_log
    imported = read_mspdi(exported)
    again = imported.project
    assert again.task("1").calendar == calendared.task("a").calendar
    assert imported.report.mapped["task calendars"] == 2
    replanned = solve(again, OPTIONS)
    assert replanned.makespan == plan.makespan


SEVEN_DAYS = {"workdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}


def widened(calendar: dict[str, Any] | None = SEVEN_DAYS) -> Project:
    """a (10 days, on `calendar`) then b (2 days, project calendar); c (6
    days, project calendar) alongside. Day 0 is Monday 2027-01-04."""
    a: dict[str, Any] = {"id": "a", "duration": 10}
    if calendar is not None:
        a["calendar"] = calendar
    return project_from_document(
        {
            "name": "weekend work",
            "start": "2027-01-04",
            "tasks": [a, {"id": "b", "duration": 2}, {"id": "c", "duration": 6}],
            "dependencies": [{"from": "a", "to": "b"}],
        }
    )


def test_a_task_calendar_working_weekends_adds_them_to_the_time_axis() -> None:
    weekends = widened()
    weekdays = widened(calendar=None)

    plan, plain = solve(weekends, OPTIONS), solve(weekdays, OPTIONS)

    assert validate_plan(weekends, plan) == []
    assert weekends.time_calendar.is_working(date(2027, 1, 9))  # a Saturday
    # a works every day Mon 4 .. Wed 13; b (Mon-Fri) Thu 14, Fri 15; c works
    # Mon 4 .. Fri 8 and Mon 11 (axis days 0-4 and 7), pausing over the weekend.
    assert spans(plan) == {"a": (0, 10), "b": (10, 12), "c": (0, 8)}
    finish = {t.task_id: weekends.finish_date(t.finish) for t in plan.tasks}
    assert finish == {
        "a": date(2027, 1, 13),
        "b": date(2027, 1, 15),
        "c": date(2027, 1, 11),
    }
    plain_finish = {t.task_id: weekdays.finish_date(t.finish) for t in plain.tasks}
    assert plain_finish["a"] == date(2027, 1, 15)  # two weeks of Mon-Fri
    assert plain_finish["b"] == date(2027, 1, 19)
    floats = {t.task_id: t.total_float for t in plan.tasks}
    assert floats == {"a": 0, "b": 0, "c": 4}  # c may end as late as b (day 12)


def test_the_validator_refuses_work_on_a_day_off_of_the_task_calendar() -> None:
    weekends = widened()
    plan = solve(weekends, OPTIONS)
    # b and c keep the project calendar: Saturday 9 (axis day 5) is a day off.
    on_saturday = tuple(
        dataclasses.replace(t, start=5, finish=7)
        if t.task_id == "b"
        else dataclasses.replace(t, start=5, finish=13)
        if t.task_id == "c"
        else t
        for t in plan.tasks
    )
    problems = validate_plan(weekends, dataclasses.replace(plan, tasks=on_saturday))
    assert "task c starts on day 5, a day off in its calendar" in problems
    assert (
        "task b needs 2 working days of its calendar but gets 0 from day 5 to day 7"
        in problems
    )
    too_short = tuple(
        dataclasses.replace(t, finish=7) if t.task_id == "c" else t for t in plan.tasks
    )
    problems = validate_plan(weekends, dataclasses.replace(plan, tasks=too_short))
    assert "task c needs 6 working days of its calendar but gets 5" in " ".join(
        problems
    )


def test_a_forecast_on_the_widened_axis_counts_its_days() -> None:
    weekends = widened()
    plan = solve(weekends, OPTIONS)

    result = simulation.forecast(weekends, plan, 200, 1)

    assert result.duration.p50 == pytest.approx(12)
    assert weekends.finish_date(result.duration.p50) == date(2027, 1, 15)


def test_mspdi_round_trip_keeps_weekend_work() -> None:
    weekends = widened()
    plan = solve(weekends, OPTIONS)

    exported = write_mspdi(weekends, plan)

    assert SCHEMA.validate(etree.fromstring(exported)), SCHEMA.error_log
    finishes = {
        e.findtext(f"{NS}UID"): e.findtext(f"{NS}Finish")
        for e in etree.fromstring(exported).iter(f"{NS}Task")
    }
    assert finishes["1"] == "2027-01-13T17:00:00"  # a, over the weekend
    imported = read_mspdi(exported)
    again = imported.project
    assert again.time_calendar == weekends.time_calendar
    assert not imported.report.unmapped
    replanned = solve(again, OPTIONS)
    assert spans(replanned) == {"1": (0, 10), "2": (10, 12), "3": (0, 8)}
