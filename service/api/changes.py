"""Batch edits and imports: many changes, one atomic write."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from service.api.deps import ActorDep, ExpectedVersionDep, PlanforgeDep, WriteDep
from service.api.record_models import ChangesApplied

router = APIRouter(prefix="/projects/{project_id}", tags=["changes"])


class ChangesBody(BaseModel):
    changes: list[dict[str, Any]] = Field(
        description='in order, e.g. [{"action": "add_task", "id": "c", "duration": 3}]'
    )
    reason: str | None = Field(default=None, description="why (audit trail)")


@router.post("/changes")
def apply_changes(
    project_id: UUID,
    body: ChangesBody,
    planforge: PlanforgeDep,
    actor: ActorDep,
    expected: ExpectedVersionDep,
    write: WriteDep,
    response: Response,
) -> ChangesApplied:
    """Apply every change or none: one event each, saved in one transaction."""
    if body.reason is not None and write.reason is None:
        write = type(write)(body.reason, write.idempotency)
    state = planforge.apply_changes(project_id, body.changes, actor, expected, write)
    response.headers["ETag"] = f'"{state.version}"'
    return ChangesApplied(
        id=str(state.id), version=state.version, applied=len(body.changes)
    )
