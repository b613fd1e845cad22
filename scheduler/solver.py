"""Run CP-SAT on a SchedulingProblem; the only module that drives the solver.

`solve` is the public entry point: Project -> SchedulingProblem -> model ->
SolveResult -> Plan, and every plan is re-checked by the independent validator
before it is returned.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ortools.sat.python import cp_model

from domain import Plan, Project, SolveStatus
from scheduler.constraints import Variables, build_model
from scheduler.errors import PlanValidationError, SchedulerError
from scheduler.lns import Strategy
from scheduler.options import SolveOptions
from scheduler.people import needs_search, search
from scheduler.problem import SchedulingProblem
from scheduler.result import SolveResult, to_plan
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
    if needs_search(problem):  # large staffing problems: greedy + LNS (issue 4)
        plan = to_plan(problem, search(problem, options, Strategy()))
    else:
        plan = to_plan(problem, solve_problem(problem, options))
    violations = validate_plan(project, plan)
    if violations:
        raise PlanValidationError(violations)
    return plan


def solve_problem(problem: SchedulingProblem, options: SolveOptions) -> SolveResult:
    """Build the model, run CP-SAT within the options' limits, read the answer."""
    model, variables = build_model(problem)
    solver = cp_model.CpSolver()
    _configure(solver, options)
    reporter = _ProgressReporter(options.log_progress) if options.log_progress else None
    status = solver.solve(model, reporter)
    if status not in _STATUSES:
        raise SchedulerError(
            f"CP-SAT rejected the model ({solver.status_name(status)}): "
            f"{model.validate() or solver.solution_info()}"
        )
    result = _read_result(problem, solver, variables, _STATUSES[status])
    if options.log_progress:
        options.log_progress(
            f"{result.status}: makespan {result.makespan}, "
            f"bound {result.lower_bound}, {result.runtime_seconds:.2f}s"
        )
    return result


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
) -> SolveResult:
    """Turn the solver's answer into plain data, with the tightest bound known."""
    runtime = solver.wall_time
    if status is SolveStatus.INFEASIBLE:
        message = _why_infeasible(problem)
        return SolveResult(status, None, None, runtime, message=message)
    # The critical path is a valid bound too, and can beat an early-stopped search.
    critical_path = problem.critical_path_length() or 0
    bound = max(_ceil(solver.best_objective_bound), critical_path)
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
    return SolveResult(status, makespan, bound, runtime, starts, assignees)


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


def _why_infeasible(problem: SchedulingProblem) -> str:
    if problem.critical_path_length() is None:
        return "the dependencies form a cycle that no schedule can satisfy"
    return "no schedule satisfies every dependency, resource limit and skill need"


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
