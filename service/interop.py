"""Use cases for outside files: import a file as a new project, export one.

Formats by name: `mspdi` (MS Project XML), `csv`, `psplib` (.sm), `json` (the
project document), `mpxj` (import only: .mpp, XER, PMXML, Asta, GanttProject,
Planner, ProjectLibre through MPXJ), `ics` (export only: milestones and
deadlines). An import
records the project like any other (one ProjectCreated event) and returns
what was mapped and what was not (`formats.ImportReport`). An export carries
the committed plan's dates when that plan still covers the project's tasks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath

from domain import Plan, Project, ValidationError
from domain.document import project_from_document
from domain.document_writer import project_to_document
from domain.outline import leaf_project
from eventstore import ProjectState
from formats import ImportReport, read_mspdi, write_mspdi
from formats.csv_tasks import read_csv, write_csv
from formats.ical import write_ics
from formats.mpxj_read import MPXJ_SUFFIXES, read_with_mpxj
from formats.psplib import parse_psplib
from formats.report import Imported
from service.interop_formats import EXPORT_FORMATS, IMPORT_FORMATS
from service.usecases import NO_OPTIONS, Planforge, Write

MEDIA_TYPES = {
    "mspdi": "application/xml",
    "csv": "text/csv",
    "ics": "text/calendar",
    "json": "application/json",
}
SUFFIXES = {
    ".xml": "mspdi",
    ".csv": "csv",
    ".sm": "psplib",
    ".json": "json",
    **dict.fromkeys(MPXJ_SUFFIXES, "mpxj"),
}


@dataclass(frozen=True)
class ImportResult:
    state: ProjectState
    report: ImportReport


def format_of(filename: str, given: str | None) -> str:
    """The import format named, or the one the file's suffix implies."""
    if given is not None:
        if given not in IMPORT_FORMATS:
            raise ValidationError.at(
                "format", f"must be one of {', '.join(IMPORT_FORMATS)}"
            )
        return given
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError.at(
            "format", f"cannot tell the format of {filename!r}: give --format"
        )
    return SUFFIXES[suffix]


def read_file(data: bytes, kind: str, name: str, suffix: str = "") -> Imported:
    """The project a file holds, and its import report."""
    if kind == "mspdi":
        return read_mspdi(data, name)
    if kind == "mpxj":
        return read_with_mpxj(data, suffix, name)
    text = _text(data)
    if kind == "csv":
        return read_csv(text, name or "imported")
    if kind == "psplib":
        project = parse_psplib(text, name or "psplib")
        report = ImportReport("psplib")
        report.mapped.update(
            {"tasks": len(project.tasks), "links": len(project.dependencies)}
        )
        return Imported(project, report)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError.at(
            f"line {error.lineno}", f"not JSON: {error.msg}"
        ) from None
    project = project_from_document(document)
    report = ImportReport("json")
    report.mapped["tasks"] = len(project.tasks)
    return Imported(project, report)


def import_file(
    planforge: Planforge,
    data: bytes,
    kind: str,
    name: str,
    actor: str,
    write: Write = NO_OPTIONS,
    suffix: str = "",
) -> ImportResult:
    """Record the file's project as a new project (`suffix`: the file name's,
    a hint for MPXJ)."""
    imported = read_file(data, kind, name, suffix)
    document = project_to_document(imported.project)
    return ImportResult(
        planforge.create_project(document, actor, write), imported.report
    )


def export_project(planforge: Planforge, state: ProjectState, kind: str) -> bytes:
    """The project at `state` in `kind`, with the committed plan's dates when
    that plan covers its tasks."""
    if kind not in EXPORT_FORMATS:
        raise ValidationError.at(
            "format", f"must be one of {', '.join(EXPORT_FORMATS)}"
        )
    if kind == "json":
        return json.dumps(state.document, indent=2).encode()
    plan = _committed_plan(planforge, state)
    if kind == "mspdi":
        return write_mspdi(state.project, plan)
    if kind == "csv":
        return write_csv(state.project, plan).encode()
    return write_ics(state.project, plan, str(state.id), datetime.now(UTC))


def _committed_plan(planforge: Planforge, state: ProjectState) -> Plan | None:
    record = planforge.store.committed_plan(state.id, state.version)
    if record is None or not record.plan.has_schedule:
        return None
    return record.plan if _covers(state.project, record.plan) else None


def _covers(project: Project, plan: Plan) -> bool:
    leaves = {task.id for task in leaf_project(project).tasks}
    return leaves == {scheduled.task_id for scheduled in plan.tasks}


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError.at(
            "file", f"not UTF-8 text (byte {error.start}); save it as UTF-8"
        ) from None
