"""Plans, baselines, forecasts and what-if scenarios."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from domain.pins import parse_pins
from service.api.contract import answer
from service.api.deps import ActorDep, ExpectedVersionDep, PlanforgeDep, WriteDep
from service.api.jobs import ACCEPTED, SubmissionDep
from service.api.plan_models import CommittedPlan, ForecastOut, PlanOut, ScenarioOut
from service.api.schemas import ForecastBody, PlanBody, ScenarioBody
from service.calibration import calibration_view
from service.usecases import ForecastRequest, Planforge, PlanRequest, Write
from service.views import JSON, forecast_view, plan_view

router = APIRouter(prefix="/projects/{project_id}", tags=["plans"])


@router.post(
    "/plans",
    status_code=201,
    response_model=None,
    responses={**answer(PlanOut, 201, location=True), **ACCEPTED},
)
def propose_plan(
    project_id: UUID,
    body: PlanBody,
    planforge: PlanforgeDep,
    actor: ActorDep,
    write: WriteDep,
    submission: SubmissionDep,
    response: Response,
) -> JSON | JSONResponse:
    """Solve the current project with CP-SAT and record the plan as proposed.
    With `Prefer: respond-async`: 202 and a job (`Location: /jobs/{id}`)."""
    time_limit = body.time_limit or planforge.settings.default_time_limit
    request = PlanRequest(
        time_limit,
        body.seed,
        objective=body.objective,
        stability_weight=body.stability_weight,
        previous_plan_id=body.previous_plan_id,
        cost_weight=body.cost_weight,
        balance_weight=body.balance_weight,
        continuity_weight=body.continuity_weight,
        pins=parse_pins(body.pins),
        deadlines=body.deadlines,
        odds_samples=body.odds_samples,
    )

    work = partial(plan_job, project_id, request, actor, write)
    answered = submission.answer(work, "plan", project_id, planforge)
    if isinstance(answered, dict):
        response.headers["Location"] = f"/projects/{project_id}/plans/{answered['id']}"
    return answered


def plan_job(
    project_id: UUID, request: PlanRequest, actor: str, write: Write, service: Planforge
) -> tuple[JSON, str]:
    """POST /plans as a job's work (a partial of it is picklable: a job
    survives a restart)."""
    answer = proposed_plan(service, project_id, request, actor, write)
    return answer, f"/projects/{project_id}/plans/{answer['id']}"


def proposed_plan(
    planforge: Planforge,
    project_id: UUID,
    request: PlanRequest,
    actor: str,
    write: Write,
) -> JSON:
    record = planforge.propose_plan(project_id, request, actor, write)
    project = planforge.get_project(project_id, record.project_version).project
    return {
        **plan_view(project, record.plan),
        "project_version": record.project_version,
    }


@router.get("/plans/{plan_id}", response_model=None, responses=answer(PlanOut))
def get_plan(project_id: UUID, plan_id: UUID, planforge: PlanforgeDep) -> JSON:
    record = planforge.store.get_plan(project_id, plan_id)
    project = planforge.get_project(project_id, record.project_version).project
    return {
        **plan_view(project, record.plan),
        "project_version": record.project_version,
        "committed": record.committed,
    }


class MoveOut(BaseModel):
    """A task that starts on another day in this plan than in the other."""

    task: str
    start_before: int = Field(description="its start in the other plan")
    start_after: int = Field(description="its start in this plan")
    days: int = Field(description="working days later (negative: earlier)")
    cause: str = Field(description="why, in words")


WithPlan = Annotated[
    UUID, Query(alias="with", description="the plan to compare with (earlier)")
]


class ComparisonOut(BaseModel):
    plan_id: UUID
    with_plan_id: UUID
    moved: list[MoveOut]


@router.get("/plans/{plan_id}/compare")
def compare_plans(
    project_id: UUID,
    plan_id: UUID,
    planforge: PlanforgeDep,
    with_plan_id: WithPlan,
) -> ComparisonOut:
    """Which tasks moved from the other plan to this one, by how many days,
    and why: a predecessor, a person busy, a pin, a calendar or an absence."""
    found = planforge.compare_plans(project_id, plan_id, with_plan_id)
    return ComparisonOut(
        plan_id=plan_id,
        with_plan_id=with_plan_id,
        moved=[
            MoveOut(
                task=move.task,
                start_before=move.start_before,
                start_after=move.start_after,
                days=move.days,
                cause=move.cause,
            )
            for move in found
        ],
    )


@router.post(
    "/plans/{plan_id}/commit", response_model=None, responses=answer(CommittedPlan)
)
def commit_plan(
    project_id: UUID,
    plan_id: UUID,
    planforge: PlanforgeDep,
    actor: ActorDep,
    expected: ExpectedVersionDep,
    write: WriteDep,
    response: Response,
) -> JSON:
    """Make a proposed plan the project's committed baseline."""
    state = planforge.commit_plan(project_id, plan_id, actor, expected, write)
    record = planforge.store.get_plan(project_id, plan_id)
    project = planforge.get_project(project_id, record.project_version).project
    response.headers["ETag"] = f'"{state.version}"'
    return {
        **plan_view(project, record.plan),
        "committed": True,
        "version": state.version,
    }


