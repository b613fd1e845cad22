"""Projects: create, read (now, at a past version or moment), list, diff."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Query, Response

from domain.limits import MAX_VERSION
from eventstore import ProjectState
from service.api.deps import ActorDep, PlanforgeDep, WriteDep
from service.api.schemas import EXAMPLE_PROJECT
from service.api.security import PrincipalDep
from service.views import JSON, plan_view

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
    write: WriteDep,
    response: Response,
) -> JSON:
    """Record a new project from a project document (v1)."""
    state = planforge.create_project(document, actor, write)
    response.headers["Location"] = f"/projects/{state.id}"
    return project_view(state, response)


@router.get("")
def list_projects(planforge: PlanforgeDep, principal: PrincipalDep) -> list[JSON]:
    """Every project the caller may see, with its name and current version."""
    rows = []
    for project_id in planforge.store.project_ids():
        if not principal.sees(project_id):
            continue
        state = planforge.get_project(project_id)
        rows.append(
            {
                "id": str(project_id),
                "name": state.project.name,
                "version": state.version,
            }
        )
    return rows


Version = Annotated[
    int | None, Query(ge=1, le=MAX_VERSION, description="a past version")
]
AsOf = Annotated[
    datetime | None,
    Query(description="a past moment, ISO 8601 with a time zone (or UTC)"),
]


@router.get("/{project_id}")
def get_project(
    project_id: UUID,
    planforge: PlanforgeDep,
    response: Response,
    version: Version = None,
    as_of: AsOf = None,
) -> JSON:
    """The project document at its head, at `version`, or as it was `as_of`."""
    state = planforge.get_project(project_id, version, as_of_utc(as_of))
    return project_view(state, response)


@router.get("/{project_id}/baseline")
def get_baseline(
    project_id: UUID,
    planforge: PlanforgeDep,
    version: Version = None,
    as_of: AsOf = None,
) -> JSON:
    """The committed plan and its latest forecast, now, at `version` or `as_of`."""
    state = planforge.get_project(project_id, version, as_of_utc(as_of))
    record = planforge.store.committed_plan(project_id, state.version)
    if record is None:
        return {"version": state.version, "plan": None, "forecast": None}
    project = planforge.get_project(project_id, record.project_version).project
    return {
        "version": state.version,
        "plan": {
            **plan_view(project, record.plan),
            "project_version": record.project_version,
        },
        "forecast": record.latest_forecast,
    }


@router.get("/{project_id}/diff")
def diff_versions(
    project_id: UUID,
    planforge: PlanforgeDep,
    from_version: Annotated[int, Query(alias="from", ge=1, le=MAX_VERSION)],
    to_version: Annotated[int, Query(alias="to", ge=1, le=MAX_VERSION)],
) -> JSON:
    """What changed between two versions: entities added, removed, and
    changed field by field (`from`/`to`)."""
    return planforge.store.diff(project_id, from_version, to_version)


def as_of_utc(moment: datetime | None) -> datetime | None:
    """A moment without a time zone is read as UTC (events are stamped in UTC)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
