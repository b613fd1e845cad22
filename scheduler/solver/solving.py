"""`solve_problem`: a problem to a result, by CP-SAT and the search.

The model is the core RCPSP (`scheduler.model.constraints`), the time
constraints (`scheduler.model.timing`) and the chosen objective
(`scheduler.model.objectives`); a makespan solve of more than
`WHOLE_MODEL_MAX_TASKS` tasks hands CP-SAT's first schedule to the search
(`scheduler.solver.phases`); an infeasible model is explained
(`scheduler.explain.infeasible`). The answer is read back as plain data
(`SolveResult`) with the tightest bound known.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace

from ortools.sat.python import cp_model

from domain import SolveStatus
from scheduler.errors import SchedulerError
from scheduler.explain.infeasible import explained
from scheduler.model.constraints import build_model
from scheduler.model.objectives import add_objective
from scheduler.model.timing import add_time_limits
from scheduler.model.variables import Variables
from scheduler.options import SolveOptions, SolveProgress
from scheduler.plan.result import SolveResult
from scheduler.problem.instance import SchedulingProblem
from scheduler.search import BaseModel, genetic_applies
from scheduler.solver.phases import STATUSES, Answer, configure, search_from
from scheduler.strategy import WHOLE_MODEL_MAX_TASKS, makespan_shares


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
    previous = previous_starts(problem, options)
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
    configure(solver, options, shares.first if searched else 1.0)
    reporter = _ProgressReporter(options) if options.reports else None
    status = solver.solve(model, reporter)
    if status not in STATUSES:
        raise SchedulerError(
            f"CP-SAT rejected the model ({solver.status_name(status)}): "
            f"{model.validate() or solver.solution_info()}"
        )
    answer = Answer.of(solver, STATUSES[status])
    if searched:
        base = BaseModel(model, variables, problem)
        answer = search_from(base, answer, options, started, shares)
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


def _has_resources(problem: SchedulingProblem) -> bool:
    """Whether any task holds a resource: otherwise there is nothing to search."""
    return any(task.demands or task.candidates for task in problem.tasks)


def previous_starts(
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


def _read_result(
    problem: SchedulingProblem,
    variables: Variables,
    answer: Answer,
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
