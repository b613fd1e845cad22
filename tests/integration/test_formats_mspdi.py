"""MSPDI import, plan and export on public MS Project files (tests/data/mspdi)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from domain import DependencyType, Project, ValidationError
from domain.constraint import Constraint, ConstraintType
from domain.outline import leaves as leaves_of
from domain.plan import plan_finish_date
from formats.mspdi_read import read_mspdi
from formats.mspdi_write import write_mspdi
from formats.mspdi_xml import Q, flag, moment, number, text
from scheduler import SolveOptions, solve, validate_plan

DATA = Path(__file__).parents[1] / "data" / "mspdi"
SCHEMA = etree.XMLSchema(etree.parse(DATA / "mspdi_pj12.xsd"))
OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)
SAMPLES = sorted(path.name for path in DATA.glob("*.xml"))
# Files whose resources MS Project did not over-allocate: its dates are a
# resource-feasible plan, so planforge's finish must be the same day.
NOT_OVERALLOCATED = [
    "assignment-assignments-project2019-mspdi.xml",
    "baselines.xml",
    "caltest.xml",
    "mspdiassignmentfields.xml",
    "mspdiduration.xml",  # elapsed durations: days of 24 h, every day
    "mspdirelations.xml",
    "mspdisplittask.xml",  # split tasks: their gaps become pauses
    "mpp9splittask-mpp.xml",
    "task-links-project2019-mspdi.xml",
    "timephased-budget-mpp.xml",  # work pauses over the resource's holiday
]


def read(name: str) -> Project:
    return read_mspdi((DATA / name).read_bytes()).project


def test_sample_with_summaries_shares_constraints_and_calendars() -> None:
    imported = read_mspdi((DATA / "sample1.xml").read_bytes())
    project = imported.project
    assert imported.report.mapped["tasks"] == 22
    assert imported.report.mapped["summary tasks"] == 4
    assert {t.parent for t in project.tasks} == {"", "1", "6", "19", "22"}
    assert project.task("2").demands == {"first-resource": 0.5, "second-resource": 0.75}
    assert project.task("7").timing.constraint == Constraint(ConstraintType.SNET, 19)
    types = {d.id: (d.type, d.lag) for d in project.dependencies}
    assert types["11->12"] == (DependencyType.FS, 1)
    assert types["13->14"] == (DependencyType.FS, -1)
    assert types["20->21"] == (DependencyType.SF, 0)
    assert project.resource("second-resource").calendar is not None
    assert "Sat" in project.resource("second-resource").calendar.workdays
    assert project.task("1").notes == "Test Task Notes"
    # MS Project priority (1000, 600) weighs a day of lateness (10, 6)
    assert project.task("7").timing.tardiness_weight == 10
    assert project.task("2").timing.tardiness_weight == 6
    assert project.task("7").custom["Priority"] == 1000  # for the round trip
    assert imported.report.unmapped["constraints before the project start (day 0)"] == 1
    plan = solve(project, OPTIONS)
    assert plan.has_schedule
    assert validate_plan(project, plan) == []


def test_progress_maps_onto_the_progress_fields() -> None:
    project = read("assignment-assignments-project2019-mspdi.xml")
    started = {t.id: t.progress.percent_complete for t in project.tasks}
    assert started == {"1": None, "2": 25.0, "3": 50.0}
    assert project.task("2").timing.actual_start == 0


def test_calendar_exceptions_become_holidays() -> None:
    three = read("caltest.xml").resource("resource-three")
    assert three.calendar is not None
    assert date(2005, 11, 21) in three.calendar.holidays
    assert date(2005, 11, 4) in three.calendar.holidays
    assert date(2005, 11, 7) not in three.calendar.holidays


@pytest.mark.parametrize("name", NOT_OVERALLOCATED)
def test_the_plan_finishes_when_ms_project_does(name: str) -> None:
    root = etree.parse(DATA / name).getroot()
    assert not any(flag(r, "OverAllocated") for r in root.iter(f"{Q}Resource"))
    finishes = [
        moment(task, "Finish")
        for task in root.iterfind(f"{Q}Tasks/{Q}Task")
        if not flag(task, "Summary")
    ]
    project = read(name)
    plan = solve(project, OPTIONS)
    assert validate_plan(project, plan) == []
    assert plan.makespan is not None
    ms_project = max(f for f in finishes if f is not None).date()
    assert plan_finish_date(project, plan) == ms_project


@pytest.mark.parametrize("name", SAMPLES)
def test_round_trip_keeps_tasks_outline_links_durations_constraints_calendars(
    name: str,
) -> None:
    project = read(name)
    plan = solve(project, OPTIONS)
    exported = write_mspdi(project, plan)
    assert SCHEMA.validate(etree.fromstring(exported)), SCHEMA.error_log
    again = read_mspdi(exported).project

    def kept(p: Project) -> object:
        return (
            p.start,
            p.calendar,
            [
                (
                    t.id,
                    t.name,
                    t.parent,
                    t.duration,
                    t.timing.constraint,
                    t.calendar,
                    t.elapsed,
                )
                for t in p.tasks
            ],
            sorted((d.predecessor, d.successor, d.type, d.lag) for d in p.dependencies),
            [(r.name, r.capacity, r.calendar) for r in p.resources],
            [dict(t.demands) for t in p.tasks],
            [(t.progress, t.fixed_cost, t.timing.actual_start) for t in p.tasks],
        )

    assert kept(again) == kept(project)


def test_hours_within_the_day_are_planned_in_periods_of_the_working_day() -> None:
    # 7.5 h from 09:00 on a day working 08:00-12:00, 13:00-17:00: 3 h + 4 h,
    # then 08:00-08:30 the next day (MS Project's own dates).
    project = read("baselines.xml")
    assert (project.calendar.periods_per_day, project.calendar.start_period) == (16, 2)
    assert project.task("1").duration == 15  # half-hour periods
    plan = solve(project, OPTIONS)
    assert plan.makespan == 15
    assert project.finish_date(plan.makespan) == date(2008, 1, 31)
    task = etree.fromstring(write_mspdi(project, plan)).find(f"{Q}Tasks/{Q}Task")
    assert task is not None
    assert (text(task, "Start"), text(task, "Finish")) == (
        "2008-01-30T09:00:00",
        "2008-01-31T08:30:00",
    )
    assert text(task, "Duration") == "PT7H30M0S"


def test_whole_day_files_keep_whole_days() -> None:
    project = read("mspdirelations.xml")
    assert not project.calendar.within_day
    assert {t.duration for t in project.tasks} == {1}  # 8 h each


def test_an_exported_plan_carries_dates_and_summary_spans() -> None:
    project = read("sample1.xml")
    plan = solve(project, OPTIONS)
    root = etree.fromstring(write_mspdi(project, plan))
    by_uid = {t.findtext(f"{Q}UID"): t for t in root.iterfind(f"{Q}Tasks/{Q}Task")}
    summary = by_uid["19"]
    assert flag(summary, "Summary")
    leaves = [by_uid[uid] for uid in leaves_of(project)["19"]]
    assert len(leaves) == 14
    assert moment(summary, "Start") == min(moment(t, "Start") for t in leaves)
    assert moment(summary, "Finish") == max(moment(t, "Finish") for t in leaves)


def tasks(*bodies: bytes) -> bytes:
    """A one-line MSPDI file with these tasks (a day long, outline level 1)."""
    rows = b"".join(
        b"<Task>" + body + b"<OutlineLevel>1</OutlineLevel>"
        b"<Duration>PT8H0M0S</Duration></Task>"
        for body in bodies
    )
    return (
        b"<Project xmlns='http://schemas.microsoft.com/project'>"
        b"<StartDate>2027-01-04T08:00:00</StartDate><Tasks>"
        + rows
        + b"</Tasks></Project>"
    )


def test_a_task_flagged_milestone_keeps_its_duration() -> None:
    """MS Project draws a task flagged Milestone as one but schedules its
    Duration (mpxj's mpp9task: a 40 h "milestone" over five days)."""
    flagged = read_mspdi(tasks(b"<UID>1</UID><Milestone>1</Milestone>"))
    assert flagged.project.task("1").duration == 1
    plain = tasks(b"<UID>1</UID><Milestone>1</Milestone>").replace(
        b"PT8H0M0S", b"PT0H0M0S"
    )
    assert read_mspdi(plain).project.task("1").duration == 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (
            b"<Project xmlns='http://schemas.microsoft.com/project'><Name>x</Name>",
            "line 1",
        ),
        (b"<Plan/>", "expected an MS Project XML <Project>"),
        (
            b"<Project xmlns='http://schemas.microsoft.com/project'>"
            b"<StartDate>2027-01-04T08:00:00</StartDate><Tasks><Task><UID>1</UID>"
            b"<OutlineLevel>1</OutlineLevel><Duration>8 hours</Duration></Task>"
            b"</Tasks></Project>",
            "Task[UID=1].Duration (line 1): expected a duration like PT8H0M0S",
        ),
        (
            b"<Project xmlns='http://schemas.microsoft.com/project'><Name>x</Name>"
            b"</Project>",
            "Project.StartDate: required",
        ),
        (
            tasks(
                b"<UID>1</UID><ConstraintType>4</ConstraintType>"
                b"<ConstraintDate>9999-12-31T08:00:00</ConstraintDate>"
            ),
            "Task[UID=1].ConstraintDate (line 1): 9999-12-31T08:00:00: outside",
        ),
        (
            tasks(b"<UID>1</UID>", b"<UID>1</UID>"),
            "Task[UID=1].UID (line 1): a second task with this UID",
        ),
        (
            tasks(b"<UID>1</UID><FixedCost>nan</FixedCost>"),
            "Task[UID=1].FixedCost (line 1): expected a number, got 'nan'",
        ),
    ],
)
def test_bad_files_name_the_line_or_element(data: bytes, words: str) -> None:
    with pytest.raises(ValidationError) as raised:
        read_mspdi(data)
    assert words in str(raised.value)


