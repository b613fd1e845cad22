"""The nightly job: replan every project, forecast it, and flag slips.

Each project is planned from its status date and forecast; a forecast whose
P80 slipped (domain.slips) is recorded as ForecastSlipped with its reasons,
and each stale task (domain.health) as TaskStale, so outbound webhooks and
cron can act on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from uuid import UUID

from domain import Plan, ValidationError
from domain.health import stale_tasks
from domain.slips import forecast_slip
from eventstore import PlanRecord
from service.settings import Settings
from service.usecases import ForecastRequest, Planforge, PlanRequest


@dataclass(frozen=True)
class ReplanOutcome:
    """What moved for one project against its committed baseline."""

    project_id: UUID
    name: str
    status: str
    baseline_makespan: int | None
    makespan: int | None
    p80: float | None
    deadline: int | None
    moved_tasks: dict[str, int] = field(default_factory=dict)
    slip_reasons: tuple[str, ...] = ()
    stale_tasks: tuple[str, ...] = ()  # "task: N working days without a report"

    @property
    def shift(self) -> int | None:
        if self.baseline_makespan is None or self.makespan is None:
            return None
        return self.makespan - self.baseline_makespan

    @property
    def slipped(self) -> bool:
        """The P80 later than the baseline's by more than the project's slip
        threshold, or past the deadline (domain.slips)."""
        return bool(self.slip_reasons)


def replan_all(
    app: Planforge,
    plan_request: PlanRequest,
    forecast_request: ForecastRequest,
    actor: str = "nightly",
    progress: Callable[[str], None] | None = None,
    executor: Executor | None = None,
) -> list[ReplanOutcome]:
    """Re-solve and re-forecast each project, recording both.

    Without an executor projects run in turn in this process. With one (a
    process pool, or a Dask cluster's `client.get_executor()`), each project is
    a job that opens the store from the settings itself: same code, more cores.
    """
    project_ids = app.store.project_ids()
    if executor is None:
        jobs: Iterable[ReplanOutcome] = (
            replan_one(app, project_id, plan_request, forecast_request, actor)
            for project_id in project_ids
        )
    else:
        url = app.store.database_url
        if url is None:
            raise ValidationError.at("executor", "an in-memory store cannot be shared")
        settings = app.settings.model_copy(update={"database_url": url})
        futures = [
            executor.submit(
                replan_in_worker,
                settings,
                project_id,
                plan_request,
                forecast_request,
                actor,
            )
            for project_id in project_ids
        ]
        jobs = (future.result() for future in futures)
    outcomes = []
    for number, outcome in enumerate(jobs, start=1):
        outcomes.append(outcome)
        if progress:
            progress(f"[{number}/{len(project_ids)}] {outcome.name}: {outcome.status}")
    return outcomes


def replan_in_worker(
    settings: Settings,
    project_id: UUID,
    plan_request: PlanRequest,
    forecast_request: ForecastRequest,
    actor: str,
) -> ReplanOutcome:
    """One project's replan in a worker process: its own store connection."""
    app = Planforge(settings)
    try:
        return replan_one(app, project_id, plan_request, forecast_request, actor)
    finally:
        app.store.close()


def replan_one(
    app: Planforge,
    project_id: UUID,
    plan_request: PlanRequest,
    forecast_request: ForecastRequest,
    actor: str,
) -> ReplanOutcome:
    state = app.get_project(project_id)
    baseline = app.store.committed_plan(project_id)
    record = app.propose_plan(project_id, plan_request, actor)
    p80 = slip = None
    if record.plan.has_schedule:
        _, result = app.forecast_plan(project_id, record.id, forecast_request, actor)
        p80 = result.duration.p80
        slip = forecast_slip(
            state.project,
            None if baseline is None else baseline.plan,
            None if baseline is None else _first_p80(baseline),
            record.plan,
            p80,
        )
    stale = stale_tasks(state.project)
    if slip is not None or stale:
        app.record_alerts(project_id, record.id, slip, stale, actor)
    return ReplanOutcome(
        project_id=project_id,
        name=state.project.name,
        status=record.plan.status.value,
        baseline_makespan=None if baseline is None else baseline.plan.makespan,
        makespan=record.plan.makespan,
        p80=p80,
        deadline=state.project.deadline,
        moved_tasks={} if baseline is None else moved_tasks(baseline.plan, record.plan),
        slip_reasons=() if slip is None else slip.reasons,
        stale_tasks=tuple(
            f"{s.task_id}: {s.days_silent} working days without a report" for s in stale
        ),
    )


def _first_p80(baseline: PlanRecord) -> float | None:
    """The baseline's own P80: the first forecast recorded of it."""
    if not baseline.forecasts:
        return None
    p80 = baseline.forecasts[0]["summary"].get("duration", {}).get("p80")
    return None if p80 is None else float(p80)


def moved_tasks(before: Plan, after: Plan) -> dict[str, int]:
    """Task id -> how many working days its finish moved (only those that moved)."""
    old = {t.task_id: t.finish for t in before.tasks}
    return {
        t.task_id: t.finish - old[t.task_id]
        for t in after.tasks
        if t.task_id in old and t.finish != old[t.task_id]
    }
