"""The audit trail: who changed what, when and why; per project, task or actor.

A project's trail pages by version (`after`); the store-wide trail pages by
position in the notification log, scanning at most `scan` notifications per
call so a rare actor cannot turn one request into a full-table read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from domain import ValidationError
from eventstore.aggregate import ProjectAggregate
from eventstore.application import ProjectApplication
from eventstore.records import AuditEntry, audit_data

MAX_LIMIT = 1000
# Event attributes that are bookkeeping, not the event's own data.
BOOKKEEPING = {
    "originator_id",
    "originator_version",
    "originator_topic",
    "timestamp",
    "actor",
    "reason",
}


@dataclass(frozen=True)
class AuditQuery:
    """Which entries: touching `task`, made by `actor`, after version (or log
    position) `after`, at most `limit`."""

    task: str | None = None
    actor: str | None = None
    after: int = 0
    limit: int = 100

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise ValidationError.at("limit", f"must be within 1..{MAX_LIMIT}")
        if self.after < 0:
            raise ValidationError.at("after", "must be >= 0")

    def matches(self, event: Aggregate.Event) -> bool:
        if self.actor is not None and getattr(event, "actor", None) != self.actor:
            return False
        return self.task is None or touches_task(event, self.task)


@dataclass(frozen=True)
class TrailPage:
    """A page of a project's trail as last read: its entries so far, and the
    version the events were read up to (where to continue)."""

    entries: tuple[AuditEntry, ...]
    read_up_to: int


def project_event_topics() -> list[str]:
    """Topics of every event a project records (new nested events included)."""
    return [
        get_topic(member)
        for member in vars(ProjectAggregate).values()
        if isinstance(member, type) and issubclass(member, Aggregate.Event)
    ]


def touches_task(event: Aggregate.Event, task_id: str) -> bool:
    """The task's own edits, and edits of dependencies or risks naming it."""
    if not isinstance(event, ProjectAggregate.EntityEvent):
        return False
    if event.kind.value == "task":
        return event.entity_id == task_id
    fields: dict[str, Any] = getattr(event, "fields", {})
    named = {fields.get("from"), fields.get("to"), *fields.get("tasks", ())}
    return task_id in named or task_id in event.entity_id.split("->")


def select(
    events: Iterable[tuple[Aggregate.Event, int | None]], query: AuditQuery
) -> list[AuditEntry]:
    """The first `query.limit` matching events as audit entries."""
    entries: list[AuditEntry] = []
    for event, position in events:
        if query.matches(event):
            entries.append(audit_entry(event, position))
            if len(entries) == query.limit:
                break
    return entries


def audit_entry(event: Aggregate.Event, position: int | None = None) -> AuditEntry:
    """One event as the audit trail shows it."""
    fields = dict(vars(event))
    return AuditEntry(
        version=event.originator_version,
        type=type(event).__name__,
        timestamp=event.timestamp,
        actor=str(fields.get("actor", "")),
        data=audit_data({k: v for k, v in fields.items() if k not in BOOKKEEPING}),
        reason=fields.get("reason"),
        project_id=_as_uuid(event.originator_id),
        position=position,
    )


def store_wide(
    application: ProjectApplication, query: AuditQuery, scan: int
) -> tuple[list[AuditEntry], int]:
    """Matching entries after log position `query.after`, reading at most
    `scan` notifications, and the position to continue from."""
    if query.task is not None:
        raise ValidationError.at("task", "filter by task within one project")
    scanned: list[tuple[Any, int]] = []
    for notification in application.notifications(
        project_event_topics(), after=query.after
    ):
        event = application.mapper.to_domain_event(notification)
        scanned.append((event, notification.id))
        if len(scanned) == scan:
            break
    entries = select(scanned, query)
    if len(entries) == query.limit:
        return entries, int(entries[-1].position or 0)
    return entries, scanned[-1][1] if scanned else query.after


def unpositioned(events: Iterable[Aggregate.Event]) -> Iterator[tuple[Any, None]]:
    return ((event, None) for event in events)


def _as_uuid(originator_id: Any) -> UUID:
    return originator_id if isinstance(originator_id, UUID) else UUID(originator_id)