def test_links_with_slack_start_early_and_float_as_in_ms_project() -> None:
    """The issue's public sample (16 tasks, no resources, one link of each
    type with lags): every task starts on MS Project's (early) start, the
    critical set is MS Project's two tasks, and the floats are MS Project's
    total slack. Its backward pass ignores a start-to-start or start-to-finish
    successor (it gives both predecessors 11 days, though starting them
    later than day 9 / 10 would move the finish); the plan keeps CPM's
    late-minus-early start there."""
    name = "task-links-project2019-mspdi.xml"
    root = etree.parse(DATA / name).getroot()
    ms_project = {
        text(task, "UID"): task
        for task in root.iterfind(f"{Q}Tasks/{Q}Task")
        if not flag(task, "Summary")
    }
    project = read(name)
    plan = solve(project, OPTIONS)
    assert validate_plan(project, plan) == []
    start_linked = {
        d.predecessor
        for d in project.dependencies
        if d.type in (DependencyType.SS, DependencyType.SF)
    }
    assert start_linked == {"11", "13"}
    day = 8 * 60 * 10  # MS Project counts slack in tenths of a minute
    for task in plan.tasks:
        theirs = ms_project[task.task_id]
        assert project.finish_date(task.start + 1) == moment(theirs, "Start").date()
        assert task.critical is flag(theirs, "Critical")
        if task.task_id not in start_linked:
            assert task.total_float == number(theirs, "TotalSlack") / day
    assert {
        t.task_id: t.total_float for t in plan.tasks if t.task_id in start_linked
    } == {
        "11": 10,
        "13": 9,
    }
    assert [t.task_id for t in plan.tasks if t.critical] == ["9", "10"]


