"""The audit trail: per project (by task, actor, page) and across projects."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from domain.limits import MAX_VERSION
from eventstore import AuditQuery
from eventstore.records import AuditEntry
from service.api.deps import PlanforgeDep
from service.api.record_models import EventOut, EventPage, ProjectEventOut
from service.views import JSON

router = APIRouter(tags=["audit"])

Task = Annotated[str | None, Query(description="only events touching this task")]
Actor = Annotated[str | None, Query(description="only events by this actor")]
Limit = Annotated[int, Query(ge=1, le=1000)]


def entry_view(entry: AuditEntry) -> JSON:
    return {
        "version": entry.version,
        "type": entry.type,
        "timestamp": entry.timestamp.isoformat(),
        "actor": entry.actor,
        "reason": entry.reason,
        "data": entry.data,
    }


@router.get("/projects/{project_id}/events")
def project_events(
    project_id: UUID,
    planforge: PlanforgeDep,
    task: Task = None,
    actor: Actor = None,
    limit: Limit = 1000,
    after: Annotated[
        int, Query(ge=0, le=MAX_VERSION, description="the last version seen")
    ] = 0,
) -> list[EventOut]:
    """A project's events in order, with who, when and why; page with `after`."""
    query = AuditQuery(task=task, actor=actor, after=after, limit=limit)
    return [
        EventOut(**entry_view(e)) for e in planforge.store.events(project_id, query)
    ]


@router.get("/events")
def all_events(
    planforge: PlanforgeDep,
    actor: Actor = None,
    limit: Limit = 100,
    after: Annotated[
        int, Query(ge=0, le=MAX_VERSION, description="`next_after` of a page")
    ] = 0,
) -> EventPage:
    """Events across projects in recording order; continue from `next_after`."""
    entries, position = planforge.store.all_events(
        AuditQuery(actor=actor, after=after, limit=limit)
    )
    return EventPage(
        events=[
            ProjectEventOut(project_id=str(e.project_id), **entry_view(e))
            for e in entries
        ],
        next_after=position,
    )
