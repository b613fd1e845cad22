"""Elapsed durations (MS Project's "30 edays"): a task marked `elapsed` counts
its duration in clock days, every day of the week and holidays too; its work
runs on through the night, so it ends on the next day at the time it started.
The solver, the validator, the JSON document and MSPDI agree on it.

The project starts Monday 2027-01-04 (day 0) on a Monday-Friday week with a
holiday on Wednesday 2027-01-06.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import simulation
from domain import Plan, ValidationError
from domain.document import project_from_document
from domain.document_writer import project_to_document
from domain.plan import plan_finish_date
from domain.validation import validate_project
from formats.mspdi_read import read_mspdi
from formats.mspdi_write import write_mspdi
from formats.mspdi_xml import Q, moment, text
from scheduler import SolveOptions, solve, validate_plan
from scheduler.portfolio import plan_portfolio
from service.report import plan_summary
from service.views import plan_view
from tests.integration.test_formats_mspdi import SCHEMA

OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)
DATA = Path(__file__).parents[1] / "data" / "mspdi"


def document(elapsed: bool = True, **a_fields: Any) -> dict[str, Any]:
    """a (10 days, elapsed or not) then b (2 days); c (6 days) alongside."""
    return {
        "name": "elapsed",
        "start": "2027-01-04",
        "calendar": {"holidays": ["2027-01-06"]},
        "tasks": [
            {"id": "a", "duration": 10, "elapsed": elapsed, **a_fields},
            {"id": "b", "duration": 2},
            {"id": "c", "duration": 6},
        ],
        "dependencies": [{"from": "a", "to": "b"}],
    }


def spans(plan: Plan) -> dict[str, tuple[int, int]]:
    return {t.task_id: (t.start, t.finish) for t in plan.tasks}


def test_an_elapsed_task_works_every_day_and_ends_the_next_morning() -> None:
    project = project_from_document(document())

    plan = solve(project, OPTIONS)

    assert validate_plan(project, plan) == []
    # The axis holds every day: a works Mon 4 .. Wed 13, the holiday and the
    # weekend too; b (Mon-Fri) Thu 14, Fri 15; c pauses over the holiday
    # (day 2) and the weekend (days 5, 6): Mon 4, Tue 5, Thu 7 .. Mon 11, Tue 12.
    assert spans(plan) == {"a": (0, 10), "b": (10, 12), "c": (0, 9)}
    a = project.task("a")
    assert project.finish_date(10) == date(2027, 1, 13)
    # 10 days of 24 h from Monday 4 at 08:00 end Thursday 14 at 08:00.
    assert project.task_finish_date(0, 10, a.elapsed) == date(2027, 1, 14)
    assert plan_finish_date(project, plan) == date(2027, 1, 15)  # b's last day


def test_the_same_task_in_working_days_takes_two_weeks_and_a_day() -> None:
    project = project_from_document(document(elapsed=False))

    plan = solve(project, OPTIONS)

    # Mon-Fri without the holiday: 4, 5, 7, 8, 11 .. 15, 18 -> b ends on 20.
    assert project.finish_date(plan.starts["b"]) == date(2027, 1, 18)
    assert plan_finish_date(project, plan) == date(2027, 1, 20)


def test_the_last_task_elapsed_sets_the_plan_finish_date() -> None:
    project = project_from_document(
        {**document(), "dependencies": [{"from": "b", "to": "a"}]}
    )

    plan = solve(project, OPTIONS)

    # b Mon 4, Tue 5; a from Wednesday 6 (the holiday: elapsed time works it)
    # at 08:00 for 10 days of the clock: to Saturday 16 at 08:00.
    assert spans(plan)["a"] == (2, 12)
    assert project.finish_date(plan.makespan or 0) == date(2027, 1, 15)
    assert plan_finish_date(project, plan) == date(2027, 1, 16)


def test_the_validator_counts_an_elapsed_task_in_days_of_the_clock() -> None:
    project = project_from_document(document())
    plan = solve(project, OPTIONS)
    short = tuple(
        dataclasses.replace(t, finish=9) if t.task_id == "a" else t for t in plan.tasks
    )

    problems = validate_plan(project, dataclasses.replace(plan, tasks=short))

    assert "task a needs 10 working days of its calendar but gets 9" in " ".join(
        problems
    )
    # The same plan for a task of working days works the holiday and a weekend.
    working = project_from_document(document(elapsed=False))
    assert validate_plan(working, plan) != []


def test_a_forecast_keeps_the_elapsed_span() -> None:
    project = project_from_document(document())
    plan = solve(project, OPTIONS)

    result = simulation.forecast(project, plan, 200, 1)

    assert result.duration.p50 == pytest.approx(plan.makespan)


def test_the_json_document_keeps_elapsed_and_old_documents_load() -> None:
    project = project_from_document(document())
    written = project_to_document(project)

    assert written["tasks"][0]["elapsed"] is True
    assert "elapsed" not in written["tasks"][1]
    assert project_from_document(written) == project
    old = document()
    del old["tasks"][0]["elapsed"]
    assert project_from_document(old).task("a").elapsed is False


@pytest.mark.parametrize(
    ("changed", "words"),
    [
        ({"tasks": [{"id": "a", "duration": 1, "elapsed": "yes"}]}, "tasks[a].elapsed"),
        (
            {"tasks": [{"id": "a", "duration": 1, "elapsed": True, "calendar": {}}]},
            "tasks[a].elapsed: elapsed time works every day",
        ),
        (
            {
                "tasks": [
                    {"id": "s", "elapsed": True},
                    {"id": "a", "duration": 1, "parent": "s"},
                ]
            },
            "tasks[s].elapsed: is a summary task",
        ),
        ({"start": None}, "start: required: task a is elapsed"),
    ],
)
def test_bad_elapsed_fields_are_named(changed: dict[str, Any], words: str) -> None:
    bad = {**document(), "dependencies": [], **changed}
    if bad["start"] is None:
        del bad["start"], bad["calendar"]["holidays"]

    with pytest.raises(ValidationError, match=words.replace("[", r"\[")):
        project_from_document(bad)


def test_mspdi_export_writes_elapsed_days_and_reads_them_back() -> None:
    project = project_from_document(document())
    plan = solve(project, OPTIONS)

    exported = write_mspdi(project, plan)

    assert SCHEMA.validate(etree.fromstring(exported)), SCHEMA.error_log
    root = etree.fromstring(exported)
    a = next(t for t in root.iterfind(f"{Q}Tasks/{Q}Task") if text(t, "Name") == "a")
    assert (text(a, "Duration"), text(a, "DurationFormat")) == ("PT240H0M0S", "8")
    assert (text(a, "Start"), text(a, "Finish")) == (
        "2027-01-04T08:00:00",
        "2027-01-14T08:00:00",
    )
    again = read_mspdi(exported).project
    assert again.task("1").elapsed
    assert again.task("1").duration == 10
    assert spans(solve(again, OPTIONS))["1"] == (0, 10)


def test_ms_project_elapsed_durations_keep_its_dates() -> None:
    # mpxj's mspdiduration.xml: a task of each duration unit, working and
    # elapsed, from Wednesday 2009-03-25 08:00 (1-minute periods).
    data = (DATA / "mspdiduration.xml").read_bytes()
    imported = read_mspdi(data)
    project = imported.project
    assert imported.report.mapped["elapsed durations (days of 24 h, every day)"] == 3
    # 1 eminute, 1 ehour: under a day, read as working time (counted).
    assert imported.report.unmapped == {
        "elapsed durations not whole days (read as working time)": 2
    }
    assert project.task("10").elapsed
    assert project.task("10").duration == 30 * 480

    plan = solve(project, OPTIONS)

    assert validate_plan(project, plan) == []
    assert plan_finish_date(project, plan) == date(2009, 4, 24)
    theirs = {
        text(t, "UID"): (moment(t, "Start"), moment(t, "Finish"))
        for t in etree.fromstring(data).iterfind(f"{Q}Tasks/{Q}Task")
        if text(t, "OutlineLevel") != "0"
    }
    exported = etree.fromstring(write_mspdi(project, plan))
    ours = {
        text(t, "UID"): (moment(t, "Start"), moment(t, "Finish"))
        for t in exported.iterfind(f"{Q}Tasks/{Q}Task")
    }
    assert ours == theirs  # 30 edays: 25 March 08:00 -> 24 April 08:00


def test_the_plan_view_dates_an_elapsed_task_by_the_clock() -> None:
    project = project_from_document(
        {**document(), "dependencies": [{"from": "b", "to": "a"}]}
    )
    plan = solve(project, OPTIONS)

    view = plan_view(project, plan)

    a = next(task for task in view["tasks"] if task["id"] == "a")
    assert (a["start_date"], a["finish_date"]) == ("2027-01-06", "2027-01-16")
    assert view["finish_date"] == "2027-01-16"
    # the CLI's summary line names the same date as the API's plan view
    assert "(2027-01-16)" in plan_summary(project, plan)


def test_a_summary_ending_with_an_elapsed_task_ends_by_the_clock() -> None:
    base = document()
    tasks = [{"id": "s", "name": "s"}] + [
        {**task, "name": task["id"], "parent": "s"} if task["id"] == "a" else task
        for task in base["tasks"]
    ]
    project = project_from_document(
        {**base, "tasks": tasks, "dependencies": [{"from": "b", "to": "a"}]}
    )
    plan = solve(project, OPTIONS)

    view = plan_view(project, plan)
    exported = etree.fromstring(write_mspdi(project, plan))

    summary = next(span for span in view["summaries"] if span["id"] == "s")
    assert summary["finish_date"] == "2027-01-16"  # a's: Saturday 08:00
    finishes = {
        text(t, "Name"): text(t, "Finish")
        for t in exported.iterfind(f"{Q}Tasks/{Q}Task")
    }
    assert finishes["s"] == finishes["a"] == "2027-01-16T08:00:00"
    assert finishes["b"] == "2027-01-05T17:00:00"


def test_a_portfolio_keeps_an_elapsed_task_elapsed() -> None:
    curing = project_from_document(document())
    office = project_from_document(
        {"name": "office", "start": "2027-01-04", "tasks": [{"id": "x", "duration": 3}]}
    )

    result = plan_portfolio([curing, office], options=OPTIONS)

    merged_a = result.project.task("elapsed/a")
    assert merged_a.elapsed
    assert merged_a.calendar is None  # a valid task: elapsed, no calendar
    validate_project(result.project)
    assert spans(result.plan)["elapsed/a"] == (0, 10)