def test_recurring_task_occurrences_keep_their_dates() -> None:
    """MS Project writes a recurring task as a summary (Recurring) with each
    occurrence a subtask constrained to start on its date (SNET), as in
    MPXJ's legacy/sample.xml: each is planned on it; only the pattern that
    would make more occurrences is not kept, and the report says so."""
    occurrences = b"".join(
        b"<Task><UID>%d</UID><OutlineLevel>2</OutlineLevel><Recurring>1</Recurring>"
        b"<Duration>PT8H0M0S</Duration><ConstraintType>4</ConstraintType>"
        b"<ConstraintDate>%sT08:00:00</ConstraintDate></Task>" % (uid, day)
        for uid, day in ((2, b"2027-02-01"), (3, b"2027-03-01"))
    )
    data = (
        b"<Project xmlns='http://schemas.microsoft.com/project'>"
        b"<StartDate>2027-01-04T08:00:00</StartDate><Tasks>"
        b"<Task><UID>1</UID><OutlineLevel>1</OutlineLevel><Summary>1</Summary>"
        b"<Recurring>1</Recurring></Task>" + occurrences + b"</Tasks></Project>"
    )
    imported = read_mspdi(data)
    project = imported.project
    plan = solve(project, OPTIONS)
    assert validate_plan(project, plan) == []
    starts = {t.task_id: project.date_of(t.start) for t in plan.tasks}
    assert starts == {"2": date(2027, 2, 1), "3": date(2027, 3, 1)}
    label = "recurring tasks (pattern not kept; occurrences planned)"
    assert imported.report.unmapped[label] == 3
