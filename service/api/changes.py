"""Batch edits and imports: many changes, one atomic write."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from domain import Forbidden
from domain.access import Principal
from domain.changes import EntityKind
from service.api.deps import ActorDep, ExpectedVersionDep, PlanforgeDep, WriteDep
from service.api.record_models import ChangesApplied
from service.api.rules import edit_role
from service.api.schemas import CHANGE_SCHEMA
from service.api.security import PrincipalDep

router = APIRouter(prefix="/projects/{project_id}", tags=["changes"])


class ChangesBody(BaseModel):
    changes: list[dict[str, Any]] = Field(
        min_length=1,
        description='in order, e.g. [{"action": "add_task", "id": "c", "duration": 3}]',
        json_schema_extra={"items": CHANGE_SCHEMA},
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
    principal: PrincipalDep,
    response: Response,
) -> ChangesApplied:
    """Apply every change or none: one event each, saved in one transaction.
    A contributor may send task edits only; a batch that also adds, changes
    or removes a resource, dependency or risk needs planner."""
    check_roles(principal, str(project_id), body.changes)
    if body.reason is not None and write.reason is None:
        write = type(write)(body.reason, write.idempotency)
    state = planforge.apply_changes(project_id, body.changes, actor, expected, write)
    response.headers["ETag"] = f'"{state.version}"'
    return ChangesApplied(
        id=str(state.id), version=state.version, applied=len(body.changes)
    )


def check_roles(principal: Principal, project_id: str, changes: list[Any]) -> None:
    """403 naming the first change the principal's role on the project does
    not allow (by the kind its action names, as the single-edit routes rule);
    an unknown action is left for the use case to refuse (422)."""
    held = principal.role_on(project_id)
    kinds = {kind.value: kind for kind in EntityKind}
    for index, change in enumerate(changes):
        action = change.get("action") if isinstance(change, dict) else None
        kind = kinds.get(str(action).partition("_")[2])
        if kind is None or held is None or held >= edit_role(kind):
            continue
        needed = edit_role(kind).label
        raise Forbidden(
            f"changes[{index}] ({action}): {principal.name} is {held.label} on "
            f"project {project_id}; changing a {kind.value} needs {needed}"
        )
