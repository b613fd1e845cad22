"""Run CP-SAT on a SchedulingProblem; the only module that drives the solver.

`solve` is the public entry point: Project -> SchedulingProblem -> model ->
SolveResult -> Plan, and every plan is re-checked by the independent validator
before it is returned. The model is the core RCPSP (scheduler.model.constraints),
the time constraints (scheduler.model.timing) and the chosen objective
(scheduler.model.objectives); an infeasible model is explained
(scheduler.explain.infeasible), tasks competing for a resource go in priority
order where that costs nothing (scheduler.search.priority), and a schedule
gets each task's total float (scheduler.plan.floats).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from domain import DeadlineMode, Plan, Project, SolveStatus
from domain.honoured import honour_constraints
from domain.objectives import SHIFT
from domain.status import as_of_status
from scheduler.errors import PlanValidationError, SchedulerError
from scheduler.explain.infeasible import explained
from scheduler.model.constraints import build_model
from scheduler.model.lateness import (
    deadlines_out_of_reach,
    has_deadlines,
    missed_deadlines,
    soften,
)
from scheduler.model.objectives import add_objective
from scheduler.model.statement import stated
from scheduler.model.timing import add_time_limits
from scheduler.model.variables import Variables
from scheduler.options import SolveOptions, SolveProgress
from scheduler.people import needs_search, search
from scheduler.plan.fallback import fallback_warning
from scheduler.plan.justified import movable_tasks
from scheduler.plan.result import SolveResult, to_plan
from scheduler.plan.validator import validate_plan
from scheduler.problem.instance import SchedulingProblem
from scheduler.search import (
    BaseModel,
    Incumbent,
    SearchLimits,
    genetic_applies,
    improve_makespan,
)
from scheduler.search.assignment import Strategy
from scheduler.search.greedy import fallback_result
from scheduler.search.priority import by_priority
from scheduler.strategy import (
    SOFT_SHARE,
    WHOLE_MODEL_MAX_TASKS,
    Shares,
    makespan_shares,
)

DEFAULT_OPTIONS = SolveOptions()

_STATUSES = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
}


def solve(project: Project, options: SolveOptions = DEFAULT_OPTIONS) -> Plan:
    """Find a makespan-minimal, resource-feasible plan with people assigned.

    Raises domain.ValidationError for input the model cannot represent, and
    SchedulerError if the solver rejects the model or returns an invalid plan.
    Work already done or under way is planned from the status date
    (`domain.status.as_of_status`); in a project whose date constraints win
    over links, the links that would break them are kept short, each a
    warning (`domain.honoured`).
    """
    project = as_of_status(project)
    honoured = honour_constraints(project).project
    problem = SchedulingProblem.from_project(honoured, options.busy)
    result, planned = _solve_within_deadlines(problem, options)
    if result.status is SolveStatus.UNKNOWN:  # nothing within the limit
        fallback = _fallback(project, problem, planned, result, options)
        if fallback is not None:
            return fallback
    plan, violations = _checked_plan(project, problem, planned, result, options)
    if violations:
        raise PlanValidationError(violations)
    return _prioritised(project, problem, planned, result, options) or plan


def _prioritised(
    project: Project,
    problem: SchedulingProblem,
    planned: SchedulingProblem,
    result: SolveResult,
    options: SolveOptions,
) -> Plan | None:
    """The plan with competing tasks in priority order, when that costs it
    nothing (`scheduler.search.priority`; makespan objective, no previous plan,
    no staffing terms) and the validator finds nothing wrong; else None."""
    if options.previous_starts or not options.plans_makespan(previous=False):
        return None
    ranked = by_priority(planned, result)
    if ranked is result:
        return None
    plan, violations = _checked_plan(project, problem, planned, ranked, options)
    return None if violations else plan


def _fallback(
    project: Project,
    problem: SchedulingProblem,
    planned: SchedulingProblem,
    result: SolveResult,
    options: SolveOptions,
) -> Plan | None:
    """The greedy plan of a solve that found none in time (`scheduler.
    fallback`), labelled as such; None when it cannot place every task or
    the validator finds it breaks a rule (the answer stays `unknown`)."""
    if options.deadlines is DeadlineMode.SOFT and has_deadlines(problem):
        planned = soften(problem)  # a late greedy plan says how late it is
    greedy = fallback_result(planned, result, options.time_limit)
    if greedy is result:
        return None
    plan, violations = _checked_plan(project, problem, planned, greedy, options)
    if violations:
        return None
    warning = fallback_warning(options.time_limit)
    return replace(plan, message=warning, warnings=(warning, *plan.warnings))


def _checked_plan(
    project: Project,
    problem: SchedulingProblem,
    planned: SchedulingProblem,
    result: SolveResult,
    options: SolveOptions,
) -> tuple[Plan, list[str]]:
    """The plan of `result` (of `planned`: `problem` or its softened twin)
    with its stated objective and missed deadlines, and what the
    independent validator finds wrong with it."""
    previous = _previous_starts(problem, options) if _weighs_stability(options) else {}
    plan = to_plan(planned, result, previous)
    plan = stated(plan, planned, options, previous, result)
    plan = replace(plan, deadlines=options.deadlines.value)
    if plan.has_schedule:
        relaxed = honour_constraints(project).relaxations
        sentences = tuple(relaxation.sentence(project) for relaxation in relaxed)
        plan = replace(plan, warnings=sentences + plan.warnings)
    if planned is not problem and plan.has_schedule:
        finishes = [task.finish for task in plan.tasks]
        missed = missed_deadlines(problem, finishes, plan.makespan or 0)
        plan = replace(plan, warnings=plan.warnings + tuple(missed))
    violations = validate_plan(project, plan, options.busy)
    if not previous:
        violations += movable_tasks(project, plan, options.busy)
    return plan, violations


def _solve_within_deadlines(
    problem: SchedulingProblem, options: SolveOptions
) -> tuple[SolveResult, SchedulingProblem]:
    """The result, and the problem it solves: with soft deadlines, when the
    deadlines are out of reach or the plan with them hard is infeasible, the
    least late plan of the problem with deadlines as lateness
    (`scheduler.model.lateness`), in the time left (at least SOFT_SHARE of it)."""
    soft = options.deadlines is DeadlineMode.SOFT and has_deadlines(problem)
    started = time.perf_counter()
    hard: SolveResult | None = None
    if not (soft and deadlines_out_of_reach(problem)):
        if needs_search(problem, options):  # large staffing problems: greedy + LNS
            hard = search(problem, options, Strategy())
        else:
            hard = solve_problem(problem, options)
        if not (soft and hard.status is SolveStatus.INFEASIBLE):
            return hard, problem
    left = options.time_limit - (time.perf_counter() - started)
    limited = replace(options, time_limit=max(left, SOFT_SHARE * options.time_limit))
    softened = soften(problem)
    late = solve_problem(softened, limited)
    if late.status is SolveStatus.INFEASIBLE:  # not the deadlines after all
        return hard or solve_problem(problem, limited), problem
    return late, softened


def solve_problem(problem: SchedulingProblem, options: SolveOptions) -> SolveResult:
    """Build the model, run CP-SAT within the options' limits, read the answer.

    A makespan-minimising solve of more than WHOLE_MODEL_MAX_TASKS tasks first
    runs CP-SAT on the whole model for a share of the time; if that leaves the
    optimum unproven, the search (scheduler.search) improves its schedule for
    the rest.
    """
    started = time.perf_counter()
    problem = _with_room_for(problem, options.previous_starts)
    model, variables = build_model(problem)
    add_time_limits(model, problem.windows, problem.deadline, variables)
    previous = _previous_starts(problem, options)
    weights = options.term_weights(bool(previous), first_scale=problem.horizon + 1)
    add_objective(model, problem, variables, weights, previous)
    for task, start in previous.items():
        model.add_hint(variables.starts[task], start)
    makespan_objective = (
        options.plans_makespan(bool(previous)) and not problem.has_soft_deadlines
    )
    searched = (
        makespan_objective
        and _has_resources(problem)
        and problem.num_tasks > WHOLE_MODEL_MAX_TASKS
    )
    shares = makespan_shares(searched and genetic_applies(problem))
    solver = cp_model.CpSolver()
    _configure(solver, options, shares.first if searched else 1.0)
    reporter = _ProgressReporter(options) if options.reports else None
    status = solver.solve(model, reporter)
    if status not in _STATUSES:
        raise SchedulerError(
            f"CP-SAT rejected the model ({solver.status_name(status)}): "
            f"{model.validate() or solver.solution_info()}"
        )
    answer = _Answer.of(solver, _STATUSES[status])
    if searched and answer.status is SolveStatus.FEASIBLE:
        base = BaseModel(model, variables, problem)
        answer = _search(base, answer, options, started, shares)
    result = _read_result(problem, variables, answer, makespan_objective, options)
    result = replace(result, runtime_seconds=time.perf_counter() - started)
    if result.status is SolveStatus.INFEASIBLE:
        remaining = options.time_limit - (time.perf_counter() - started)
        result = explained(problem, result, remaining)
    result = replace(result, objective=options.objective.value)
    if options.log_progress:
        options.log_progress(
            f"{result.status}: makespan {result.makespan}, "
            f"bound {result.lower_bound}, {result.runtime_seconds:.2f}s"
        )
    return result


@dataclass(frozen=True)
class _Answer:
    """What a search found: one value per model variable (empty: none)."""

    status: SolveStatus
    solution: tuple[int, ...]
    objective_value: int | None
    objective_bound: int

    @classmethod
    def of(cls, solver: cp_model.CpSolver, status: SolveStatus) -> _Answer:
        bound = _ceil(solver.best_objective_bound)
        if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            return cls(status, (), None, bound)
        solution = tuple(solver.response_proto.solution)
        return cls(status, solution, round(solver.objective_value), bound)

    def value(self, variable: cp_model.IntVar) -> int:
        """The variable's value in the solution."""
        return self.solution[variable.index]


