"""Which webhook events a recorded event becomes, and their bodies.

Body: `type`, `id` (stable per recorded event and type, so a redelivery
carries the same id), `timestamp`, `project_id`, `version`, `data`.
"""

from __future__ import annotations

from typing import Any

from eventstore.records import AuditEntry
from service.views import JSON

EVENT_TYPES = (
    "project.created",
    "project.changed",
    "plan.proposed",
    "plan.committed",
    "forecast.recorded",
    "forecast.slipped",
    "milestone.reached",
    "task.stale",
    "gate.approved",
)
BY_RECORDED_TYPE = {
    "ProjectCreated": "project.created",
    "PlanProposed": "plan.proposed",
    "PlanCommitted": "plan.committed",
    "ForecastRecorded": "forecast.recorded",
    "ForecastSlipped": "forecast.slipped",
    "TaskStale": "task.stale",
    "GateApproved": "gate.approved",
}


def webhook_events(entry: AuditEntry) -> list[JSON]:
    """The webhook events of one recorded event: its own type (any edit is
    `project.changed`), plus `milestone.reached` for each task or milestone
    given an actual finish. Events outside projects (access) give none."""
    if entry.project_id is None:
        return []
    kind = BY_RECORDED_TYPE.get(entry.type, "project.changed")
    events = [_body(entry, kind, entry.data)]
    for task_id, finish in _actual_finishes(entry.data):
        data = {"task_id": task_id, "actual_finish": finish}
        events.append(_body(entry, "milestone.reached", data, suffix=task_id))
    return events


def _body(entry: AuditEntry, kind: str, data: Any, suffix: str | None = None) -> JSON:
    project = "" if entry.project_id is None else entry.project_id.hex
    event_id = f"evt_{project}_{entry.version}_{kind}"
    if suffix is not None:
        event_id += f"_{suffix}"
    return {
        "type": kind,
        "id": event_id,
        "timestamp": entry.timestamp.isoformat(),
        "project_id": str(entry.project_id),
        "version": entry.version,
        "data": data,
    }


def _actual_finishes(data: Any) -> list[tuple[str, Any]]:
    """(task id, actual finish) of every change in an edit that sets one, and
    of an approved gate (its approval finishes it)."""
    if isinstance(data, dict) and "approved_at" in data and "task_id" in data:
        return [(str(data["task_id"]), data["approved_at"])]
    changes = data.get("changes") if isinstance(data, dict) else None
    edits = changes if isinstance(changes, list) else [data]
    found = []
    for edit in edits:
        if not isinstance(edit, dict):
            continue
        fields = edit.get("fields")
        if isinstance(fields, dict) and fields.get("actual_finish") is not None:
            task_id = edit.get("entity_id", edit.get("id"))
            found.append((str(task_id), fields["actual_finish"]))
    return found
