"""Progress reports and project-field edits as changes a project can record.

A progress report `{"task": id, "actual_start": ..., "percent_complete": ...}`
becomes a task update whose actual dates are working days (an ISO date is
converted with the project's calendar: an actual start on a date is the start
of that day, an actual finish the end of it) and whose `reported_on` defaults
to the status date, so a later status date does not make an old report look
new. Project fields (`name`, `deadline`, `calendar`, `priority`,
`status_date`, `remaining_after`, `constraints_over_links`, `correlations`,
`stale_after`, `thresholds`, `start`) are edited one by one;
the start cannot move once work has actually started, since every actual
date counts from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from domain.changes import Change, ChangeAction, EntityKind
from domain.document import parse_calendar
from domain.errors import ValidationError
from domain.model import Project
from domain.progress import PROGRESS_FIELDS, day_ref_to_document, parse_day_ref
from domain.readers import as_optional_date

REPORT_FIELDS = PROGRESS_FIELDS | {"actual_start", "actual_finish"}
PROJECT_EDITABLE_FIELDS = (
    "name",
    "start",
    "deadline",
    "calendar",
    "priority",
    "status_date",
    "remaining_after",
    "constraints_over_links",
    "correlations",
    "stale_after",
    "thresholds",
)


def in_working_days(
    project: Project, fields: Mapping[str, Any], where: str
) -> dict[str, Any]:
    """Task fields with dated actuals as working days and `reported_on` set
    to the status date when a report leaves it out."""
    converted = dict(fields)
    for key, end_of_day in (("actual_start", False), ("actual_finish", True)):
        value = fields.get(key)
        if isinstance(value, str):
            moment = parse_day_ref(value, f"{where}.{key}")
            converted[key] = _working_day(project, moment, end_of_day, f"{where}.{key}")
    reports = any(fields.get(key) is not None for key in REPORT_FIELDS)
    if reports and "reported_on" not in fields and project.status_date is not None:
        converted["reported_on"] = day_ref_to_document(project.status_date)
    return converted


def with_dated_actuals(document: Any) -> Any:
    """A project document whose tasks may give `actual_start`/`actual_finish`
    as ISO dates, with those in working days (as in reports); documents
    without such dates come back as they are."""
    tasks = document.get("tasks") if isinstance(document, Mapping) else None
    keys = ("actual_start", "actual_finish")
    if not isinstance(tasks, list) or not any(
        isinstance(t, Mapping) and any(isinstance(t.get(k), str) for k in keys)
        for t in tasks
    ):
        return document
    frame = Project(
        name="",
        tasks=(),
        start=as_optional_date(document.get("start"), "start"),
        calendar=parse_calendar(document.get("calendar", {}), "calendar", axis=True),
    )
    converted = []
    for index, task in enumerate(tasks):
        if isinstance(task, Mapping):
            task = dict(task)
            where = f"tasks[{task.get('id', index)}]"
            for key, end_of_day in zip(keys, (False, True), strict=True):
                if isinstance(task.get(key), str):
                    moment = parse_day_ref(task[key], f"{where}.{key}")
                    task[key] = _working_day(
                        frame, moment, end_of_day, f"{where}.{key}"
                    )
        converted.append(task)
    return {**document, "tasks": converted}


def _working_day(project: Project, moment: Any, end_of_day: bool, where: str) -> int:
    if not isinstance(moment, date):
        return int(moment)
    if project.start is None:
        raise ValidationError.at(
            where, "a date needs the project start (or give a day)"
        )
    if end_of_day:
        return project.time_of(moment)
    return project.time_calendar.working_days_before(project.start, moment)


def touches_actuals(change: Change) -> bool:
    """Whether a change sets a task's actuals or reports progress: only then
    do its checks need the project as it was (dates to working days, the
    status date, closed gates), so a plain edit skips parsing it."""
    if change.kind is not EntityKind.TASK or change.action is ChangeAction.REMOVE:
        return False
    fields = change.fields
    dated = "actual_start" in fields or "actual_finish" in fields
    return dated or any(fields.get(key) is not None for key in REPORT_FIELDS)


def with_working_days(project: Project, change: Change) -> Change:
    """A task addition or update with its dated actuals in working days."""
    if change.kind is not EntityKind.TASK or change.action is ChangeAction.REMOVE:
        return change
    fields = in_working_days(project, change.fields, f"tasks[{change.id}]")
    return Change(change.action, change.kind, change.id, fields)


def report_changes(
    project: Project, reports: Any, where: str = "reports"
) -> list[Change]:
    """Each report `{"task": id, fields...}` as a task update."""
    if not isinstance(reports, Sequence) or isinstance(reports, str | bytes):
        raise ValidationError.at(where, "expected a list of reports")
    changes = []
    for index, report in enumerate(reports):
        at = f"{where}[{index}]"
        if not isinstance(report, Mapping):
            raise ValidationError.at(at, "expected a JSON object")
        task_id = report.get("task")
        if not isinstance(task_id, str) or task_id not in project.task_index:
            raise ValidationError.at(f"{at}.task", f"unknown task {task_id!r}")
        fields = {k: v for k, v in report.items() if k != "task"}
        unknown = sorted(set(fields) - REPORT_FIELDS)
        if unknown:
            allowed = ", ".join(sorted(REPORT_FIELDS | {"task"}))
            raise ValidationError.at(
                f"{at}.{unknown[0]}", f"unknown field (allowed: {allowed})"
            )
        if not fields:
            raise ValidationError.at(at, "reports nothing: give at least one field")
        converted = in_working_days(project, fields, f"tasks[{task_id}]")
        changes.append(Change(ChangeAction.UPDATE, EntityKind.TASK, task_id, converted))
    return changes


def field_edits(project: Project, fields: Any) -> list[tuple[str, Any]]:
    """The project-field edits asked for, in a stable order; a start change
    is refused once any task has an actual date."""
    if not isinstance(fields, Mapping) or not fields:
        raise ValidationError.at("fields", "expected a JSON object with a field")
    unknown = sorted(set(fields) - set(PROJECT_EDITABLE_FIELDS))
    if unknown:
        raise ValidationError.at(
            unknown[0],
            "not a project field that can be changed here "
            f"(allowed: {', '.join(PROJECT_EDITABLE_FIELDS)})",
        )
    moves_start = "start" in fields and fields["start"] != (
        project.start and project.start.isoformat()
    )
    if moves_start and any(t.timing.actual_start is not None for t in project.tasks):
        raise ValidationError.at(
            "start",
            "cannot change once work has actually started: every actual date "
            "counts from it",
        )
    return [(key, fields[key]) for key in PROJECT_EDITABLE_FIELDS if key in fields]
