"""Portfolio plans over HTTP: plan several stored projects together, record
one plan per project linked by a portfolio plan id, commit them all or none.

Access (`service.api.rules`, scope "each project"): planning needs viewer on
every project named, recording and committing planner on every one; a
portfolio plan with a member the caller cannot see is hidden (404).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StrictBool, StrictFloat

from domain import NotFound
from domain.access import Principal, Role
from domain.limits import MAX_SEED
from service.api.contract import errors
from service.api.deps import ActorDep, PlanforgeDep, WriteDep
from service.api.jobs import ACCEPTED, SubmissionDep
from service.api.plan_models import PortfolioOut
from service.api.rules import role_of
from service.api.schemas import Integer
from service.api.security import PrincipalDep
from service.portfolio import parse_links, portfolio_view
from service.portfolio_plans import (
    commit_portfolio_plan,
    plan_portfolio,
    portfolio_plan,
)
from service.usecases import Planforge, PlanRequest, Write
from service.views import JSON

router = APIRouter(prefix="/portfolio/plans", tags=["portfolio"])
PLAN = "POST /portfolio/plans"
READ = "GET /portfolio/plans/{portfolio_plan_id}"
COMMIT = "POST /portfolio/plans/{portfolio_plan_id}/commit"


class PortfolioBody(BaseModel):
    project_ids: list[UUID] = Field(min_length=1, description="projects to plan")
    links: list[dict[str, Any]] = Field(
        default_factory=list,
        description='[{"from": {"project": id, "task": "qa"}, "to": {...}, '
        '"type": "FS", "lag": 0}]',
    )
    time_limit: StrictFloat | None = Field(default=None, gt=0)
    seed: Integer = Field(default=0, ge=0, le=MAX_SEED)
    record: StrictBool = Field(
        default=False,
        description="record one plan per project, linked by a portfolio plan id "
        "(needs planner on each project); commit them with "
        "POST /portfolio/plans/{id}/commit",
    )


class MemberOut(BaseModel):
    """A project of a portfolio plan and the plan recorded in it."""

    project_id: UUID
    name: str
    plan_id: UUID
    project_version: int = Field(description="the version its plan was made from")
    finish: int | None = Field(description="working days from the project start")
    deadline: int | None
    tardiness: int | None
    plan_url: str


class PortfolioPlanOut(BaseModel):
    """A recorded portfolio plan."""

    id: UUID
    status: str = Field(description="proposed or committed")
    solver_status: str
    objective: str
    objective_value: float | None
    objective_bound: float | None
    gap: float | None
    makespan: int | None
    recorded_at: datetime
    recorded_by: str
    reason: str | None
    committed_at: datetime | None
    committed_by: str | None
    commit_reason: str | None
    projects: list[MemberOut]


@router.post(
    "",
    response_model=None,
    responses={
        200: {"model": PortfolioOut},
        201: {"model": PortfolioOut, "description": "recorded"},
        **ACCEPTED,
        **errors(404),
    },
)
def plan_together(
    body: PortfolioBody,
    planforge: PlanforgeDep,
    principal: PrincipalDep,
    actor: ActorDep,
    write: WriteDep,
    submission: SubmissionDep,
    response: Response,
) -> JSON | JSONResponse:
    """Schedule the projects' current states together, leaving their people's
    work in other projects' committed plans free. With `"record": true`,
    record each project's plan, linked by `portfolio_plan_id` (201). With
    `Prefer: respond-async`: 202 and a job (`Location: /jobs/{id}`)."""
    role = Role.PLANNER if body.record else role_of(PLAN)
    for project_id in body.project_ids:
        principal.require_on(project_id, role)
    request = PlanRequest(
        body.time_limit or planforge.settings.default_time_limit, body.seed
    )

    work = partial(
        portfolio_job, body.project_ids, body.links, request, body.record, actor, write
    )
    if body.record:
        response.status_code = 201
    return submission.answer(work, "portfolio", None, planforge)


def portfolio_job(
    project_ids: list[UUID],
    links: list[dict[str, Any]],
    request: PlanRequest,
    record: bool,
    actor: str,
    write: Write,
    service: Planforge,
) -> tuple[JSON, str | None]:
    """POST /portfolio/plans as a job's work (a partial of it is picklable:
    a job survives a restart)."""
    names = {str(p): service.get_project(p).project.name for p in project_ids}
    parsed = parse_links([_by_name(link, names) for link in links])
    made = plan_portfolio(
        service, project_ids, parsed, request, record, actor, service.once(write)
    )
    view = portfolio_view(made.projects, made.result)
    if made.portfolio_plan_id is None:
        return view, None
    return _with_members(service, view, made.portfolio_plan_id)


@router.get("/{portfolio_plan_id}", responses=errors(401, 403, 404))
def get_portfolio_plan(
    portfolio_plan_id: UUID, planforge: PlanforgeDep, principal: PrincipalDep
) -> PortfolioPlanOut:
    """The recorded portfolio plan: its members and their plans, whether and
    by whom it was committed."""
    return _visible(planforge, portfolio_plan_id, principal, role_of(READ))


@router.post(
    "/{portfolio_plan_id}/commit",
    responses=errors(409),
)
def commit_together(
    portfolio_plan_id: UUID,
    planforge: PlanforgeDep,
    principal: PrincipalDep,
    actor: ActorDep,
    write: WriteDep,
) -> PortfolioPlanOut:
    """Commit every member's plan as its project's baseline, all or none: if
    a member project changed since its plan was made, or its plan would now
    clash with work committed elsewhere, nothing is committed and the 409
    names the projects (`projects`)."""
    _visible(planforge, portfolio_plan_id, principal, role_of(COMMIT))
    return _out(commit_portfolio_plan(planforge, portfolio_plan_id, actor, write))


def _visible(
    planforge: Planforge, portfolio_id: UUID, principal: Principal, role: Role
) -> PortfolioPlanOut:
    """The portfolio plan if the caller holds `role` on every member; hidden
    (404) when it cannot see one of them, 403 with too low a role."""
    record = portfolio_plan(planforge, portfolio_id)
    for member in record.members:
        if not principal.sees(member.project_id):
            raise NotFound(f"no portfolio plan {portfolio_id}")
        principal.require_on(member.project_id, role)
    return _out(record)


def _out(record: Any) -> PortfolioPlanOut:
    figures = record.summary
    finishes = figures.get("projects", {})
    return PortfolioPlanOut(
        id=record.id,
        status="proposed" if record.committed_at is None else "committed",
        solver_status=figures["status"],
        objective=figures["objective"],
        objective_value=figures["objective_value"],
        objective_bound=figures["objective_bound"],
        gap=figures["gap"],
        makespan=figures["makespan"],
        recorded_at=record.recorded_at,
        recorded_by=record.actor,
        reason=record.reason,
        committed_at=record.committed_at,
        committed_by=record.committed_by,
        commit_reason=record.commit_reason,
        projects=[
            MemberOut(
                project_id=m.project_id,
                name=m.name,
                plan_id=m.plan_id,
                project_version=m.project_version,
                finish=finishes.get(m.name, {}).get("finish"),
                deadline=finishes.get(m.name, {}).get("deadline"),
                tardiness=finishes.get(m.name, {}).get("tardiness"),
                plan_url=f"/projects/{m.project_id}/plans/{m.plan_id}",
            )
            for m in record.members
        ],
    )


def _with_members(
    service: Planforge, view: JSON, portfolio_id: UUID
) -> tuple[JSON, str]:
    """The answer of a recorded plan: each project's id and recorded plan."""
    record = portfolio_plan(service, portfolio_id)
    by_name = {member.name: member for member in record.members}
    for row in view["projects"]:
        member = by_name[row["name"]]
        row["project_id"], row["plan_id"] = str(member.project_id), str(member.plan_id)
    view["portfolio_plan_id"] = str(portfolio_id)
    return view, f"/portfolio/plans/{portfolio_id}"


def _by_name(link: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """Links name projects by id over HTTP; the planner keys them by name."""
    renamed = dict(link)
    for end in ("from", "to"):
        value = link.get(end)
        if isinstance(value, dict) and value.get("project") in names:
            renamed[end] = {**value, "project": names[value["project"]]}
    return renamed