def _search(
    base: BaseModel,
    first: _Answer,
    options: SolveOptions,
    started: float,
    shares: Shares,
) -> _Answer:
    """Improve the first solve's schedule (scheduler.search), then give CP-SAT
    the whole model again, hinted with the best schedule, to prove or improve."""
    assert first.objective_value is not None
    lower_bound = max(first.objective_bound, base.problem.critical_path_length() or 0)
    work = options.deterministic_time_limit
    search_share = 1 - shares.first - shares.final
    limits = SearchLimits(
        deadline=started + options.time_limit * (1 - shares.final),
        lower_bound=lower_bound,
        work=None if work is None else work * search_share,
        workers=options.num_workers,
        seed=options.seed,
    )
    outcome = improve_makespan(
        base, Incumbent(first.solution, first.objective_value), limits
    )
    best = outcome.incumbent
    if options.log_progress:
        options.log_progress(f"search: makespan {best.makespan} ({outcome.summary})")
    if best.makespan <= lower_bound:
        return _Answer(SolveStatus.OPTIMAL, best.solution, best.makespan, lower_bound)
    return _final_solve(base, best, lower_bound, options, started, shares.final)


def _final_solve(
    base: BaseModel,
    best: Incumbent,
    lower_bound: int,
    options: SolveOptions,
    started: float,
    share: float,
) -> _Answer:
    """The whole model again, capped at and hinted with the best makespan."""
    model = base.model.clone()
    proto = model.proto
    proto.clear_solution_hint()
    proto.solution_hint.vars.extend(range(len(best.solution)))
    proto.solution_hint.values.extend(best.solution)
    makespan = model.get_int_var_from_proto_index(base.variables.makespan.index)
    model.add(makespan <= best.makespan)
    solver = cp_model.CpSolver()
    _configure(solver, options, share)
    left = started + options.time_limit - time.perf_counter()
    solver.parameters.max_time_in_seconds = max(left, 0.01)
    status = _STATUSES.get(solver.solve(model), SolveStatus.UNKNOWN)
    answer = _Answer.of(solver, status)
    bound = max(lower_bound, answer.objective_bound)
    if answer.objective_value is None or answer.objective_value > best.makespan:
        status = (
            SolveStatus.OPTIMAL if best.makespan <= bound else (SolveStatus.FEASIBLE)
        )
        return _Answer(status, best.solution, best.makespan, bound)
    return replace(answer, objective_bound=bound)


