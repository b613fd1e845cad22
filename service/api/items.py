"""Tasks, resources, dependencies and risks: one router shape serves all four."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel

from domain.changes import Change, ChangeAction, EntityKind, change_from_dict
from service.api.contract import checked_body
from service.api.deps import (
    ActorDep,
    ExpectedVersionDep,
    JSONObjectDep,
    PlanforgeDep,
    WriteDep,
)
from service.api.document_models import (
    Absence,
    Dependency,
    DependencyFields,
    Resource,
    ResourceFields,
    Risk,
    RiskFields,
    Task,
    TaskFields,
)
from service.api.record_models import ItemChanged

BODIES: dict[EntityKind, tuple[type[BaseModel], type[BaseModel]]] = {
    EntityKind.TASK: (Task, TaskFields),
    EntityKind.RESOURCE: (Resource, ResourceFields),
    EntityKind.DEPENDENCY: (Dependency, DependencyFields),
    EntityKind.RISK: (Risk, RiskFields),
}


def changed(version: int, item_id: str, response: Response) -> ItemChanged:
    """The answer to an edit: the item and the project's new version (ETag)."""
    response.headers["ETag"] = f'"{version}"'
    return ItemChanged(id=item_id, version=version)


def items_router(kind: EntityKind) -> APIRouter:
    """POST to add, PATCH to update, DELETE to remove; each is one event."""
    router = APIRouter(
        prefix="/projects/{project_id}/" + kind.collection, tags=[kind.collection]
    )

    added, updated = BODIES[kind]

    @router.post(
        "",
        status_code=201,
        name=f"add_{kind.value}",
        openapi_extra=checked_body(added),
    )
    def add(
        project_id: UUID,
        fields: JSONObjectDep,
        planforge: PlanforgeDep,
        actor: ActorDep,
        expected: ExpectedVersionDep,
        write: WriteDep,
        response: Response,
    ) -> ItemChanged:
        change = change_from_dict({**fields, "action": f"add_{kind.value}"}, kind.value)
        state = planforge.change_project(project_id, change, actor, expected, write)
        return changed(state.version, change.id, response)

    @router.patch(
        "/{item_id}", name=f"update_{kind.value}", openapi_extra=checked_body(updated)
    )
    def update(
        project_id: UUID,
        item_id: str,
        fields: JSONObjectDep,
        planforge: PlanforgeDep,
        actor: ActorDep,
        expected: ExpectedVersionDep,
        write: WriteDep,
        response: Response,
    ) -> ItemChanged:
        change = Change(ChangeAction.UPDATE, kind, item_id, fields)
        state = planforge.change_project(project_id, change, actor, expected, write)
        return changed(state.version, item_id, response)

    @router.delete("/{item_id}", name=f"remove_{kind.value}")
    def remove(
        project_id: UUID,
        item_id: str,
        planforge: PlanforgeDep,
        actor: ActorDep,
        expected: ExpectedVersionDep,
        write: WriteDep,
        response: Response,
    ) -> ItemChanged:
        change = Change(ChangeAction.REMOVE, kind, item_id)
        state = planforge.change_project(project_id, change, actor, expected, write)
        return changed(state.version, item_id, response)

    return router


absences_router = APIRouter(tags=["resources"])


@absences_router.post(
    "/projects/{project_id}/resources/{resource_id}/absences",
    status_code=201,
    openapi_extra=checked_body(Absence),
)
def record_absence(
    project_id: UUID,
    resource_id: str,
    fields: JSONObjectDep,
    planforge: PlanforgeDep,
    actor: ActorDep,
    expected: ExpectedVersionDep,
    write: WriteDep,
    response: Response,
) -> ItemChanged:
    """Record an absence `{"start", "end", "reason"}`: one AbsenceRecorded event."""
    state = planforge.record_absence(
        project_id, resource_id, fields, actor, expected, write
    )
    return changed(state.version, resource_id, response)


@absences_router.delete(
    "/projects/{project_id}/resources/{resource_id}/absences/{start}"
)
def remove_absence(
    project_id: UUID,
    resource_id: str,
    start: Annotated[str, Path(json_schema_extra={"format": "date"})],
    planforge: PlanforgeDep,
    actor: ActorDep,
    expected: ExpectedVersionDep,
    write: WriteDep,
    response: Response,
) -> ItemChanged:
    """Withdraw the absence starting on `start` (ISO date): one AbsenceRemoved."""
    state = planforge.remove_absence(
        project_id, resource_id, start, actor, expected, write
    )
    return changed(state.version, resource_id, response)
