"""Projects: create, read (now or at a past version), list, audit trail."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Query, Response

from eventstore import ProjectState
from service.api.deps import ActorDep, PlanforgeDep
from service.api.schemas import EXAMPLE_PROJECT
from service.views import JSON

router = APIRouter(prefix="/projects", tags=["projects"])

ProjectDocument = Annotated[
    dict[str, Any], Body(openapi_examples={"launch": {"value": EXAMPLE_PROJECT}})
]


def project_view(state: ProjectState, response: Response) -> JSON:
    response.headers["ETag"] = f'"{state.version}"'
    return {
        "id": str(state.id),
        "version": state.version,
        "committed_plan_id": None
        if state.committed_plan_id is None
        else str(state.committed_plan_id),
        **state.document,
    }


@router.post("", status_code=201)
def create_project(
    document: ProjectDocument,
    planforge: PlanforgeDep,
    actor: ActorDep,
    response: Response,
) -> JSON:
    """Record a new project from a project document (v1)."""
    state = planforge.create_project(document, actor)
    response.headers["Location"] = f"/projects/{state.id}"
    return project_view(state, response)


@router.get("")
def list_projects(planforge: PlanforgeDep) -> list[JSON]:
    """Every project with its name and current version."""
    rows = []
    for project_id in planforge.store.project_ids():
        state = planforge.get_project(project_id)
        rows.append(
            {
                "id": str(project_id),
                "name": state.project.name,
                "version": state.version,
            }
        )
    return rows


@router.get("/{project_id}")
def get_project(
    project_id: UUID,
    planforge: PlanforgeDep,
    response: Response,
    version: Annotated[int | None, Query(ge=1, description="a past version")] = None,
) -> JSON:
    """The project document at its head, or as it was at `version`."""
    return project_view(planforge.get_project(project_id, version), response)


@router.get("/{project_id}/events")
def list_events(project_id: UUID, planforge: PlanforgeDep) -> list[JSON]:
    """The audit trail: every change in order, with who made it and when."""
    return [
        {
            "version": entry.version,
            "type": entry.type,
            "timestamp": entry.timestamp.isoformat(),
            "actor": entry.actor,
            "data": entry.data,
        }
        for entry in planforge.store.events(project_id)
    ]
