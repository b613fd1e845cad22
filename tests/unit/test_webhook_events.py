"""Which webhook events a recorded event becomes."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from eventstore.records import AuditEntry
from service.webhooks.events import webhook_events

PROJECT = UUID("6f0a5d2e-1111-4222-8333-444455556666")


def entry(kind: str, data: dict[str, object], version: int = 4) -> AuditEntry:
    moment = datetime(2027, 1, 5, 9, tzinfo=UTC)
    return AuditEntry(version, kind, moment, "pat", data, None, PROJECT, 17)


def test_an_edit_is_a_change_and_an_actual_finish_a_milestone() -> None:
    events = webhook_events(
        entry("TaskUpdated", {"entity_id": "m", "fields": {"actual_finish": 9}})
    )
    assert [e["type"] for e in events] == ["project.changed", "milestone.reached"]
    assert events[1]["data"] == {"task_id": "m", "actual_finish": 9}
    assert events[0]["id"] != events[1]["id"]
    assert events[0]["project_id"] == str(PROJECT)


def test_recorded_types_map_to_their_webhook_types() -> None:
    assert webhook_events(entry("PlanCommitted", {}))[0]["type"] == "plan.committed"
    assert webhook_events(entry("ForecastSlipped", {}))[0]["type"] == "forecast.slipped"
    assert webhook_events(entry("TaskStale", {}))[0]["type"] == "task.stale"
    gate = webhook_events(entry("GateApproved", {"task_id": "g", "approved_at": 12}))
    assert [e["type"] for e in gate] == ["gate.approved", "milestone.reached"]


def test_an_unfinished_edit_reaches_no_milestone() -> None:
    events = webhook_events(
        entry("TaskUpdated", {"entity_id": "a", "fields": {"actual_finish": None}})
    )
    assert [e["type"] for e in events] == ["project.changed"]
