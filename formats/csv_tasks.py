"""Task lists as CSV, the way MS Project and spreadsheets exchange them.

One row per task under a header row. Columns read (case and spaces ignored):
`ID`, `Name`, `Duration` (`5d`, `5 days`, `16h`, `2w`, `0`), `Predecessors`
as MS Project writes them (`3FS+2d;5SS`, `3,5`: FS when no type; lags in
d, h or w), `Outline Level` (a task's parent is the nearest row above it one
level up; a parent gets no duration), `Resource Names` (`Ann[50%];Crane`)
and `Notes`; `Start` (ISO dates) gives the project its start, the earliest
one. Other columns are reported with their counts, never silently dropped.
`write_csv` writes the same columns (IDs are row numbers, as in MS Project;
an elapsed task's duration in `ed`) and, with a plan, `Start` and `Finish`
dates. Elapsed units read (`5ed`, `+2ed`) count as working time, reported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import date

from domain import (
    Dependency,
    DependencyType,
    Plan,
    Project,
    Resource,
    Task,
    ValidationError,
)
from domain.outline import rollup
from domain.validation import validate_project
from formats.clock import FIRST_YEAR, LAST_YEAR
from formats.report import Imported, ImportReport

COLUMNS = (
    "ID",
    "Name",
    "Duration",
    "Predecessors",
    "Outline Level",
    "Resource Names",
    "Notes",
)
READ_ONLY = ("Start",)
HOURS_PER_DAY = 8
_UNIT_DAYS = {"d": 1.0, "h": 1 / HOURS_PER_DAY, "w": 5.0}
_AMOUNT = r"(\d+(?:\.\d+)?)\s*([a-z]*)\??"
_DURATION = re.compile(rf"^{_AMOUNT}$", re.IGNORECASE)
_LINK = re.compile(
    rf"^(?P<id>[^+\-]+?)\s*(?P<type>FS|SS|FF|SF)?\s*(?:(?P<sign>[+-])\s*{_AMOUNT})?$",
    re.IGNORECASE,
)
_ASSIGNED = re.compile(
    r"^(?P<name>[^\[]+?)\s*(?:\[\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*\])?$"
)

Cell = Callable[[str], str]


def _rows(text: str) -> list[list[str]]:
    """The CSV rows (any line ending, as the csv module asks: newline="");
    a malformed one is a 422 naming its line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(reader)
    except csv.Error as error:
        raise ValidationError.at(f"line {reader.line_num}", str(error)) from None


def read_csv(text: str, name: str = "imported") -> Imported:
    """Tasks, links, outline and resource shares from CSV text; errors name
    the line and column."""
    rows = _rows(text)
    if not rows:
        raise ValidationError.at("line 1", "empty file: expected a header row")
    report = ImportReport("csv")
    columns = _columns(rows[0], report)
    tasks: list[Task] = []
    links: list[Dependency] = []
    resources: dict[str, Resource] = {}
    outline: list[str] = []
    starts: list[date] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(value.strip() for value in row):
            continue
        cell = _cells(row, columns)
        task_id = cell("ID") or str(len(tasks) + 1)
        level = _whole(cell("Outline Level") or "1", f"line {line}, Outline Level")
        del outline[max(level - 1, 0) :]
        parent = outline[-1] if outline else ""
        outline.append(task_id)
        links += [
            _link(text, task_id, f"line {line}, Predecessors")
            for text in _split(cell("Predecessors"))
        ]
        tasks.append(_task(task_id, parent, cell, resources, line))
        if _elapsed_units(cell("Duration"), cell("Predecessors")):
            # MS Project's 5ed / 3FS+2ed: clock days, not held in CSV imports.
            report.unmapped["elapsed durations or lags (read as working time)"] += 1
        if cell("Start"):
            starts.append(_date(cell("Start"), f"line {line}, Start"))
    tasks = _summaries(tasks, report)
    project = Project(
        name=name,
        start=min(starts, default=None),
        tasks=tuple(tasks),
        resources=tuple(resources.values()),
        dependencies=tuple(links),
    )
    validate_project(project)
    report.mapped.update(
        {"tasks": len(tasks), "links": len(links), "resources": len(resources)}
    )
    return Imported(project, report)


def write_csv(project: Project, plan: Plan | None = None) -> str:
    """The project's tasks as CSV in document order."""
    row_of = {task.id: str(k) for k, task in enumerate(project.tasks, start=1)}
    spans = _spans(project, plan)
    levels = _levels(project)
    per_day = project.calendar.periods_per_day  # times in periods of a day
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "Start", "Finish"] if spans else COLUMNS)
    for task in project.tasks:
        links = [d for d in project.dependencies if d.successor == task.id]
        row = [
            row_of[task.id],
            task.name or task.id,
            _duration_text(task, per_day),
            ";".join(_link_text(row_of[d.predecessor], d, per_day) for d in links),
            str(levels[task.id]),
            ";".join(_assigned_text(project, r, u) for r, u in task.demands.items()),
            task.notes,
        ]
        if spans:
            start, finish, elapsed = spans.get(task.id, (0, 0, False))
            first = project.date_of(start)
            last = project.task_finish_date(start, finish, elapsed)
            row += [str(first or ""), str(last or "")]
        writer.writerow(row)
    return out.getvalue()


