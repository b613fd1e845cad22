"""Jobs: status and progress, the result, a live event stream, cancelling.

Long requests (plans, forecasts, scenarios, portfolio plans) become jobs when
the client sends `Prefer: respond-async` (RFC 7240): 202 with
`Location: /jobs/{id}` instead of waiting for the answer.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse, ServerSentEvent

from domain import NotFound
from domain.access import Principal, Role
from service.api.contract import answer, errors
from service.api.plan_models import ForecastOut, PlanOut, PortfolioOut, ScenarioOut
from service.api.security import PrincipalDep
from service.job_record import Job, Work
from service.jobs import Jobs
from service.usecases import Planforge
from service.views import JSON

router = APIRouter(prefix="/jobs", tags=["jobs"])
STREAM_POLL_SECONDS = 0.1
STORED_POLL_SECONDS = 0.5


def get_jobs(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    return jobs


JobsDep = Annotated[Jobs, Depends(get_jobs)]


class JobOut(BaseModel):
    """A job as `GET /jobs/{id}` answers it."""

    id: str
    kind: str = Field(description="plan, forecast, scenario or portfolio")
    project_id: str | None
    submitter: str
    status: str = Field(description="queued, running, succeeded, failed, cancelled")
    submitted_at: str
    started_at: str | None
    finished_at: str | None
    progress: dict[str, Any] = Field(
        description="solver: objective, bound, gap, seconds, solutions; "
        "Monte Carlo: samples_done, samples",
        examples=[{"objective": 42.0, "bound": 40.0, "gap": 0.048, "seconds": 1.9}],
    )
    result_url: str | None
    error: dict[str, Any] | None = Field(description="detail and problems")
    runs: int = Field(
        description="1; more when a restart of the service ran the job again"
    )
    links: dict[str, str]


ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {
        "model": JobOut,
        "description": "with `Prefer: respond-async`: accepted as a job",
        "headers": {"Location": {"schema": {"type": "string"}}},
    },
    **errors(429, 503),
}


def job_view(job: Job) -> JSON:
    view = job.record()
    for internal in ("owner", "result", "work"):
        view.pop(internal)
    view["links"] = {"self": f"/jobs/{job.id}", "events": f"/jobs/{job.id}/events"}
    if job.result_url is not None:
        view["links"]["result"] = job.result_url
    return view


def accepted(job: Job) -> JSONResponse:
    """202: the job is queued; follow `Location` for its status."""
    return JSONResponse(
        status_code=202,
        content=job_view(job),
        headers={"Location": f"/jobs/{job.id}", "Preference-Applied": "respond-async"},
    )


@dataclass(frozen=True)
class Submission:
    """How a long request is answered: now, or (`Prefer: respond-async`,
    RFC 7240) as a job of the signed-in caller."""

    jobs: Jobs
    respond_async: bool
    submitter: str

    def answer(
        self, work: Work, kind: str, project_id: UUID | None, planforge: Planforge
    ) -> JSON | JSONResponse:
        if not self.respond_async:
            return work(planforge)[0]
        return accepted(self.jobs.submit(kind, project_id, self.submitter, work))


def get_submission(
    jobs: JobsDep,
    principal: PrincipalDep,
    prefer: Annotated[str | None, Header()] = None,
) -> Submission:
    preferences = (
        part.split("=")[0].strip().lower() for part in (prefer or "").split(",")
    )
    return Submission(jobs, "respond-async" in preferences, principal.name)


SubmissionDep = Annotated[Submission, Depends(get_submission)]


def visible_job(job_id: UUID, jobs: Jobs, principal: Principal) -> Job:
    """The job, if the caller submitted it or may read its project; hidden
    (404) otherwise."""
    job = jobs.get(job_id)
    role = None if job.project_id is None else principal.role_on(job.project_id)
    if job.submitter != principal.name and (role is None or role < Role.VIEWER):
        raise NotFound(f"job {job_id} not found")
    return job


@router.get("/{job_id}")
def get_job(job_id: UUID, jobs: JobsDep, principal: PrincipalDep) -> JobOut:
    """Status (queued, running, succeeded, failed, cancelled), progress (solver:
    objective, bound, gap, seconds; Monte Carlo: samples done) and links."""
    return JobOut(**job_view(visible_job(job_id, jobs, principal)))


JobResult = PlanOut | ForecastOut | ScenarioOut | PortfolioOut


@router.get("/{job_id}/result", response_model=None, responses=answer(JobResult))
def get_job_result(job_id: UUID, jobs: JobsDep, principal: PrincipalDep) -> JSON:
    """What the synchronous request would have answered, once succeeded."""
    job = visible_job(job_id, jobs, principal)
    if job.result is None:
        raise NotFound(f"job {job_id} has no result (status {job.status.value})")
    return job.result


@router.delete("/{job_id}")
def cancel_job(job_id: UUID, jobs: JobsDep, principal: PrincipalDep) -> JobOut:
    """Cancel a queued or running job; a running solve stops within a second
    (the answer may still say `running` when another server process runs the
    job: it is told through the store). The submitter or a planner of the
    job's project may."""
    job = visible_job(job_id, jobs, principal)
    if job.submitter != principal.name and job.project_id is not None:
        principal.require_on(job.project_id, Role.PLANNER)
    return JobOut(**job_view(jobs.cancel(job_id)))


# One server-sent event (OpenAPI 3.1: the stream's `schema` describes each
# event): its name and its data, a JobOut as JSON text.
SSE_EVENT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "event": {"type": "string", "enum": ["progress", "status"]},
        "data": {
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": {"$ref": "#/components/schemas/JobOut"},
        },
        "id": {"type": "string"},
        "retry": {"type": "integer"},
    },
    "required": ["event", "data"],
}


@router.get(
    "/{job_id}/events",
    response_class=EventSourceResponse,
    responses={
        200: {
            "content": {"text/event-stream": {"schema": SSE_EVENT}},
            "description": "`progress` events, then one `status` event: each a JobOut",
        },
    },
)
async def job_events(
    job_id: UUID, jobs: JobsDep, principal: PrincipalDep
) -> EventSourceResponse:
    """Server-sent events: `progress` on each change, then one `status` event
    with the final state, then the stream ends."""
    visible_job(job_id, jobs, principal)
    return EventSourceResponse(_stream(jobs, job_id))


async def _stream(jobs: Jobs, job_id: UUID) -> AsyncIterator[ServerSentEvent]:
    """The job's changes: as this process runs it, or (run by another
    process) as the store holds it, read again every STORED_POLL_SECONDS."""
    seen = -1
    while True:
        here = jobs.runs_here(job_id)
        job = jobs.get(job_id) if here else await asyncio.to_thread(jobs.get, job_id)
        revision, finished = job.revision, job.status.finished
        if revision != seen:
            seen = revision
            event = "status" if finished else "progress"
            yield ServerSentEvent(data=json.dumps(job_view(job)), event=event)
        if finished:
            return
        await asyncio.sleep(STREAM_POLL_SECONDS if here else STORED_POLL_SECONDS)
