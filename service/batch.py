"""The nightly job: replan every project, forecast it, and flag slips."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from uuid import UUID

from domain import Plan, ValidationError
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

    @property
    def shift(self) -> int | None:
        if self.baseline_makespan is None or self.makespan is None:
            return None
        return self.makespan - self.baseline_makespan

    @property
    def slipped(self) -> bool:
        """Later than the baseline, or the P80 finish beyond the deadline."""
        late = self.shift is not None and self.shift > 0
        past_deadline = (
            self.deadline is not None
            and self.p80 is not None
            and self.p80 > self.deadline
        )
        return late or past_deadline


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
    p80 = None
    if record.plan.has_schedule:
        _, result = app.forecast_plan(project_id, record.id, forecast_request, actor)
        p80 = result.duration.p80
    return ReplanOutcome(
        project_id=project_id,
        name=state.project.name,
        status=record.plan.status.value,
        baseline_makespan=None if baseline is None else baseline.plan.makespan,
        makespan=record.plan.makespan,
        p80=p80,
        deadline=state.project.deadline,
        moved_tasks={} if baseline is None else moved_tasks(baseline.plan, record.plan),
    )


def moved_tasks(before: Plan, after: Plan) -> dict[str, int]:
    """Task id -> how many working days its finish moved (only those that moved)."""
    old = {t.task_id: t.finish for t in before.tasks}
    return {
        t.task_id: t.finish - old[t.task_id]
        for t in after.tasks
        if t.task_id in old and t.finish != old[t.task_id]
    }
