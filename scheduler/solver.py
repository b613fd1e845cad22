"""Run CP-SAT on a SchedulingProblem; the only module that drives the solver.

`solve` is the public entry point: Project -> SchedulingProblem -> model ->
SolveResult -> Plan, and every plan is re-checked by the independent validator
before it is returned. The model is the core RCPSP (scheduler.constraints),
the time constraints (scheduler.timing) and the chosen objective
(scheduler.objectives); an infeasible model is explained (scheduler.explain),
and a schedule gets each task's total float (scheduler.analysis).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import replace

from ortools.sat.python import cp_model

from domain import Plan, Project, SolveStatus
from scheduler.analysis import total_floats
from scheduler.constraints import Variables, build_model
from scheduler.errors import PlanValidationError, SchedulerError
from scheduler.explain import explain_infeasibility
from scheduler.lns import Strategy
from scheduler.objectives import add_objective
from scheduler.options import Objective, SolveOptions
from scheduler.people import needs_search, search
from scheduler.problem import SchedulingProblem
from scheduler.result import SolveResult, to_plan
from scheduler.timing import add_time_limits
from scheduler.validator import validate_plan

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
    """
    problem = SchedulingProblem.from_project(project)
    if needs_search(problem, options):  # large staffing problems: greedy + LNS
        plan = to_plan(problem, search(problem, options, Strategy()))
    else:
        plan = to_plan(problem, solve_problem(problem, options))
    violations = validate_plan(project, plan)
    if violations:
        raise PlanValidationError(violations)
    return plan


def solve_problem(problem: SchedulingProblem, options: SolveOptions) -> SolveResult:
    """Build the model, run CP-SAT within the options' limits, read the answer."""
    started = time.perf_counter()
    problem = _with_room_for(problem, options.previous_starts)
    model, variables = build_model(problem)
    add_time_limits(model, problem.windows, problem.deadline, variables)
    previous = _previous_starts(problem, options)
    add_objective(
        model, problem, variables, options.objective, previous, options.stability_weight
    )
    for task, start in previous.items():
        model.add_hint(variables.starts[task], start)
    solver = cp_model.CpSolver()
    _configure(solver, options)
    reporter = _ProgressReporter(options.log_progress) if options.log_progress else None
    status = solver.solve(model, reporter)
    if status not in _STATUSES:
        raise SchedulerError(
            f"CP-SAT rejected the model ({solver.status_name(status)}): "
            f"{model.validate() or solver.solution_info()}"
        )
    makespan_objective = options.objective is Objective.MAKESPAN and not (
        previous and options.stability_weight
    )
    result = _read_result(
        problem, solver, variables, _STATUSES[status], makespan_objective
    )
    if result.status is SolveStatus.INFEASIBLE:
        remaining = options.time_limit - (time.perf_counter() - started)
        conflicts = explain_infeasibility(problem, max(remaining, 1.0))
        result = replace(result, message=conflicts[0], conflicts=tuple(conflicts))
    result = replace(result, objective=options.objective.value)
    if options.log_progress:
        options.log_progress(
            f"{result.status}: makespan {result.makespan}, "
            f"bound {result.lower_bound}, {result.runtime_seconds:.2f}s"
        )
    return result


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


def _configure(solver: cp_model.CpSolver, options: SolveOptions) -> None:
    parameters = solver.parameters
    parameters.max_time_in_seconds = options.time_limit
    parameters.num_workers = options.num_workers
    parameters.random_seed = options.seed
    if options.deterministic_time_limit is not None:
        parameters.max_deterministic_time = options.deterministic_time_limit


def _read_result(
    problem: SchedulingProblem,
    solver: cp_model.CpSolver,
    variables: Variables,
    status: SolveStatus,
    makespan_objective: bool,
) -> SolveResult:
    """Turn the solver's answer into plain data, with the tightest bound known."""
    runtime = solver.wall_time
    if status is SolveStatus.INFEASIBLE:
        return SolveResult(status, None, None, runtime)
    # The critical path is a valid bound too, and can beat an early-stopped search.
    critical_path = problem.critical_path_length() or 0
    objective_bound = _ceil(solver.best_objective_bound)
    bound = critical_path
    if makespan_objective:
        bound = max(objective_bound, critical_path)
    if status is SolveStatus.UNKNOWN:
        message = f"no schedule found within {solver.parameters.max_time_in_seconds}s"
        return SolveResult(status, None, bound, runtime, message=message)
    starts = tuple(solver.value(start) for start in variables.starts)
    assignees = tuple(
        _assigned_people(solver, variables, index, task.candidates)
        for index, task in enumerate(problem.tasks)
    )
    finishes = (s + t.duration for s, t in zip(starts, problem.tasks, strict=True))
    makespan = max(finishes, default=0)
    return SolveResult(
        status,
        makespan,
        bound,
        runtime,
        starts,
        assignees,
        objective_value=round(solver.objective_value),
        objective_bound=objective_bound,
        floats=tuple(total_floats(problem, starts, assignees)),
    )


def _assigned_people(
    solver: cp_model.CpSolver,
    variables: Variables,
    task: int,
    candidates: tuple[int, ...],
) -> tuple[int, ...]:
    """The candidates whose presence literal is true, in candidate order."""
    return tuple(
        p for p in candidates if solver.boolean_value(variables.assigned[task, p])
    )


def _ceil(bound: float) -> int:
    """Round a solver bound up, tolerating float noise just above an integer."""
    return math.ceil(bound - 1e-6)


class _ProgressReporter(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution: makespan, bound and time so far."""

    def __init__(self, report: Callable[[str], None]) -> None:
        super().__init__()
        self._report = report
        self._solutions = 0

    def on_solution_callback(self) -> None:
        self._solutions += 1
        self._report(
            f"solution {self._solutions}: makespan {self.objective_value:.0f}, "
            f"bound {self.best_objective_bound:.0f}, {self.wall_time:.2f}s"
        )
