"""Stage gates and the templates whose stages end in them."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from service.api.contract import checked_body, errors
from service.api.deps import (
    ActorDep,
    ExpectedVersionDep,
    JSONObjectDep,
    PlanforgeDep,
    WriteDep,
)
from service.api.document_models import ProjectDocument
from service.api.schemas import EXAMPLE_PROJECT
from service.usecases import Write

router = APIRouter(tags=["gates"])


class TemplateCreated(BaseModel):
    id: UUID
    name: str
    gates: list[str] = Field(description="the gate milestones, in document order")


class GateApproval(BaseModel):
    reason: str | None = Field(default=None, description="why (audit trail)")


class GateApproved(BaseModel):
    id: UUID
    version: int
    gate: str
    approved_at: int = Field(description="working-day time the gate is done at")


@router.post(
    "/templates",
    status_code=201,
    response_model=TemplateCreated,
    openapi_extra=checked_body(ProjectDocument, example=EXAMPLE_PROJECT),
)
def create_template(
    document: JSONObjectDep, planforge: PlanforgeDep, actor: ActorDep
) -> TemplateCreated:
    """Store a project document to start projects from: its stages end in
    gate milestones (`"gate": true`). `POST /projects` with `{"template": id,
    "name": ..., "start": ...}` makes a project of it."""
    template_id = planforge.create_template(document, actor)
    gates = [t["id"] for t in document.get("tasks", []) if t.get("gate") is True]
    return TemplateCreated(id=template_id, name=document["name"], gates=gates)


@router.post(
    "/projects/{project_id}/gates/{task_id}/approve",
    response_model=GateApproved,
    responses=errors(409),
)
def approve_gate(
    project_id: UUID,
    task_id: str,
    body: GateApproval,
    planforge: PlanforgeDep,
    actor: ActorDep,
    expected: ExpectedVersionDep,
    write: WriteDep,
    response: Response,
) -> GateApproved:
    """Approve a stage gate: refused (409) while any task before it is
    unfinished. The gate is done at the status time; the work behind it may
    then start (an actual start behind an unapproved gate is a 409)."""
    if body.reason is not None and write.reason is None:
        write = Write(body.reason, write.idempotency)
    state = planforge.approve_gate(project_id, task_id, actor, expected, write)
    response.headers["ETag"] = f'"{state.version}"'
    approved = state.project.task(task_id).timing.actual_finish
    return GateApproved(
        id=state.id, version=state.version, gate=task_id, approved_at=approved or 0
    )
