"""The nightly job: replan every project, forecast it, and flag slips.

Each project is planned from its status date, warm-started from its committed
plan, with its people's committed bookings in other projects left free
(`Planforge.busy_elsewhere`), and forecast; a forecast whose P80 slipped
(domain.slips) is recorded as ForecastSlipped with its reasons, and each
stale task (domain.health) as TaskStale, so outbound webhooks and cron can act.

The work (solve and forecast, `service.replan_job`) runs inline, in a process
pool or on a Dask cluster; this process loads each project and records the
answers in project order, so workers never touch the store. With `commit`
each new plan becomes the baseline as soon as it is recorded, so the projects
after it plan around its bookings; a plan made while another one sharing its
people was being committed is re-checked against the bookings of the moment
and, if it no longer fits, made again here: nobody is overbooked across
projects afterwards.

A run has an id. Every record it makes carries an idempotency key of the run,
the project and the step (plan, commit), so a run killed midway and started
again with the same id skips what it finished and records no plan twice.

A project that stands as its committed plan found it is left alone: the
same document (no edit, no progress since), the plan no fallback, still
clear of its people's bookings elsewhere, and forecast already with this
run's seed and samples. Nothing is solved or recorded for it; its outcome
says "unchanged". A warm night over an unchanged portfolio only reads.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from uuid import UUID

import scheduler
from domain import Plan, Project
from domain.bookings import BusySpan
from domain.health import stale_tasks
from domain.slips import forecast_slip
from eventstore import IdempotencyKey, PlanRecord, ProjectState
from service.replan_job import Computed, Job, forecast_job, run_job
from service.usecases import ForecastRequest, Planforge, PlanRequest, Write


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
    fallback: bool = False  # the greedy plan: the solver found none in time
    unchanged: bool = False  # left alone: nothing changed since its baseline

    @property
    def shift(self) -> int | None:
        if self.baseline_makespan is None or self.makespan is None:
            return None
        return self.makespan - self.baseline_makespan

    @property
    def line(self) -> str:
        """One plain line: name, status, makespan, P80."""
        p80 = "" if self.p80 is None else f", P80 {self.p80:.1f}"
        status = f"{self.status} (fallback plan)" if self.fallback else self.status
        status = f"unchanged, {status}" if self.unchanged else status
        return f"{self.name}: {status}, makespan {self.makespan}{p80}"

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
    *,
    run_id: str | None = None,
    commit: bool = False,
    in_flight: int = 4,
) -> list[ReplanOutcome]:
    """Re-solve and re-forecast each project, recording both (and committing
    each plan with `commit`); `run_id` resumes a run (see the module
    docstring). With an executor (a process pool, or a Dask cluster's
    `client.get_executor()`) at most `in_flight` projects are out at once."""
    app.check_requests(plan_request, forecast_request)
    run = NightlyRun(
        app, plan_request, forecast_request, actor, run_id or str(uuid.uuid4()), commit
    )
    project_ids = app.store.project_ids()
    outcomes = []
    for number, outcome in enumerate(run.outcomes(project_ids, executor, in_flight), 1):
        outcomes.append(outcome)
        if progress:
            progress(f"[{number}/{len(project_ids)}] {outcome.line}")
    return outcomes


@dataclass
class NightlyRun:
    """One run: loads each project's job, records each answer, in order."""

    app: Planforge
    plan_request: PlanRequest
    forecast_request: ForecastRequest
    actor: str
    run_id: str
    commit: bool

    def outcomes(
        self, project_ids: Sequence[UUID], executor: Executor | None, in_flight: int
    ) -> Iterator[ReplanOutcome]:
        flight: deque[tuple[Job, PlanRecord | None, Future[Computed] | None, bool]]
        flight = deque()
        waiting = deque(project_ids)
        while waiting or flight:
            while waiting and len(flight) < (in_flight if executor else 1):
                job, done, kept = self.job(waiting.popleft())
                future = None
                if done is None and executor is not None:
                    future = executor.submit(run_job, job)
                flight.append((job, done, future, kept))
            job, done, future, kept = flight.popleft()
            if kept and done is not None:
                yield self.left_alone(job, done)
            elif done is not None:
                yield self.finish(job, done, None)
            else:
                yield self.record(
                    job, run_job(job) if future is None else future.result()
                )

    def job(self, project_id: UUID) -> tuple[Job, PlanRecord | None, bool]:
        """The project's job; its plan if this run recorded one already, or
        its committed plan and True when the project is left alone."""
        state = self.app.get_project(project_id)
        busy = self.busy(project_id)
        request = replace(self.plan_request, busy=busy)
        committed = self.app.store.committed_plan(project_id)
        if request.wants_stability and request.previous is None and committed:
            request = replace(request, previous=committed.plan)
        job = Job(
            project_id, state.project, state.version, request, self.forecast_request
        )
        made, plan_id = self.app.store.answered(self.key(project_id, "plan"))
        if made and plan_id:
            return job, self.app.store.get_plan(project_id, UUID(plan_id)), False
        if committed is not None and self.unchanged(state, committed, busy):
            return job, committed, True
        return job, None, False

    def unchanged(
        self, state: ProjectState, committed: PlanRecord, busy: Sequence[BusySpan]
    ) -> bool:
        """Whether the project stands as its committed plan found it (the
        module docstring says what that takes)."""
        if scheduler.is_fallback(committed.plan):
            return False
        if _recorded_p80(committed, self.forecast_request) is None:
            return False
        planned = self.app.get_project(state.id, committed.project_version)
        if planned.document != state.document:
            return False
        return not scheduler.validate_plan(state.project, committed.plan, busy)

    def left_alone(self, job: Job, committed: PlanRecord) -> ReplanOutcome:
        """The outcome of a project left alone: its baseline as it stands."""
        return ReplanOutcome(
            project_id=job.project_id,
            name=job.project.name,
            status=committed.plan.status.value,
            baseline_makespan=committed.plan.makespan,
            makespan=committed.plan.makespan,
            p80=_recorded_p80(committed, self.forecast_request),
            deadline=job.project.deadline,
            stale_tasks=_stale_lines(job.project),
            unchanged=True,
        )

    def busy(self, project_id: UUID) -> tuple[BusySpan, ...]:
        """The project's people's committed work elsewhere, as of now."""
        return self.app.busy_elsewhere(project_id)

    def record(self, job: Job, computed: Computed) -> ReplanOutcome:
        """Record a job's plan; made again here if, with commits made since
        the job left, its people are no longer free when it needs them (and
        forecast again around the new bookings if it still fits)."""
        if self.commit and computed.plan.has_schedule:
            busy = self.busy(job.project_id)
            if busy != job.plan_request.busy:
                job = job.with_busy(busy)
                if scheduler.validate_plan(job.project, computed.plan, busy):
                    computed = run_job(job)
                else:  # the plan still fits: its forecast keeps the new bookings
                    computed = Computed(computed.plan, forecast_job(job, computed.plan))
        record = self.app.record_plan(
            job.project_id,
            computed.plan,
            self.actor,
            job.version,
            Write(idempotency=self.key(job.project_id, "plan")),
        )
        return self.finish(job, record, computed)

    def finish(
        self, job: Job, record: PlanRecord, computed: Computed | None
    ) -> ReplanOutcome:
        """Forecast (unless recorded before a resume), alerts, commit."""
        baseline = self.app.store.committed_plan(job.project_id)
        if baseline is not None and baseline.id == record.id:
            baseline = None  # committed by this run before a resume
        p80 = slip = None
        if record.plan.has_schedule:
            p80 = _recorded_p80(record, self.forecast_request)
            if p80 is None:
                forecast = computed.forecast if computed else None
                if forecast is None:
                    forecast = forecast_job(job, record.plan)
                self.app.record_forecast(
                    job.project_id,
                    record.id,
                    job.project,
                    forecast,
                    self.forecast_request,
                    self.actor,
                )
                p80 = forecast.duration.p80
                slip = forecast_slip(
                    job.project,
                    None if baseline is None else baseline.plan,
                    None if baseline is None else _first_p80(baseline),
                    record.plan,
                    p80,
                )
        stale = stale_tasks(job.project)
        if computed is not None and (slip is not None or stale):
            self.app.record_alerts(job.project_id, record.id, slip, stale, self.actor)
        if self.commit and record.plan.has_schedule:
            self.app.commit_plan(
                job.project_id,
                record.id,
                self.actor,
                None,
                Write(idempotency=self.key(job.project_id, "commit")),
            )
        return ReplanOutcome(
            project_id=job.project_id,
            name=job.project.name,
            status=record.plan.status.value,
            fallback=scheduler.is_fallback(record.plan),
            baseline_makespan=None if baseline is None else baseline.plan.makespan,
            makespan=record.plan.makespan,
            p80=p80,
            deadline=job.project.deadline,
            moved_tasks={}
            if baseline is None
            else moved_tasks(baseline.plan, record.plan),
            slip_reasons=() if slip is None else slip.reasons,
            stale_tasks=_stale_lines(job.project),
        )

    def key(self, project_id: UUID, step: str) -> IdempotencyKey:
        """The idempotency key of one step of one project in this run."""
        return IdempotencyKey(
            f"replan:{self.run_id}:{project_id}:{step}", f"run {self.run_id}", "nightly"
        )


def _stale_lines(project: Project) -> tuple[str, ...]:
    return tuple(
        f"{s.task_id}: {s.days_silent} working days without a report"
        for s in stale_tasks(project)
    )


def _recorded_p80(record: PlanRecord, request: ForecastRequest) -> float | None:
    """The P80 of a forecast of this plan already recorded with the same seed
    and samples (a resumed run), or None."""
    for recorded in record.forecasts:
        if recorded["seed"] == request.seed and recorded["samples"] == request.samples:
            p80 = recorded["summary"].get("duration", {}).get("p80")
            return None if p80 is None else float(p80)
    return None


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
