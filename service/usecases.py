"""Use cases: load, call, save. No framework here; HTTP and CLI both call these."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any, TypeVar
from uuid import UUID

import scheduler.portfolio
from domain import Forecast, NotFound, Plan, Project, ValidationError
from domain.bookings import BusySpan
from domain.calibration import Factor, learn
from domain.changes import Change, apply_change, change_from_dict
from domain.health import StaleTask
from domain.limits import MAX_WEIGHT, check_seed
from domain.moves import Move, moves
from domain.slips import Slip
from domain.validation import validate_project
from eventstore import (
    AuditQuery,
    IdempotencyKey,
    PlanRecord,
    ProjectState,
    ProjectStore,
)
from eventstore.readmodels import Visible, everything
from eventstore.records import AuditEntry
from service import compute
from service.access.control import AccessControl
from service.access.oidc import identity_provider
from service.calibration import calibration_view, history
from service.choosing import ODDS_OBJECTIVES, choose_plan
from service.compute import Baseline, ForecastRequest, PlanRequest
from service.health import project_health
from service.settings import Settings
from service.views import JSON, forecast_summary, forecast_view
from service.workers import InlineRunner, Runner

__all__ = ["ForecastRequest", "PlanRequest", "Planforge", "Write"]
T = TypeVar("T")


@dataclass(frozen=True)
class Write:
    """How a write is recorded: why (audit trail) and under which
    Idempotency-Key (a retry then appends nothing)."""

    reason: str | None = None
    idempotency: IdempotencyKey | None = None


NO_OPTIONS = Write()


@dataclass(frozen=True)
class WhatIf:
    """A scenario beside its baseline (at `version` of the project): each
    side's project and plan, and their comparison (plans, forecasts, moves)."""

    version: int
    baseline: Baseline
    scenario: Project
    comparison: compute.Comparison


