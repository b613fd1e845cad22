"""Progress in an MS Project file without a status date, planned as MS
Project plans it (`domain.progress`, `remaining_after` = `actual_work`).

The file below holds the dates MS Project gives such a file (the rule seen
in the 13 corpus files of benchmarks/README.md, "progress without a status
date"): an unstarted task sits where its links put it, even before the
latest actual date; a started task's remaining work resumes right after its
actual work, so it ends at its actual start plus its duration. Planforge
used to plan both after the latest actual date (day 3 here).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from domain import Project
from domain.document import project_from_document
from domain.document_writer import project_to_document
from domain.progress import RemainingAfter
from formats.mspdi_read import read_mspdi
from scheduler import SolveOptions, solve, validate_plan
from simulation import forecast

OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)
# uid: (days, MS Project's start, its finish, actual start, actual finish, %)
TASKS = {
    "1": (3, "2027-01-04", "2027-01-06", "2027-01-04", "2027-01-06", 100),
    "2": (10, "2027-01-05", "2027-01-18", "2027-01-05", None, 50),
    "3": (2, "2027-01-07", "2027-01-08", None, None, 0),
    "4": (1, "2027-01-04", "2027-01-04", None, None, 0),
    "5": (2, "2027-01-19", "2027-01-20", None, None, 0),
    "6": (4, "2027-01-05", "2027-01-08", "2027-01-05", None, 33),
}
LINKS = {"3": "1", "5": "2"}  # successor: FS predecessor


def _task(uid: str) -> str:
    days, start, finish, actual_start, actual_finish, percent = TASKS[uid]
    actuals = "".join(
        f"<{tag}>{day}T{clock}</{tag}>"
        for tag, day, clock in (
            ("ActualStart", actual_start, "08:00:00"),
            ("ActualFinish", actual_finish, "17:00:00"),
        )
        if day is not None
    )
    link = (
        f"<PredecessorLink><PredecessorUID>{LINKS[uid]}</PredecessorUID>"
        "<Type>1</Type></PredecessorLink>"
        if uid in LINKS
        else ""
    )
    return (
        f"<Task><UID>{uid}</UID><Name>task {uid}</Name>"
        "<OutlineLevel>1</OutlineLevel>"
        f"<Start>{start}T08:00:00</Start><Finish>{finish}T17:00:00</Finish>"
        f"<Duration>PT{days * 8}H0M0S</Duration>"
        f"<PercentComplete>{percent}</PercentComplete>{actuals}{link}</Task>"
    )


FILE = (
    "<Project xmlns='http://schemas.microsoft.com/project'><Name>progress</Name>"
    "<StartDate>2027-01-04T08:00:00</StartDate><Tasks>"
    + "".join(_task(uid) for uid in TASKS)
    + "</Tasks></Project>"
).encode()


def imported() -> Project:
    return read_mspdi(FILE).project


def test_a_file_without_a_status_date_keeps_ms_project_dates() -> None:
    project = imported()
    assert project.remaining_after is RemainingAfter.ACTUAL_WORK
    plan = solve(project, OPTIONS)
    assert validate_plan(project, plan) == []
    dates = {
        t.task_id: (project.date_of(t.start), project.finish_date(t.finish))
        for t in plan.tasks
    }
    expected = {
        uid: tuple(datetime.fromisoformat(day).date() for day in row[1:3])
        for uid, row in TASKS.items()
    }
    assert dates == expected


def test_with_a_status_date_work_still_waits_for_it() -> None:
    """A status date in the file is planforge's tracking: nothing unstarted
    before it, remaining work after it."""
    data = FILE.replace(
        b"<Tasks>", b"<StatusDate>2027-01-08T17:00:00</StatusDate><Tasks>"
    )
    project = read_mspdi(data).project
    assert project.remaining_after is RemainingAfter.STATUS_DATE
    plan = solve(project, OPTIONS)
    assert validate_plan(project, plan) == []
    assert plan.scheduled("4").start == project.status_time == 5


@pytest.mark.parametrize("engine", ["committed", "dynamic"])
def test_the_forecast_starts_from_the_same_actuals(engine: str) -> None:
    """Fixed durations: every sample finishes on MS Project's finish day
    (2027-01-20, the end of working day 12)."""
    project = imported()
    plan = solve(project, OPTIONS)
    result = forecast(project, plan, samples=200, seed=1, engine=engine)
    assert result.duration.p50 == result.duration.p95 == plan.makespan == 13


@pytest.mark.parametrize("rule", ["status_date", "actual_work"])
def test_the_rule_is_kept_in_the_document(rule: str) -> None:
    document = project_to_document(imported())
    document["remaining_after"] = rule
    assert project_to_document(project_from_document(document)) == {
        key: value
        for key, value in document.items()
        if (key, value) != ("remaining_after", "status_date")
    }