def _weighs_stability(options: SolveOptions) -> bool:
    """Whether the plan must stay near a previous one (its tasks then keep
    their distance to it rather than move as early as they could)."""
    weights = options.term_weights(previous=True, first_scale=1)
    return bool(options.previous_starts) and SHIFT in weights


def _has_resources(problem: SchedulingProblem) -> bool:
    """Whether any task holds a resource: otherwise there is nothing to search."""
    return any(task.demands or task.candidates for task in problem.tasks)


def _previous_starts(
    problem: SchedulingProblem, options: SolveOptions
) -> dict[int, int]:
    """The previous plan's starts by task index, for tasks still in the problem."""
    index = {task_id: i for i, task_id in enumerate(problem.task_ids)}
    return {
        index[task_id]: start
        for task_id, start in options.previous_starts.items()
        if task_id in index and 0 <= start <= problem.horizon
    }


def _with_room_for(
    problem: SchedulingProblem, previous: Mapping[str, int]
) -> SchedulingProblem:
    """The problem with a horizon long enough to hold the previous plan."""
    durations = dict(zip(problem.task_ids, problem.tasks, strict=True))
    latest = max(
        (
            start + durations[t].duration
            for t, start in previous.items()
            if t in durations
        ),
        default=0,
    )
    return replace(problem, min_horizon=latest) if latest > problem.horizon else problem