class Planforge:
    """The application service: every way in (HTTP, CLI, batch) goes through it."""

    def __init__(
        self,
        settings: Settings,
        store: ProjectStore | None = None,
        runner: Runner | None = None,
    ) -> None:
        self.settings = settings
        self.runner: Runner = runner or InlineRunner()
        self.job_key: IdempotencyKey | None = None
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
        shared: bool = False,
    ) -> ProjectState:
        """The project (see `ProjectStore.get_project`; `shared`: read only)."""
        return self.store.get_project(project_id, version, as_of, shared)

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

    def create_template(self, document: Mapping[str, Any], actor: str) -> UUID:
        """Record a project template (its stages may end in gate milestones)."""
        return self.store.create_template(document, actor)

    def create_from_template(
        self, request: Mapping[str, Any], actor: str, write: Write = NO_OPTIONS
    ) -> ProjectState:
        """A new project from `{"template": id, "name": ..., "start": ...}`."""
        unknown = sorted(set(request) - {"template", "name", "start"})
        if unknown:
            raise ValidationError.at(
                unknown[0], "with a template give only template, name and start"
            )
        try:
            template_id = UUID(str(request["template"]))
        except ValueError:
            raise ValidationError.at("template", "expected a template id") from None
        document = self.store.template_document(template_id)
        document["name"] = request.get("name", document["name"])
        if request.get("start") is not None:
            document["start"] = request["start"]
        return self.create_project(document, actor, write)

    def approve_gate(
        self,
        project_id: UUID,
        gate_id: str,
        actor: str,
        expected_version: int | None,
        write: Write = NO_OPTIONS,
    ) -> ProjectState:
        """Approve a stage gate whose stage has finished (GateApproved)."""
        return self.store.approve_gate(
            project_id,
            gate_id,
            actor,
            expected_version,
            write.reason,
            write.idempotency,
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
        return self.record_plan(
            project_id, plan, actor, state.version, self.once(write)
        )

    def record_plan(
        self,
        project_id: UUID,
        plan: Plan,
        actor: str,
        project_version: int,
        write: Write = NO_OPTIONS,
    ) -> PlanRecord:
        """Record a plan made from `project_version` as proposed (the nightly
        batch makes its plans in workers, then records them here)."""
        return self.store.propose_plan(
            project_id, plan, actor, project_version, write.reason, write.idempotency
        )

    def solve(self, project: Project, request: PlanRequest) -> Plan:
        """A plan of `project` from the runner (nothing is recorded): the
        solver's, or for the objectives p80 and p_deadline the best of several
        by its forecast (`service.choosing`)."""
        self._check_time_limit(request.time_limit)
        check_plan_numbers(request)
        if request.objective in ODDS_OBJECTIVES:
            self._check_samples(request.odds_samples)
        return self._run(choose_plan, project, request)

    def plan_portfolio(
        self,
        projects: Sequence[Project],
        links: Sequence[scheduler.portfolio.CrossDependency],
        request: PlanRequest,
    ) -> scheduler.portfolio.PortfolioPlan:
        """Schedule several projects together (shared people, priorities)."""
        self._check_time_limit(request.time_limit)
        return self._run(compute.plan_portfolio, projects, links, request)

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
        write: Write = NO_OPTIONS,
        version: int | None = None,
    ) -> tuple[Project, Forecast]:
        """Simulate a recorded plan (default: the committed baseline) and record
        the forecast. It starts from the project's progress now (or at
        `version`, not before the plan's): the plan's sequencing with the
        actuals and status date recorded since (domain.status), so progress
        reported on a baseline moves its forecast without a new plan. The
        forecast records that version. A plan whose task set no longer matches
        is a 422 naming the tasks. A retry with the same Idempotency-Key
        records nothing more (the answer is the same: a forecast is
        reproducible from its seed)."""
        record = self._plan_record(project_id, plan_id)
        state = self._progress_state(project_id, record, version)
        project = state.project
        result = self.simulate(
            project, record.plan, request, state.version, project_id=project_id
        )
        self.record_forecast(
            project_id, record.id, project, result, request, actor, self.once(write)
        )
        return project, result

    def record_forecast(
        self,
        project_id: UUID,
        plan_id: UUID,
        project: Project,
        result: Forecast,
        request: ForecastRequest,
        actor: str,
        write: Write = NO_OPTIONS,
    ) -> None:
        """Record a forecast of a recorded plan (its summary, seed, samples)."""
        summary = forecast_summary(forecast_view(project, result))
        summary["project_version"] = result.project_version  # the actuals it uses
        summary["status_time"] = project.status_time
        if request.calibration is not None:
            summary["calibration"] = calibration_view(project, request.calibration)
        self.store.record_forecast(
            project_id,
            plan_id,
            request.seed,
            result.samples,
            summary,
            actor,
            write.reason,
            write.idempotency,
        )

    def check_requests(
        self, plan_request: PlanRequest, forecast_request: ForecastRequest
    ) -> None:
        """The limits a solve and a forecast must keep, checked up front (a
        batch checks once, then runs the work elsewhere)."""
        self._check_time_limit(plan_request.time_limit)
        check_plan_numbers(plan_request)
        self._check_samples(forecast_request.samples)
        check_seed(forecast_request.seed)

    def simulate(
        self,
        project: Project,
        plan: Plan,
        request: ForecastRequest,
        project_version: int | None = None,
        *,
        project_id: UUID | None = None,
    ) -> Forecast:
        """A forecast of `plan` from the runner (nothing is recorded). With
        the stored `project_id` it belongs to, the tasks of people booked in
        other projects' committed plans keep their planned starts as the
        nightly's do (`compute.simulate`'s `busy`)."""
        self._check_samples(request.samples)
        check_seed(request.seed)
        busy = () if project_id is None else self.busy_elsewhere(project_id)
        return self._run(
            partial(compute.simulate, busy=busy),
            project,
            plan,
            request,
            project_version,
        )

    def calibration_factors(self) -> dict[str, Factor]:
        """Each reference class's factor, learnt from every project's actuals."""
        return learn(history(self.store))

    def _progress_state(
        self, project_id: UUID, record: PlanRecord, version: int | None
    ) -> ProjectState:
        """The project a forecast of `record` starts from: now, or at
        `version` (from the plan's version on), with the plan's task set; the
        plan's own version while the project is unchanged since (so the same
        request names the same version however many forecasts were recorded)."""
        state = self.store.get_project(project_id)
        if version is not None:
            if not record.project_version <= version <= state.version:
                raise ValidationError.at(
                    "version",
                    f"must be within {record.project_version}..{state.version} "
                    "(from the plan's version to now)",
                )
            state = self.store.get_project(project_id, version)
        planned = self.store.get_project(project_id, record.project_version)
        if state.document == planned.document:
            return planned
        _check_same_tasks(planned.project, state.project)
        return state

    def _plan_record(self, project_id: UUID, plan_id: UUID | None) -> PlanRecord:
        if plan_id is not None:
            return self.store.get_plan(project_id, plan_id)
        committed = self.store.committed_plan(project_id)
        if committed is None:
            raise ValidationError.at(
                "plan_id", "required: the project has no committed plan to forecast"
            )
        return committed

    def plans(self, project_id: UUID, version: int | None = None) -> list[PlanRecord]:
        """Every plan recorded by `version` (default: now), oldest first;
        `committed` marks the baseline as it stood at that version."""
        events = self.store.events(project_id)
        proposed = [
            UUID(str(e.data["plan_id"]))
            for e in events
            if e.type == "PlanProposed" and (version is None or e.version <= version)
        ]
        baseline = self.store.committed_plan(project_id, version)
        committed_id = None if baseline is None else baseline.id
        return [
            replace(record, committed=record.id == committed_id)
            for record in (self.store.get_plan(project_id, i) for i in proposed)
        ]

    def baseline(
        self, project_id: UUID, version: int | None = None
    ) -> PlanRecord | None:
        """The committed plan now (or at `version`), None before any commit."""
        return self.store.committed_plan(project_id, version)

    def audit(
        self, project_id: UUID, query: AuditQuery | None = None
    ) -> list[AuditEntry]:
        """The project's audit trail (all of it, or the page `query` asks for)."""
        return self.store.events(project_id, query)

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

    def list_projects(
        self, after: str | None, limit: int, visible: Callable[[str], bool]
    ) -> tuple[list[JSON], str | None]:
        """A page of the projects `visible` accepts (id, name, version), from
        the project index read model, and the id the next page starts after."""
        return self.store.project_index.catch_up().page(after, limit, visible)

    def resource_load(self, sees: Visible = everything) -> dict[str, dict[str, int]]:
        """Each person's assigned working days per ISO week (current), over
        the committed plans of the projects `sees` (project id -> bool) lets in."""
        return self.store.resource_load.catch_up().load(sees)

    def load_weeks(self, sees: Visible = everything) -> list[JSON]:
        """Per person and ISO week: days assigned over committed plans, and
        whether (and on which dates) the plans together overbook the person;
        only the projects `sees` lets in count."""
        model = self.store.resource_load.catch_up()
        overbooked = model.overbooked(sees)
        return [
            {
                "person": person,
                "week": week,
                "days": days,
                "overbooked": week in overbooked.get(person, {}),
                "overbooked_dates": overbooked.get(person, {}).get(week, []),
            }
            for person, weeks in model.load(sees).items()
            for week, days in weeks.items()
        ]

    def compare_plans(
        self, project_id: UUID, plan_id: UUID, other_id: UUID
    ) -> list[Move]:
        """The tasks whose start differs in `plan_id` from `other_id` (the
        earlier plan), each with why, from the projects both were made of."""
        earlier = self.store.get_plan(project_id, other_id)
        later = self.store.get_plan(project_id, plan_id)
        before = self.store.get_project(project_id, earlier.project_version).project
        after = self.store.get_project(project_id, later.project_version).project
        return moves(before, earlier.plan, after, later.plan)

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
        outcome = self.what_if(project_id, changes, plan_request, forecast_request)
        return {"version": outcome.version, **outcome.comparison.view}

    def what_if(
        self,
        project_id: UUID,
        changes: Sequence[Any],
        plan_request: PlanRequest,
        forecast_request: ForecastRequest,
        deadline: int | None = None,
    ) -> WhatIf:
        """The baseline beside the project after `changes` (and a moved
        `deadline`, working days): both plans and their comparison."""
        self._check_time_limit(plan_request.time_limit)
        check_plan_numbers(plan_request)
        self._check_samples(forecast_request.samples)
        check_seed(forecast_request.seed)
        state = self.store.get_project(project_id)
        plan_request = self._with_busy(project_id, plan_request)
        scenario = hypothetical(state.project, changes)
        if deadline is not None:
            scenario = replace(scenario, deadline=deadline)
            validate_project(scenario)
        committed = self.store.committed_plan(state.id)
        if committed is None:
            baseline = Baseline(state.project, None, state.version)
        else:
            past = self.store.get_project(state.id, committed.project_version).project
            baseline = Baseline(past, committed.plan, committed.project_version)
        comparison = self._run(
            compute.compare_scenario,
            baseline,
            scenario,
            plan_request,
            forecast_request,
        )
        return WhatIf(state.version, baseline, scenario, comparison)

    def with_runner(
        self, runner: Runner, job_key: IdempotencyKey | None = None
    ) -> Planforge:
        """The same service (same store) running its long work on `runner`
        (a job's runner reports the job's progress and can cancel it). With
        `job_key`, plans and forecasts are recorded under it unless the
        caller sent a key: a job run again after a restart records once."""
        twin = copy.copy(self)
        twin.runner = runner
        twin.job_key = job_key
        return twin

    def once(self, write: Write) -> Write:
        """`write`, under the job's key when it has none (see with_runner)."""
        if write.idempotency is not None or self.job_key is None:
            return write
        return replace(write, idempotency=self.job_key)

    def _run(self, function: Callable[..., T], *args: Any) -> T:
        """Run long work on the runner and wait for it (this thread waits; the
        work itself runs in a worker process when the runner is the pool)."""
        future: Future[T] = self.runner.submit(function, *args)
        return future.result()

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


def _check_same_tasks(planned: Project, current: Project) -> None:
    """Raise unless `current` has exactly the tasks `planned` had."""
    before = {task.id for task in planned.tasks}
    now = {task.id for task in current.tasks}
    if before == now:
        return
    changes = [
        f"{what} since it was made: {', '.join(sorted(ids))}"
        for what, ids in (("added", now - before), ("removed", before - now))
        if ids
    ]
    raise ValidationError.at(
        "plan_id",
        f"the plan no longer covers the project (tasks {'; '.join(changes)}): "
        "make a new plan to forecast",
    )
