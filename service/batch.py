"""The nightly job: replan every project, forecast it, and flag slips."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

from domain import Plan
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
) -> list[ReplanOutcome]:
    """Re-solve and re-forecast each project in turn, recording both."""
    outcomes = []
    project_ids = app.store.project_ids()
    for number, project_id in enumerate(project_ids, start=1):
        outcome = replan_one(app, project_id, plan_request, forecast_request, actor)
        outcomes.append(outcome)
        if progress:
            progress(f"[{number}/{len(project_ids)}] {outcome.name}: {outcome.status}")
    return outcomes


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
