"""The long work: solve, simulate, compare a scenario, plan a portfolio.

Pure functions of picklable inputs (domain objects, requests), run by a
`service.workers.Runner`: in a worker process for the service, inline for the
command line. None of them touches the store; the use cases load before and
record after. Each takes a `report` keyword for progress. The solver loads
when a solve needs it, so a forecast of a file starts fast.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from uuid import UUID

import scheduler
import simulation
from domain import DeadlineMode, Forecast, Plan, Project, ValidationError
from domain.bookings import BusySpan
from domain.calibration import Factor, task_factors
from domain.objectives import OBJECTIVE_NAMES
from domain.pins import with_pins
from domain.plan import Pins
from domain.timing import Pin
from service.views import JSON, forecast_summary, forecast_view, plan_view, task_dates
from service.workers import Report, ignore, ticking

if TYPE_CHECKING:
    import scheduler.portfolio

SCENARIO_STEPS = (
    "baseline plan",
    "scenario plan",
    "baseline forecast",
    "scenario forecast",
)


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
    `deadlines`: "soft" (plan late when only deadlines stand in the way) or
    "hard" (answer infeasible, with the reasons).
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
    deadlines: str = "soft"
    odds_samples: int = 4096  # forecast samples per candidate (p80, p_deadline)

    @property
    def wants_stability(self) -> bool:
        return self.objective == "stability" or self.stability_weight > 0


@dataclass(frozen=True)
class ForecastRequest:
    """How to simulate: sample count (a cap with `precision`), seed, engine
    (committed | dynamic), P80 precision in days, Latin hypercube, workers,
    and calibration factors for unfinished estimates (domain.calibration)."""

    samples: int
    seed: int = 0
    engine: str = "committed"
    precision: float | None = None
    lhs: bool = False
    workers: int = 1
    calibration: Mapping[str, Factor] | None = None  # per reference class


def solve(project: Project, request: PlanRequest, *, report: Report = ignore) -> Plan:
    """CP-SAT plan of the project with the request's pins, re-checked."""
    if request.objective not in OBJECTIVE_NAMES:
        raise ValidationError.at(
            "objective", f"must be one of {', '.join(OBJECTIVE_NAMES)}"
        )

    def solver_progress(progress: scheduler.SolveProgress) -> None:
        report(
            {
                "event": "solver",
                "objective": progress.objective,
                "bound": progress.bound,
                "gap": progress.gap,
                "seconds": progress.seconds,
                "solutions": progress.solutions,
            }
        )

    options = scheduler.SolveOptions(
        time_limit=request.time_limit,
        seed=request.seed,
        objective=scheduler.Objective(request.objective),
        previous_starts=request.previous.starts if request.previous else {},
        stability_weight=request.stability_weight,
        log_progress=request.progress,
        on_progress=solver_progress,
        cost_weight=request.cost_weight,
        balance_weight=request.balance_weight,
        continuity_weight=request.continuity_weight,
        workers=request.workers,
        busy=request.busy or (),
        deadlines=_deadline_mode(request.deadlines),
    )
    plan = scheduler.solve(with_pins(project, request.pins), options)
    return replace(plan, pins=request.pins)


def _deadline_mode(value: str) -> DeadlineMode:
    try:
        return DeadlineMode(value)
    except ValueError:
        modes = ", ".join(mode.value for mode in DeadlineMode)
        raise ValidationError.at("deadlines", f"must be one of {modes}") from None


def simulate(
    project: Project,
    plan: Plan,
    request: ForecastRequest,
    project_version: int | None = None,
    *,
    busy: Sequence[BusySpan] = (),
    report: Report = ignore,
) -> Forecast:
    """Monte Carlo forecast of the plan, with the pins it was made with; the
    tasks of people `busy` in other projects never start before their plan."""
    pinned = with_pins(project, plan.pins)
    return simulation.forecast(
        with_pins(pinned, held_by_bookings(pinned, plan, busy)),
        plan,
        request.samples,
        request.seed,
        engine=request.engine,
        precision=request.precision,
        lhs=request.lhs,
        workers=request.workers,
        project_version=project_version,
        on_samples=lambda done: report(
            {"event": "samples", "samples_done": done, "samples": request.samples}
        ),
        calibration=None
        if request.calibration is None
        else task_factors(project, request.calibration),
    )