def _columns(header: list[str], report: ImportReport) -> dict[str, int]:
    known = {_key(column): column for column in (*COLUMNS, *READ_ONLY)}
    columns = {}
    for index, title in enumerate(header):
        if _key(title) in known:
            columns[known[_key(title)]] = index
        elif title.strip():
            report.unmapped[f"values in column {title.strip()!r} (not read)"] += 1
    if "Name" not in columns:
        raise ValidationError.at("line 1", "a Name column is required")
    return columns


def _key(title: str) -> str:
    return re.sub(r"[\s_]", "", title.lower())


def _cells(row: list[str], columns: dict[str, int]) -> Cell:
    def cell(column: str) -> str:
        index = columns.get(column)
        return row[index].strip() if index is not None and index < len(row) else ""

    return cell


def _task(
    task_id: str, parent: str, cell: Cell, resources: dict[str, Resource], line: int
) -> Task:
    demands = {}
    for text in _split(cell("Resource Names")):
        match = _ASSIGNED.match(text)
        if match is None:
            raise ValidationError.at(
                f"line {line}, Resource Names", f"cannot read {text!r}"
            )
        label = match.group("name")
        resource_id = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or label
        resources.setdefault(resource_id, Resource(resource_id, name=label))
        demands[resource_id] = float(match.group("pct") or 100) / 100
    duration = cell("Duration")
    return Task(
        id=task_id,
        name=cell("Name"),
        duration=_days(duration, f"line {line}, Duration") if duration else None,
        demands=demands,
        parent=parent,
        notes=cell("Notes"),
    )


def _summaries(tasks: list[Task], report: ImportReport) -> list[Task]:
    """A parent row's own duration is its subtasks' span: dropped, counted."""
    parents = {task.parent for task in tasks}
    kept = []
    for task in tasks:
        if task.id in parents and task.duration is not None:
            report.unmapped["summary rows' durations (they span their subtasks)"] += 1
            task = Task(task.id, name=task.name, parent=task.parent, notes=task.notes)
        kept.append(task)
    return kept


def _split(text: str) -> Iterator[str]:
    for part in re.split(r"[;,]", text):
        if part.strip():
            yield part.strip()


def _link(text: str, successor: str, where: str) -> Dependency:
    match = _LINK.match(text)
    if match is None:
        raise ValidationError.at(where, f"cannot read {text!r} (like 3FS+2d or 5SS)")
    lag = 0.0
    if match.group("sign"):
        lag = _amount(match.group(4), match.group(5), where)
        lag = -lag if match.group("sign") == "-" else lag
    kind = DependencyType((match.group("type") or "FS").upper())
    return Dependency(match.group("id").strip(), successor, kind, round(lag))


def _days(text: str, where: str) -> float:
    match = _DURATION.match(text)
    if match is None:
        raise ValidationError.at(where, f"cannot read {text!r} (like 5d, 16h, 2w)")
    return _amount(match.group(1), match.group(2), where)


def _amount(number: str, unit: str, where: str) -> float:
    letter = (unit or "d").lower().removeprefix("e")[:1]
    if letter not in _UNIT_DAYS:
        raise ValidationError.at(where, f"unknown unit {unit!r} (d, h or w)")
    return round(float(number) * _UNIT_DAYS[letter], 4)


def _date(text: str, where: str) -> date:
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError.at(
            where, f"expected an ISO date in {FIRST_YEAR}..{LAST_YEAR}, got {text!r}"
        )
    return day


def _whole(text: str, where: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ValidationError.at(where, f"expected a whole number >= 1, got {text!r}")
    return int(text)


def _elapsed_units(duration: str, predecessors: str) -> bool:
    """Whether a duration or a lag is in elapsed units (ed, eh, ew)."""
    units = [match.group(2) for match in [_DURATION.match(duration)] if match]
    units += [m.group(5) for m in map(_LINK.match, _split(predecessors)) if m]
    return any(unit and unit.lower().startswith("e") for unit in units)


def _duration_text(task: Task, per_day: int) -> str:
    unit = "ed" if task.elapsed else "d"  # elapsed: clock days, as MS Project
    if task.estimate is not None:
        return f"{task.estimate.most_likely / per_day:g}{unit}"
    return "" if task.duration is None else f"{task.duration / per_day:g}{unit}"


def _link_text(row: str, link: Dependency, per_day: int) -> str:
    if link.type is DependencyType.FS and not link.lag:
        return row
    return f"{row}{link.type.value}{f'{link.lag / per_day:+g}d' if link.lag else ''}"


def _assigned_text(project: Project, resource_id: str, units: float) -> str:
    label = project.resource(resource_id).name or resource_id
    return label if units == 1 else f"{label}[{units * 100:g}%]"


def _levels(project: Project) -> dict[str, int]:
    parent = {task.id: task.parent for task in project.tasks}
    levels = {}
    for task in project.tasks:
        level, current = 1, task.parent
        while current:
            level, current = level + 1, parent.get(current, "")
        levels[task.id] = level
    return levels


def _spans(project: Project, plan: Plan | None) -> dict[str, tuple[int, int, bool]]:
    """Each task's (start, finish, whether its work ends by the clock)."""
    if plan is None or not plan.has_schedule:
        return {}
    elapsed = {task.id for task in project.tasks if task.elapsed}
    spans = {t.task_id: (t.start, t.finish, t.task_id in elapsed) for t in plan.tasks}
    spans.update(
        {s.task_id: (s.start, s.finish, s.elapsed) for s in rollup(project, plan)}
    )
    return spans
