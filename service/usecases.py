"""Use cases: load, call, save. No framework here; HTTP and CLI both call these."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

import scheduler
import scheduler.portfolio
import simulation
from domain import Forecast, NotFound, Plan, Project, ValidationError
from domain.bookings import BusySpan
from domain.changes import Change, apply_change, change_from_dict
from domain.health import StaleTask
from domain.limits import MAX_WEIGHT, check_seed
from domain.pins import with_pins
from domain.plan import Pins
from domain.slips import Slip
from domain.validation import validate_project
from eventstore import IdempotencyKey, PlanRecord, ProjectState, ProjectStore
from service.access.control import AccessControl
from service.access.oidc import identity_provider
from service.health import project_health
from service.settings import Settings
from service.views import JSON, forecast_summary, forecast_view, plan_view, task_dates


@dataclass(frozen=True)
class Write:
    """How a write is recorded: why (audit trail) and under which
    Idempotency-Key (a retry then appends nothing)."""

    reason: str | None = None
    idempotency: IdempotencyKey | None = None


NO_OPTIONS = Write()


@dataclass(frozen=True)
class PlanRequest:
    """How to solve: limits, objective, and the plan to stay close to.

    `previous_plan_id` names a recorded plan; when it is None and stability
    matters (the stability objective or a positive weight), the committed
    plan is used. `previous` is an already loaded plan (the CLI's file).
    `cost_weight`, `balance_weight` and `continuity_weight` add staffing
    terms beside the objective (see `scheduler.SolveOptions`). `pins` hold
    tasks to a start day or window for this plan only (domain.pins).
    `busy`: the people's committed work in other projects, left free; None
    (the default) looks it up when a stored project is planned.
    """

    time_limit: float
    seed: int = 0
    objective: str = "makespan"
    stability_weight: int = 0
    previous_plan_id: UUID | None = None
    previous: Plan | None = None
    progress: Callable[[str], None] | None = None
    cost_weight: float = 0.0
    balance_weight: int = 0
    continuity_weight: int = 0
    workers: int | None = None
    pins: Pins = ()
    busy: tuple[BusySpan, ...] | None = None

    @property
    def wants_stability(self) -> bool:
        return self.objective == "stability" or self.stability_weight > 0


@dataclass(frozen=True)
class ForecastRequest:
    """How to simulate: sample count (a cap with `precision`), seed, engine
    (committed | dynamic), P80 precision in days, Latin hypercube, workers."""

    samples: int
    seed: int = 0
    engine: str = "committed"
    precision: float | None = None
    lhs: bool = False
    workers: int = 1


class Planforge:
    """The application service: every way in (HTTP, CLI, batch) goes through it."""

    def __init__(self, settings: Settings, store: ProjectStore | None = None) -> None:
        self.settings = settings
        self.store = store or ProjectStore(
            settings.store_url(),
            create_tables=settings.create_tables,
            max_tasks=settings.max_tasks,
        )
        self.access = AccessControl(
            self.store.access, settings.session_hours, identity_provider(settings)
        )

    # -- projects -------------------------------------------------------------

    def create_project(
        self, document: Mapping[str, Any], actor: str, write: Write = NO_OPTIONS
    ) -> ProjectState:
        return self.store.create_project(
            document, actor, write.reason, write.idempotency
        )

    def get_project(
        self,
        project_id: UUID,
        version: int | None = None,
        as_of: datetime | None = None,
    ) -> ProjectState:
        return self.store.get_project(project_id, version, as_of)

    def change_project(
        self,
        project_id: UUID,
        change: Change,
        actor: str,
        expected_version: int | None,
        write: Write = NO_OPTIONS,
    ) -> ProjectState:
        return self.store.change_project(
            project_id, change, actor, expected_version, write.reason, write.idempotency
        )

    def apply_changes(
        self,
        project_id: UUID,
        changes: Sequence[Any],
        actor: str,
        expected_version: int | None,
        write: Write = NO_OPTIONS,
    ) -> ProjectState:
        """Apply a list of changes (scenario format) as one atomic unit."""
        if not isinstance(changes, Sequence) or isinstance(changes, str):
            raise ValidationError.at("changes", "expected a list of changes")
        parsed = [
            change_from_dict(data, f"changes[{index}]")
            for index, data in enumerate(changes)
        ]
        return self.store.apply_changes(
            project_id, parsed, actor, expected_version, write.reason, write.idempotency
        )

    def change_fields(
        self,
        project_id: UUID,
        fields: Mapping[str, Any],
        actor: str,
        expected_version: int | None,
        write: Write = NO_OPTIONS,
    ) -> ProjectState:
        """Change project fields (name, deadline, calendar, status date...)."""
        return self.store.change_fields(
            project_id, fields, actor, expected_version, write.reason, write.idempotency
        )

    def record_progress(
        self,
        project_id: UUID,
        status_date: Any,
        reports: Any,
        actor: str,
        expected_version: int | None,
        write: Write = NO_OPTIONS,
    ) -> ProjectState:
        """Move the status date and record progress reports, all or none."""
        return self.store.record_progress(
            project_id,
            status_date,
            reports,
            actor,
            expected_version,
            write.reason,
            write.idempotency,
        )

    def record_absence(
        self,
        project_id: UUID,
        resource_id: str,
        absence: Mapping[str, Any],
        actor: str,
        expected_version: int | None,
        write: Write = NO_OPTIONS,
    ) -> ProjectState:
        """Record a person's absence `{"start", "end", "reason"}`."""
        return self.store.record_absence(
            project_id,
            resource_id,
            absence,
            actor,
            expected_version,
            write.reason,
            write.idempotency,
        )

    def remove_absence(
        self,
        project_id: UUID,
        resource_id: str,
        start: str,
        actor: str,
        expected_version: int | None,
        write: Write = NO_OPTIONS,
    ) -> ProjectState:
        """Withdraw the person's absence that starts on `start` (ISO date)."""
        return self.store.remove_absence(
            project_id,
            resource_id,
            start,
            actor,
            expected_version,
            write.reason,
            write.idempotency,
        )

    # -- plans and forecasts --------------------------------------------------

    def propose_plan(
        self,
        project_id: UUID,
        request: PlanRequest,
        actor: str,
        write: Write = NO_OPTIONS,
    ) -> PlanRecord:
        """Solve the current state, re-check the plan, record it as proposed.
        The project's people's committed work in other projects stays free."""
        state = self.store.get_project(project_id)
        request = self._with_busy(project_id, request)
        if request.previous_plan_id is not None:
            previous = self.store.get_plan(project_id, request.previous_plan_id)
            request = replace(request, previous=previous.plan)
        elif request.wants_stability and request.previous is None:
            committed = self.store.committed_plan(project_id)
            if committed is not None:
                request = replace(request, previous=committed.plan)
        plan = self.solve(state.project, request)
        return self.store.propose_plan(
            project_id, plan, actor, state.version, write.reason, write.idempotency
        )

    def solve(self, project: Project, request: PlanRequest) -> Plan:
        self._check_time_limit(request.time_limit)
        check_plan_numbers(request)
        objectives = [objective.value for objective in scheduler.Objective]
        if request.objective not in objectives:
            raise ValidationError.at(
                "objective", f"must be one of {', '.join(objectives)}"
            )
        options = scheduler.SolveOptions(
            time_limit=request.time_limit,
            seed=request.seed,
            objective=scheduler.Objective(request.objective),
            previous_starts=request.previous.starts if request.previous else {},
            stability_weight=request.stability_weight,
            log_progress=request.progress,
            cost_weight=request.cost_weight,
            balance_weight=request.balance_weight,
            continuity_weight=request.continuity_weight,
            workers=request.workers,
            busy=request.busy or (),
        )
        plan = scheduler.solve(with_pins(project, request.pins), options)
        return replace(plan, pins=request.pins)

    def plan_portfolio(
        self,
        projects: Sequence[Project],
        links: Sequence[scheduler.portfolio.CrossDependency],
        request: PlanRequest,
    ) -> scheduler.portfolio.PortfolioPlan:
        """Schedule several projects together (shared people, priorities)."""
        self._check_time_limit(request.time_limit)
        options = scheduler.SolveOptions(
            time_limit=request.time_limit, seed=request.seed
        )
        return scheduler.portfolio.plan_portfolio(projects, links, options)

    def commit_plan(
        self,
        project_id: UUID,
        plan_id: UUID,
        actor: str,
        expected_version: int | None,
        write: Write = NO_OPTIONS,
    ) -> ProjectState:
        return self.store.commit_plan(
            project_id,
            plan_id,
            actor,
            expected_version,
            write.reason,
            write.idempotency,
        )

    def forecast_plan(
        self,
        project_id: UUID,
        plan_id: UUID | None,
        request: ForecastRequest,
        actor: str,
    ) -> tuple[Project, Forecast]:
        """Simulate a recorded plan (default: the committed baseline) and record
        the forecast; the project is read at the version the plan was made from."""
        record = self._plan_record(project_id, plan_id)
        project = self.store.get_project(project_id, record.project_version).project
        result = self.simulate(project, record.plan, request, record.project_version)
        summary = forecast_summary(forecast_view(project, result))
        self.store.record_forecast(
            project_id, record.id, request.seed, result.samples, summary, actor
        )
        return project, result

    def simulate(
        self,
        project: Project,
        plan: Plan,
        request: ForecastRequest,
        project_version: int | None = None,
    ) -> Forecast:
        self._check_samples(request.samples)
        check_seed(request.seed)
        return simulation.forecast(
            with_pins(project, plan.pins),  # as the plan was made
            plan,
            request.samples,
            request.seed,
            engine=request.engine,
            precision=request.precision,
            lhs=request.lhs,
            workers=request.workers,
            project_version=project_version,
        )

    def _plan_record(self, project_id: UUID, plan_id: UUID | None) -> PlanRecord:
        if plan_id is not None:
            return self.store.get_plan(project_id, plan_id)
        committed = self.store.committed_plan(project_id)
        if committed is None:
            raise ValidationError.at(
                "plan_id", "required: the project has no committed plan to forecast"
            )
        return committed

    # -- read models ----------------------------------------------------------

    def portfolio(self) -> list[JSON]:
        """Every project's status, committed finish and latest P80 (current)."""
        return self.store.portfolio.catch_up().rows()

    def record_alerts(
        self,
        project_id: UUID,
        plan_id: UUID | None,
        slip: Slip | None,
        stale: Sequence[StaleTask],
        actor: str,
    ) -> ProjectState:
        """Record a slipped forecast and stale tasks (ForecastSlipped, TaskStale)."""
        return self.store.record_alerts(project_id, plan_id, slip, stale, actor)

    def health(self, project_id: UUID) -> JSON:
        """The project's health at its status date (service.health)."""
        return project_health(self.store, project_id)

    def resource_load(self) -> dict[str, dict[str, int]]:
        """Each person's assigned working days per ISO week (current)."""
        return self.store.resource_load.catch_up().load()

    def load_weeks(self) -> list[JSON]:
        """Per person and ISO week: days assigned over committed plans, and
        whether (and on which dates) the plans together overbook the person."""
        model = self.store.resource_load.catch_up()
        overbooked = model.overbooked()
        return [
            {
                "person": person,
                "week": week,
                "days": days,
                "overbooked": week in overbooked.get(person, {}),
                "overbooked_dates": overbooked.get(person, {}).get(week, []),
            }
            for person, weeks in model.load().items()
            for week, days in weeks.items()
        ]

    def busy_elsewhere(self, project_id: UUID) -> tuple[BusySpan, ...]:
        """The runs of dates the project's people work in the committed plans
        of other projects (current)."""
        model = self.store.resource_load.catch_up()
        return tuple(model.busy_for(str(project_id)))

    def _with_busy(self, project_id: UUID, request: PlanRequest) -> PlanRequest:
        if request.busy is not None:
            return request
        return replace(request, busy=self.busy_elsewhere(project_id))

    # -- what-if --------------------------------------------------------------

    def run_scenario(
        self,
        project_id: UUID,
        changes: Sequence[Any],
        plan_request: PlanRequest,
        forecast_request: ForecastRequest,
    ) -> JSON:
        """Apply hypothetical changes to a copy, solve and simulate both sides.
        Nothing is recorded: the project's version does not move."""
        state = self.store.get_project(project_id)
        plan_request = self._with_busy(project_id, plan_request)
        scenario_project = hypothetical(state.project, changes)
        baseline = self._baseline(state, plan_request)
        scenario_plan = self.solve(scenario_project, plan_request)
        return {
            "version": state.version,
            "baseline": self._side(
                baseline[0], baseline[1], forecast_request, baseline[2]
            ),
            "scenario": self._side(scenario_project, scenario_plan, forecast_request),
            "changed_tasks": changed_tasks(
                baseline[0], baseline[1], scenario_project, scenario_plan
            ),
        }

    def _baseline(
        self, state: ProjectState, request: PlanRequest
    ) -> tuple[Project, Plan, int]:
        committed = self.store.committed_plan(state.id)
        if committed is None:
            return state.project, self.solve(state.project, request), state.version
        past = self.store.get_project(state.id, committed.project_version).project
        return past, committed.plan, committed.project_version

    def _side(
        self,
        project: Project,
        plan: Plan,
        request: ForecastRequest,
        version: int | None = None,
    ) -> JSON:
        side: JSON = {"plan": plan_view(project, plan)}
        if plan.has_schedule:
            result = self.simulate(project, plan, request, version)
            side["forecast"] = forecast_summary(forecast_view(project, result))
        return side

    # -- guards ---------------------------------------------------------------

    def _check_time_limit(self, time_limit: float) -> None:
        if not 0 < time_limit <= self.settings.max_time_limit:
            raise ValidationError.at(
                "time_limit",
                f"must be within (0, {self.settings.max_time_limit}] seconds",
            )

    def _check_samples(self, samples: int) -> None:
        if not 1 <= samples <= self.settings.max_samples:
            raise ValidationError.at(
                "samples", f"must be within [1, {self.settings.max_samples}]"
            )


def check_plan_numbers(request: PlanRequest) -> None:
    """Seed and weights within what the solver holds (`domain.limits`)."""
    check_seed(request.seed)
    weights = ("stability_weight", "cost_weight", "balance_weight", "continuity_weight")
    for name in weights:
        if not 0 <= getattr(request, name) <= MAX_WEIGHT:
            raise ValidationError.at(name, f"must be within 0..{MAX_WEIGHT}")


def hypothetical(project: Project, changes: Sequence[Any]) -> Project:
    """The project after `changes`, validated as a whole; nothing is recorded."""
    if not isinstance(changes, Sequence) or isinstance(changes, str):
        raise ValidationError.at("changes", "expected a list of changes")
    for index, data in enumerate(changes):
        where = f"changes[{index}]"
        try:
            project = apply_change(project, change_from_dict(data, where))
        except NotFound as error:
            raise ValidationError.at(f"{where}.id", str(error)) from None
    validate_project(project)
    return project


def changed_tasks(
    before: Project, before_plan: Plan, after: Project, after_plan: Plan
) -> list[JSON]:
    """Tasks whose dates differ between two plans, added or removed tasks too."""
    old = {t.task_id: t for t in before_plan.tasks}
    new = {t.task_id: t for t in after_plan.tasks}
    rows = []
    for task_id in sorted(set(old) | set(new)):
        was, now = old.get(task_id), new.get(task_id)
        if was and now and (was.start, was.finish) == (now.start, now.finish):
            continue
        rows.append(
            {
                "id": task_id,
                "baseline": None
                if was is None
                else _dates(before, was.start, was.finish),
                "scenario": None
                if now is None
                else _dates(after, now.start, now.finish),
                "finish_shift": None
                if was is None or now is None
                else now.finish - was.finish,
            }
        )
    return rows


def _dates(project: Project, start: int, finish: int) -> JSON:
    start_date, finish_date = task_dates(project, start, finish)
    return {
        "start": start,
        "finish": finish,
        "start_date": start_date,
        "finish_date": finish_date,
    }
