"""CSV task lists: MS Project's predecessor notation, units, outline, errors."""

from __future__ import annotations

import pytest

from domain import DependencyType, Plan, ScheduledTask, SolveStatus, ValidationError
from domain.document import parse_project
from domain.document_writer import project_to_document
from formats.csv_tasks import read_csv, write_csv


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("1", ("1", DependencyType.FS, 0)),
        ("1FS+2d", ("1", DependencyType.FS, 2)),
        ("1SS", ("1", DependencyType.SS, 0)),
        ("1FF-1d", ("1", DependencyType.FF, -1)),
        ("1SF+16h", ("1", DependencyType.SF, 2)),
        ("1FS+1w", ("1", DependencyType.FS, 5)),
        ("1 FS + 3 days", ("1", DependencyType.FS, 3)),
    ],
)
def test_predecessors_as_ms_project_writes_them(
    text: str, link: tuple[str, DependencyType, int]
) -> None:
    csv_text = f'ID,Name,Duration,Predecessors\n1,a,2d,\n2,b,1d,"{text}"\n'
    (dependency,) = read_csv(csv_text).project.dependencies
    assert (dependency.predecessor, dependency.type, dependency.lag) == link


def test_several_predecessors_outline_and_shares() -> None:
    text = (
        "ID,Name,Duration,Predecessors,Outline Level,Resource Names\n"
        "1,Phase,4d,,1,\n"
        "2,a,2d,,2,Ann[50%];Crane\n"
        "3,b,3d,2FS+1d;4SS,2,Ann[25%]\n"
        "4,c,1d,,1,\n"
    )
    imported = read_csv(text)
    project = imported.project
    assert [t.parent for t in project.tasks] == ["", "1", "1", ""]
    assert project.task("1").duration is None
    assert imported.report.unmapped == {
        "summary rows' durations (they span their subtasks)": 1
    }
    assert project.task("2").demands == {"ann": 0.5, "crane": 1.0}
    assert [(d.predecessor, d.type.value, d.lag) for d in project.dependencies] == [
        ("2", "FS", 1),
        ("4", "SS", 0),
    ]
    again = read_csv(write_csv(project)).project
    assert parse_project(project_to_document(again)).dependencies == (
        project.dependencies
    )
    assert [t.parent for t in again.tasks] == ["", "1", "1", ""]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "line 1: empty file"),
        ("ID,Duration\n1,2d\n", "line 1: a Name column is required"),
        ("ID,Name,Duration\n1,a,2 fortnights\n", "line 2, Duration: unknown unit"),
        ("ID,Name,Duration,Predecessors\n1,a,1d,FS+\n", "line 2, Predecessors"),
        ("ID,Name,Duration,Outline Level\n1,a,1d,0\n", "line 2, Outline Level"),
        ("ID,Name,Duration,Predecessors\n1,a,1d,9\n", "unknown task '9'"),
    ],
)
def test_bad_rows_name_the_line_and_column(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as raised:
        read_csv(text)
    assert words in str(raised.value)


def test_old_mac_line_endings_read_like_any_other() -> None:
    project = read_csv("ID,Name,Duration\r1,Design,2d\r2,Build,3d\r").project
    assert [task.name for task in project.tasks] == ["Design", "Build"]


def test_a_row_the_csv_module_cannot_read_is_a_422_naming_its_line() -> None:
    with pytest.raises(ValidationError) as raised:
        read_csv("ID,Name\n1," + "x" * 200_000 + "\n")
    assert raised.value.problems[0].field == "line 2"
    assert "field limit" in raised.value.problems[0].message


def test_periods_of_a_day_are_written_as_days() -> None:
    project = parse_project(
        {
            "name": "x",
            "calendar": {"periods_per_day": 4},
            "tasks": [{"id": "a", "duration": 6}, {"id": "b", "duration": 2}],
            "dependencies": [{"from": "a", "to": "b", "lag": 1}],
        }
    )
    rows = write_csv(project).splitlines()
    assert rows[1].startswith("1,a,1.5d,")
    assert rows[2].startswith("2,b,0.5d,1FS+0.25d,")


def test_elapsed_tasks_are_written_in_clock_days_and_dated_by_the_clock() -> None:
    project = parse_project(
        {
            "name": "x",
            "start": "2027-01-04",
            "tasks": [{"id": "a", "duration": 10, "elapsed": True}],
        }
    )
    plan = Plan(SolveStatus.OPTIMAL, 10, 10, tasks=(ScheduledTask("a", 0, 10),))

    rows = write_csv(project, plan).splitlines()

    # 10 days of 24 h from Monday 4 January 08:00 end Thursday 14 at 08:00.
    assert rows[1].startswith("1,a,10ed,")
    assert rows[1].endswith(",2027-01-04,2027-01-14")


def test_elapsed_units_read_as_working_time_are_counted() -> None:
    text = "ID,Name,Duration,Predecessors\n1,a,5ed,\n2,b,2d,1FS+2ed\n3,c,1d,1\n"

    imported = read_csv(text)

    assert imported.project.task("1").duration == 5
    assert not imported.project.task("1").elapsed
    assert imported.report.unmapped == {
        "elapsed durations or lags (read as working time)": 2
    }