def held_by_bookings(project: Project, plan: Plan, busy: Sequence[BusySpan]) -> Pins:
    """A pin at its planned start for each task done by someone with work in
    other projects: the plan fitted the task around that work, so no sample
    may start it earlier, inside someone's booking elsewhere (it may still
    start later, when its predecessors run late). Tasks already pinned or
    started keep their own timing."""
    booked = {span.person for span in busy}
    own = {
        task.id
        for task in project.tasks
        if task.timing.pin is not None or task.timing.actual_start is not None
    }
    return tuple(
        sorted(
            (task.task_id, Pin(earliest=task.start))
            for task in plan.tasks
            if booked.intersection(task.assignees) and task.task_id not in own
        )
    )


def plan_portfolio(
    projects: Sequence[Project],
    links: Sequence[scheduler.portfolio.CrossDependency],
    request: PlanRequest,
    *,
    report: Report = ignore,
) -> scheduler.portfolio.PortfolioPlan:
    """Schedule several projects together (shared people, priorities), the
    people's committed work in other projects (`request.busy`) left free.
    Progress: the seconds spent of the time limit (the search may end sooner,
    once nothing is left to improve)."""
    from scheduler.portfolio import plan_portfolio  # CP-SAT: loaded when used

    options = scheduler.SolveOptions(
        time_limit=request.time_limit, seed=request.seed, busy=request.busy or ()
    )
    with ticking(report, request.time_limit):
        return plan_portfolio(projects, links, options)


@dataclass(frozen=True)
class Baseline:
    """What a scenario is compared with: the committed plan and the project as
    it was then, or (no plan committed) the current project to be solved."""

    project: Project
    plan: Plan | None
    version: int


@dataclass(frozen=True)
class Comparison:
    """Both sides' plans, and `view`: each side's plan and forecast summary
    and the tasks that moved (the JSON of POST /projects/{id}/scenarios)."""

    baseline_plan: Plan
    scenario_plan: Plan
    view: JSON


def compare_scenario(
    baseline: Baseline,
    scenario: Project,
    plan_request: PlanRequest,
    forecast_request: ForecastRequest,
    *,
    report: Report = ignore,
) -> Comparison:
    """Solve and simulate both sides; `changed_tasks` lists what moved.
    Progress names the step (`step` of `steps`, `phase`) beside the solver's
    and the simulation's own. Both forecasts, like the plans, keep the
    people's bookings in other projects (`plan_request.busy`)."""
    phases = [
        p for p in SCENARIO_STEPS if baseline.plan is None or p != "baseline plan"
    ]

    def step(phase: str) -> Report:
        number = phases.index(phase) + 1
        report({"event": "step", "phase": phase, "step": number, "steps": len(phases)})
        return report

    baseline_plan = baseline.plan or solve(
        baseline.project, plan_request, report=step("baseline plan")
    )
    scenario_plan = solve(scenario, plan_request, report=step("scenario plan"))
    busy = plan_request.busy or ()
    view = {
        "baseline": _side(
            baseline.project,
            baseline_plan,
            forecast_request,
            busy,
            baseline.version,
            report=step("baseline forecast"),
        ),
        "scenario": _side(
            scenario,
            scenario_plan,
            forecast_request,
            busy,
            report=step("scenario forecast"),
        ),
        "changed_tasks": changed_tasks(
            baseline.project, baseline_plan, scenario, scenario_plan
        ),
    }
    return Comparison(baseline_plan, scenario_plan, view)


def _side(
    project: Project,
    plan: Plan,
    request: ForecastRequest,
    busy: Sequence[BusySpan],
    version: int | None = None,
    *,
    report: Report = ignore,
) -> JSON:
    """One side's plan and forecast; the forecast, like the plan, keeps the
    people's bookings in other projects (`busy`)."""
    side: JSON = {"plan": plan_view(project, plan)}
    if plan.has_schedule:
        result = simulate(project, plan, request, version, busy=busy, report=report)
        side["forecast"] = forecast_summary(forecast_view(project, result))
    return side


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
