"""What the event store hands out: project states, plan records, audit entries.

Also the JSON conversions the aggregate needs to keep its events plain: a
`domain.Plan` to and from JSON, and a guard that turns caller data into plain
JSON (or a ValidationError) before it goes into an event.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from numbers import Integral, Real
from typing import Any
from uuid import UUID

from domain import (
    Plan,
    PlanCandidate,
    Project,
    ScheduledTask,
    SolveStatus,
    ValidationError,
)
from domain.changes import Change
from domain.document import parse_project
from domain.pins import parse_pins, pins_to_document

JSONDict = dict[str, Any]


@dataclass(frozen=True)
class ProjectState:
    """A project at one version: its v1 document and (parsed when first
    asked for: a read or an edit's answer needs only the document) the
    domain object."""

    id: UUID
    version: int
    document: JSONDict
    committed_plan_id: UUID | None
    modified_on: datetime | None = None

    @cached_property
    def project(self) -> Project:
        return parse_project(self.document)


@dataclass(frozen=True)
class PlanRecord:
    """A proposed plan, the project version it was computed from, and whether
    it is the committed baseline (at the version it was read)."""

    id: UUID
    plan: Plan
    project_version: int
    committed: bool
    proposed_at: datetime
    actor: str
    forecasts: tuple[JSONDict, ...] = ()

    @property
    def latest_forecast(self) -> JSONDict | None:
        """The last forecast recorded of this plan (seed, samples, summary)."""
        return self.forecasts[-1] if self.forecasts else None


@dataclass(frozen=True)
class AuditEntry:
    """One recorded event as the audit trail shows it. `position` is its place
    in the store-wide log (set when read from the log, for paging)."""

    version: int
    type: str
    timestamp: datetime
    actor: str
    data: JSONDict
    reason: str | None = None
    project_id: UUID | None = None
    position: int | None = None


def plan_to_json(plan: Plan) -> JSONDict:
    """The plan as plain JSON (its id is recorded separately).

    Numbers go through int()/float() so solver-made numeric types (NumPy
    scalars, say) are stored as plain JSON numbers.
    """
    return {
        "status": SolveStatus(plan.status).value,
        "makespan": None if plan.makespan is None else int(plan.makespan),
        "lower_bound": None if plan.lower_bound is None else int(plan.lower_bound),
        "runtime_seconds": float(plan.runtime_seconds),
        "message": str(plan.message),
        "tasks": [_scheduled_to_json(task) for task in plan.tasks],
        **_objective_to_json(plan),
    }


def _scheduled_to_json(task: ScheduledTask) -> JSONDict:
    data: JSONDict = {
        "task_id": str(task.task_id),
        "start": int(task.start),
        "finish": int(task.finish),
        "assignees": [str(person) for person in task.assignees],
    }
    if task.total_float is not None:
        data["total_float"] = int(task.total_float)
        data["critical"] = bool(task.critical)
    if task.late_by:
        data["late_by"] = int(task.late_by)
    return data


def _objective_to_json(plan: Plan) -> JSONDict:
    """Objective, conflicts, the request's pins and the candidates of a plan
    chosen for its odds, recorded only when set (older plans lack them)."""
    data: JSONDict = {}
    if plan.objective != "makespan" or plan.objective_value is not None:
        data["objective"] = str(plan.objective)
        data["objective_value"] = _optional_int(plan.objective_value)
        data["objective_bound"] = _optional_int(plan.objective_bound)
    if plan.conflicts:
        data["conflicts"] = [str(conflict) for conflict in plan.conflicts]
    if plan.pins:
        data["pins"] = pins_to_document(plan.pins)
    if plan.deadlines != "hard":
        data["deadlines"] = str(plan.deadlines)
    if plan.warnings:
        data["warnings"] = [str(warning) for warning in plan.warnings]
    if plan.candidates:
        data["candidates"] = [
            {
                "source": str(c.source),
                "makespan": int(c.makespan),
                "p80": float(c.p80),
                "deadline_probability": _optional_float(c.deadline_probability),
                "chosen": bool(c.chosen),
            }
            for c in plan.candidates
        ]
    return data


def _optional_float(value: float | None) -> float | None:
    return None if value is None else float(value)


def _optional_int(value: int | None) -> int | None:
    return None if value is None else int(value)


def plan_from_json(data: JSONDict, plan_id: UUID) -> Plan:
    """Rebuild the `domain.Plan` that `plan_to_json` recorded, with its id."""
    return Plan(
        status=SolveStatus(data["status"]),
        makespan=data["makespan"],
        lower_bound=data["lower_bound"],
        tasks=tuple(
            ScheduledTask(
                task_id=task["task_id"],
                start=task["start"],
                finish=task["finish"],
                assignees=tuple(task["assignees"]),
                total_float=task.get("total_float"),
                critical=task.get("critical", False),
                late_by=task.get("late_by", 0),
            )
            for task in data["tasks"]
        ),
        runtime_seconds=data["runtime_seconds"],
        message=data["message"],
        id=str(plan_id),
        # Plans recorded before these fields existed read as makespan plans.
        objective=data.get("objective", "makespan"),
        objective_value=data.get("objective_value"),
        objective_bound=data.get("objective_bound"),
        conflicts=tuple(data.get("conflicts", ())),
        pins=parse_pins(data.get("pins")),
        # Plans recorded before soft deadlines existed were made with hard ones.
        deadlines=data.get("deadlines", "hard"),
        warnings=tuple(data.get("warnings", ())),
        candidates=tuple(PlanCandidate(**c) for c in data.get("candidates", ())),
    )


def plain_json(value: Any, where: str) -> Any:
    """A deep copy of `value` made of JSON types only, or ValidationError.

    Events must hold plain JSON so that live state and replayed state agree;
    tuples become lists and numeric scalars become int/float on the way.
    """
    try:
        text = json.dumps(value, allow_nan=False, default=_plain_number)
    except (TypeError, ValueError) as error:
        raise ValidationError.at(where, f"must be plain JSON: {error}") from None
    return json.loads(text)


def plain_changes(changes: Sequence[Change], name_index: bool) -> list[Change]:
    """The changes with their fields as plain JSON copies (one conversion for
    the batch); a ValidationError names the change at fault."""
    try:
        plain = plain_json([dict(change.fields) for change in changes], "changes")
    except ValidationError:
        for index, change in enumerate(changes):
            plain_json(
                dict(change.fields), f"changes[{index}]" if name_index else "fields"
            )
        raise
    return [
        Change(change.action, change.kind, change.id, fields)
        for change, fields in zip(changes, plain, strict=True)
    ]


def audit_data(fields: JSONDict) -> JSONDict:
    """An event's own fields as JSON: UUIDs as strings, datetimes as ISO text."""
    return dict(json.loads(json.dumps(fields, default=_audit_value)))


def _plain_number(value: Any) -> int | float:
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not a JSON type")


def _audit_value(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return _plain_number(value)
