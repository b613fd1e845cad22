"""Split tasks end to end: solved with their pauses, re-checked by the
validator, and carried through MSPDI both ways (MS Project's own file and
the same file as MPXJ writes it from the .mpp)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from lxml import etree

from domain import (
    Dependency,
    Plan,
    Project,
    Resource,
    ScheduledTask,
    SolveStatus,
    Task,
)
from domain.pauses import Pause
from domain.progress import TaskProgress
from domain.timing import TaskTiming
from formats.mspdi_read import read_mspdi
from formats.mspdi_write import write_mspdi
from formats.mspdi_xml import Q, moment, text
from scheduler import SolveOptions, solve, validate_plan
from simulation import forecast

DATA = Path(__file__).parents[1] / "data" / "mspdi"
OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)
MONDAY = date(2027, 1, 4)


def split_project(*tasks: Task) -> Project:
    split = Task("a", duration=5, pauses=(Pause(2, 3),), demands={"crane": 1})
    return Project(
        "split",
        (split, *tasks),
        start=MONDAY,
        resources=(Resource("crane"),),
        dependencies=tuple(Dependency("a", t.id) for t in tasks),
    )


def test_a_split_task_spans_its_pauses_and_its_successor_waits() -> None:
    project = split_project(Task("b", duration=2, demands={"crane": 1}))
    plan = solve(project, OPTIONS)
    assert [(t.task_id, t.start, t.finish) for t in plan.tasks] == [
        ("a", 0, 8),  # Mon, Tue; three days paused; Mon, Tue, Wed
        ("b", 8, 10),
    ]
    assert validate_plan(project, plan) == []


def test_the_validator_refuses_a_plan_that_ignores_a_pause() -> None:
    project = split_project()
    in_one_piece = Plan(
        status=SolveStatus.OPTIMAL,
        makespan=5,
        lower_bound=5,
        tasks=(ScheduledTask("a", 0, 5),),
    )
    assert validate_plan(project, in_one_piece) == [
        "task a needs 5 working days of crane but gets 2 from day 0 to day 5"
    ]


def test_ms_project_split_tasks_keep_their_parts_through_mspdi() -> None:
    for name in ("mspdisplittask.xml", "mpp9splittask-mpp.xml"):
        imported = read_mspdi((DATA / name).read_bytes())
        project = imported.project
        assert {t.id: t.pauses for t in project.tasks} == {
            "1": (Pause(4, 3),),  # 4 days, 3 days off, 6 days
            "2": (Pause(3, 2), Pause(8, 3)),  # 3, (2), 5, (3), 7
        }
        assert imported.report.mapped["split tasks (their gaps as pauses)"] == 2
        plan = solve(project, OPTIONS)
        assert project.finish_date(plan.makespan or 0) == date(2006, 10, 18)
        exported = write_mspdi(project, plan)
        assert read_mspdi(exported).project.tasks == project.tasks


def test_an_export_without_a_plan_keeps_the_split_parts() -> None:
    for name in ("mspdisplittask.xml", "mpp9splittask-mpp.xml"):
        project = read_mspdi((DATA / name).read_bytes()).project
        assert read_mspdi(write_mspdi(project)).project.tasks == project.tasks


def test_without_a_plan_the_parts_start_where_the_task_may_start() -> None:
    """Released on day 3 (Thursday): Thu, Fri worked; Mon-Wed paused; then
    Thu, Fri, Mon."""
    split = Task("a", duration=5, pauses=(Pause(2, 3),), timing=TaskTiming(release=3))
    root = etree.fromstring(write_mspdi(Project("split", (split,), start=MONDAY)))
    records = root.iterfind(f"{Q}Assignments/{Q}Assignment/{Q}TimephasedData")
    days = [(moment(r, "Start"), text(r, "Value") != "PT0H0M0S") for r in records]
    worked = [when.day for when, works in days if when is not None and works]
    paused = [when.day for when, works in days if when is not None and not works]
    assert (worked, paused) == ([7, 8, 14, 15, 18], [11, 12, 13])


def test_the_export_writes_a_zero_work_record_on_each_paused_day() -> None:
    project = read_mspdi((DATA / "mspdisplittask.xml").read_bytes()).project
    root = etree.fromstring(write_mspdi(project, solve(project, OPTIONS)))
    first = next(
        a
        for a in root.iterfind(f"{Q}Assignments/{Q}Assignment")
        if text(a, "TaskUID") == "1"
    )
    assert text(first, "ResourceUID") == "-65535"
    idle = [
        moment(record, "Start")
        for record in first.iterfind(f"{Q}TimephasedData")
        if text(record, "Value") == "PT0H0M0S"
    ]
    assert idle == [datetime(2006, 9, day, 8) for day in (27, 28, 29)]


def test_a_finished_split_task_keeps_its_actual_dates() -> None:
    """Its pauses are in its actual dates already (MS Project's splits9a)."""
    done = Task(
        "a",
        duration=5,
        pauses=(Pause(2, 3),),
        timing=TaskTiming(actual_start=0, actual_finish=8),
    )
    project = Project("split", (done, Task("b", duration=1)), start=MONDAY)
    project = replace(project, dependencies=(Dependency("a", "b"),))
    plan = solve(project, OPTIONS)
    assert [(t.task_id, t.start, t.finish) for t in plan.tasks] == [
        ("a", 0, 8),
        ("b", 8, 9),
    ]


def test_ms_project_resume_after_stop_is_a_pause_of_the_started_task() -> None:
    """Build: 3 of 10 days done Mon-Wed, Stop Wednesday, Resume on Monday 18th:
    its 7 days left run to Tuesday 26th, Ship two days after (MS Project's
    rule: the remaining work starts at Resume, not right after Stop)."""
    imported = read_mspdi((DATA / "resume-after-stop.xml").read_bytes())
    project = imported.project
    assert project.task("1").pauses == (Pause(3, 7),)
    assert (
        imported.report.mapped[
            "started tasks resumed later (Stop to Resume as a pause)"
        ]
        == 1
    )
    plan = solve(project, OPTIONS)
    assert validate_plan(project, plan) == []
    finishes = {t.task_id: project.finish_date(t.finish) for t in plan.tasks}
    assert finishes == {"1": date(2027, 1, 26), "2": date(2027, 1, 28)}
    for exported in (write_mspdi(project), write_mspdi(project, plan)):
        build = etree.fromstring(exported).find(f"{Q}Tasks/{Q}Task")
        assert build is not None
        assert (moment(build, "Stop"), moment(build, "Resume")) == (
            datetime(2027, 1, 6, 17),
            datetime(2027, 1, 18, 8),
        )
        assert read_mspdi(exported).project.tasks == project.tasks


def test_a_status_date_inside_the_pause_keeps_its_days_left() -> None:
    """Status on day 5, two days into the 7-day pause after day 3: the rest
    of the work (70 % of 10 days) starts on day 10, as the pause said."""
    build = Task(
        "a",
        duration=10,
        pauses=(Pause(3, 7),),
        timing=TaskTiming(actual_start=0),
        progress=TaskProgress(percent_complete=30),
    )
    project = Project("resumed", (build,), start=MONDAY, status_date=5)
    plan = solve(project, OPTIONS)
    assert [(t.task_id, t.start, t.finish) for t in plan.tasks] == [("a", 0, 17)]
    assert validate_plan(project, plan) == []
    result = forecast(project, plan, samples=200, seed=1)
    assert result.duration.p50 == pytest.approx(17)
