"""One project's nightly replan as a worker sees it: plain data in, a plan and
its forecast out, no store. The batch (`service.batch`) loads and records in
its own process; the work runs inline, in a process pool or on Dask."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from domain import Forecast, Plan, Project
from domain.bookings import BusySpan
from service import compute
from service.choosing import choose_plan
from service.compute import ForecastRequest, PlanRequest


@dataclass(frozen=True)
class Job:
    """A project at a version, its committed plan (to stay close to), the
    people's bookings in other projects (busy), and what to ask."""

    project_id: UUID
    project: Project
    version: int
    plan_request: PlanRequest
    forecast_request: ForecastRequest

    def with_busy(self, busy: tuple[BusySpan, ...]) -> Job:
        return replace(self, plan_request=replace(self.plan_request, busy=busy))


@dataclass(frozen=True)
class Computed:
    """A job's answer: the plan, and its forecast when it has a schedule."""

    plan: Plan
    forecast: Forecast | None


def run_job(job: Job) -> Computed:
    """Solve (warm-started from the committed plan) and forecast one project."""
    plan = choose_plan(job.project, job.plan_request)
    if not plan.has_schedule:
        return Computed(plan, None)
    return Computed(plan, forecast_job(job, plan))


def forecast_job(job: Job, plan: Plan) -> Forecast:
    """The plan's forecast, its people's bookings elsewhere kept."""
    busy = job.plan_request.busy or ()
    return compute.simulate(
        job.project, plan, job.forecast_request, job.version, busy=busy
    )
