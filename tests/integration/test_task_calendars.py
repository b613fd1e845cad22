"""Task calendars: a task with its own calendar works only on that calendar's
working days (within the organisation's), its duration counted in them; the
solver, the left shift, the validator, floats, forecasts and MSPDI honour it.

The project starts Monday 2027-01-04 (day 0) on a Monday-Friday week, so days
0..4 are Mon..Fri of the first week, 5..9 of the second.
"""

from __future__ import annotations

import dataclasses
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
