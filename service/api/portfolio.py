"""Across projects: the portfolio read model, people's weekly load, and
portfolio plans (several stored projects scheduled together)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from domain.access import Role
from domain.limits import MAX_SEED
from service.api.access import errors
from service.api.deps import PlanforgeDep
from service.api.jobs import ACCEPTED, SubmissionDep
from service.api.security import PrincipalDep
from service.portfolio import parse_links, portfolio_view
from service.usecases import Planforge, PlanRequest
from service.views import JSON

router = APIRouter(tags=["portfolio"])


@router.get("/portfolio")
def portfolio(planforge: PlanforgeDep, principal: PrincipalDep) -> list[JSON]:
    """Every project the caller may see: status (draft, committed, at_risk),
    committed finish, latest P80 of the baseline, and its `health` (as
    GET /projects/{id}/health)."""
    return [
        {**row, "health": planforge.health(UUID(row["id"]))}
        for row in planforge.portfolio()
        if principal.sees(row["id"])
    ]


@router.get("/resources/load")
def resource_load(planforge: PlanforgeDep) -> dict[str, dict[str, int]]:
    """Working days each person is assigned per ISO week, over committed plans."""
    return planforge.resource_load()


class LoadWeek(BaseModel):
    """A person's week over every committed plan."""

    person: str
    week: str = Field(description='ISO week, e.g. "2027-W02"')
    days: int = Field(description="working days assigned (a task per day each)")
    overbooked: bool = Field(
        description="some day holds the person in more tasks than their capacity"
    )
    overbooked_dates: list[str] = Field(description="those days (ISO dates)")


@router.get("/resources/load/weeks", responses=errors(401, 403))
def resource_load_weeks(planforge: PlanforgeDep) -> list[LoadWeek]:
    """Each person's assigned days per ISO week over committed plans, with the
    weeks the plans together overbook them marked."""
    return [LoadWeek(**row) for row in planforge.load_weeks()]


class PortfolioBody(BaseModel):
    project_ids: list[UUID] = Field(min_length=1, description="projects to plan")
    links: list[dict[str, Any]] = Field(
        default_factory=list,
        description='[{"from": {"project": id, "task": "qa"}, "to": {...}, '
        '"type": "FS", "lag": 0}]',
    )
    time_limit: float | None = Field(default=None, gt=0)
    seed: int = Field(default=0, ge=0, le=MAX_SEED)


@router.post("/portfolio/plans", response_model=None, responses=ACCEPTED)
def plan_portfolio(
    body: PortfolioBody,
    planforge: PlanforgeDep,
    principal: PrincipalDep,
    submission: SubmissionDep,
) -> JSON | JSONResponse:
    """Schedule the projects' current states together; nothing is recorded.
    The caller needs at least viewer on each project. With `Prefer:
    respond-async`: 202 and a job (`Location: /jobs/{id}`)."""
    for project_id in body.project_ids:
        principal.require_on(project_id, Role.VIEWER)
    time_limit = body.time_limit or planforge.settings.default_time_limit

    def work(service: Planforge) -> tuple[JSON, None]:
        projects = [service.get_project(pid).project for pid in body.project_ids]
        names = {
            str(pid): p.name for pid, p in zip(body.project_ids, projects, strict=True)
        }
        links = [_by_name(link, names) for link in body.links]
        result = service.plan_portfolio(
            projects, parse_links(links), PlanRequest(time_limit, body.seed)
        )
        return portfolio_view(projects, result), None

    return submission.answer(work, "portfolio", None, planforge)


def _by_name(link: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """Links name projects by id over HTTP; the planner keys them by name."""
    renamed = dict(link)
    for end in ("from", "to"):
        value = link.get(end)
        if isinstance(value, dict) and value.get("project") in names:
            renamed[end] = {**value, "project": names[value["project"]]}
    return renamed