@router.post(
    "/forecasts",
    status_code=201,
    response_model=None,
    responses={**answer(ForecastOut, 201), **ACCEPTED},
)
def make_forecast(
    project_id: UUID,
    body: ForecastBody,
    planforge: PlanforgeDep,
    actor: ActorDep,
    write: WriteDep,
    submission: SubmissionDep,
) -> JSON | JSONResponse:
    """Monte Carlo forecast of a plan: P50/P80/P95, deadline odds, criticality.
    Recorded with `X-Reason`; a retry with the same `Idempotency-Key` records
    nothing more. With `Prefer: respond-async`: 202 and a job
    (`Location: /jobs/{id}`)."""
    samples = body.samples or planforge.settings.default_samples
    factors = planforge.calibration_factors() if body.calibrate else None
    request = ForecastRequest(
        samples,
        body.seed,
        body.engine,
        body.precision,
        body.lhs,
        body.workers,
        calibration=factors,
    )

    work = partial(
        forecast_job, project_id, body.plan_id, body.version, request, actor, write
    )
    return submission.answer(work, "forecast", project_id, planforge)


def forecast_job(
    project_id: UUID,
    plan_id: UUID | None,
    version: int | None,
    request: ForecastRequest,
    actor: str,
    write: Write,
    service: Planforge,
) -> tuple[JSON, None]:
    """POST /forecasts as a job's work (picklable as a partial)."""
    project, result = service.forecast_plan(
        project_id, plan_id, request, actor, write, version
    )
    view = forecast_view(project, result)
    if request.calibration is not None:
        view["calibration"] = calibration_view(project, request.calibration)
    return view, None


@router.post(
    "/scenarios",
    response_model=None,
    responses={**answer(ScenarioOut), **ACCEPTED},
)
def run_scenario(
    project_id: UUID,
    body: ScenarioBody,
    planforge: PlanforgeDep,
    submission: SubmissionDep,
) -> JSON | JSONResponse:
    """What-if: apply changes to a copy, compare with the baseline, record nothing.
    With `Prefer: respond-async`: 202 and a job (`Location: /jobs/{id}`)."""
    settings = planforge.settings
    plan_request = PlanRequest(
        body.time_limit or settings.default_time_limit, body.seed
    )
    forecast_request = ForecastRequest(
        body.samples or settings.default_samples,
        body.seed,
        body.engine,
        body.precision,
        body.lhs,
        body.workers,
    )

    work = partial(
        scenario_job, project_id, body.changes, plan_request, forecast_request
    )
    return submission.answer(work, "scenario", project_id, planforge)


def scenario_job(
    project_id: UUID,
    changes: list[dict[str, Any]],
    plan_request: PlanRequest,
    forecast_request: ForecastRequest,
    service: Planforge,
) -> tuple[JSON, None]:
    """POST /scenarios as a job's work (picklable as a partial)."""
    comparison = service.run_scenario(
        project_id, changes, plan_request, forecast_request
    )
    return comparison, None
