"""Split tasks end to end: solved with their pauses, re-checked by the
validator, and carried through MSPDI both ways (MS Project's own file and
the same file as MPXJ writes it from the .mpp)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

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
from domain.timing import TaskTiming
from formats.mspdi_read import read_mspdi
from formats.mspdi_write import write_mspdi
from formats.mspdi_xml import Q, moment, text
from scheduler import SolveOptions, solve, validate_plan

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