def _configure(solver: cp_model.CpSolver, options: SolveOptions, share: float) -> None:
    """Limits for a solve given `share` of the options' time and work."""
    parameters = solver.parameters
    parameters.max_time_in_seconds = options.time_limit * share
    parameters.num_workers = options.num_workers
    parameters.random_seed = options.seed
    if options.deterministic_time_limit is not None:
        parameters.max_deterministic_time = options.deterministic_time_limit * share


def _read_result(
    problem: SchedulingProblem,
    variables: Variables,
    answer: _Answer,
    makespan_objective: bool,
    options: SolveOptions,
) -> SolveResult:
    """Turn the answer into plain data, with the tightest bound known."""
    status = answer.status
    if status is SolveStatus.INFEASIBLE:
        return SolveResult(status, None, None, 0.0)
    # The critical path is a valid bound too, and can beat an early-stopped search.
    critical_path = problem.critical_path_length() or 0
    bound = critical_path
    if makespan_objective:
        bound = max(answer.objective_bound, critical_path)
    value = answer.value
    if not answer.solution:
        message = f"no schedule found within {options.time_limit}s"
        return SolveResult(status, None, bound, 0.0, message=message)
    starts = tuple(value(start) for start in variables.starts)
    assignees = tuple(
        tuple(p for p in task.candidates if value(variables.assigned[index, p]))
        for index, task in enumerate(problem.tasks)
    )
    finishes = tuple(value(end) for end in variables.ends)
    makespan = max(finishes, default=0)
    return SolveResult(
        status,
        makespan,
        bound,
        0.0,
        starts,
        assignees,
        objective_value=answer.objective_value,
        objective_bound=answer.objective_bound,
        finishes=finishes,
    )


def _ceil(bound: float) -> int:
    """Round a solver bound up, tolerating float noise just above an integer."""
    return math.ceil(bound - 1e-6)


class _ProgressReporter(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution: objective, bound and time so far."""

    def __init__(self, options: SolveOptions) -> None:
        super().__init__()
        self._options = options
        self._solutions = 0

    def on_solution_callback(self) -> None:
        self._solutions += 1
        progress = SolveProgress(
            self.objective_value,
            self.best_objective_bound,
            self.wall_time,
            self._solutions,
        )
        if self._options.log_progress:
            self._options.log_progress(str(progress))
        if self._options.on_progress:
            self._options.on_progress(progress)
