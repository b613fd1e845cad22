"""The whole-model CP-SAT runs around a makespan search: one run read as an
`Answer`, the search improving its schedule (`scheduler.search`; from the
greedy plan when the first run found none), and a last run of the whole model
hinted with the best schedule, to prove or improve it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from domain import SolveStatus
from scheduler.options import SolveOptions
from scheduler.search import (
    BaseModel,
    Incumbent,
    SearchLimits,
    complete,
    improve_makespan,
)
from scheduler.search.greedy import serial_schedule
from scheduler.strategy import Shares

STATUSES = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
}


@dataclass(frozen=True)
class Answer:
    """What a search found: one value per model variable (empty: none)."""

    status: SolveStatus
    solution: tuple[int, ...]
    objective_value: int | None
    objective_bound: int

    @classmethod
    def of(cls, solver: cp_model.CpSolver, status: SolveStatus) -> Answer:
        bound = ceil_bound(solver.best_objective_bound)
        if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            return cls(status, (), None, bound)
        solution = tuple(solver.response_proto.solution)
        return cls(status, solution, round(solver.objective_value), bound)

    def value(self, variable: cp_model.IntVar) -> int:
        """The variable's value in the solution."""
        return self.solution[variable.index]


def search_from(
    base: BaseModel,
    first: Answer,
    options: SolveOptions,
    started: float,
    shares: Shares,
) -> Answer:
    """The search's answer, from the first run's schedule or, when that found
    none in its share of the time (a large problem on a loaded machine), from
    the greedy plan completed into a model solution. Before, such a solve
    ended after its first share with the greedy plan as a fallback (a j120
    instance under load: 206 days after 1 s, 169-173 after 10 s with the
    search). A greedy start the search did not shorten leaves `first`
    (unknown: the plan is then the labelled fallback)."""
    if first.status is SolveStatus.FEASIBLE:
        return search_makespan(base, first, options, started, shares)
    if first.status is not SolveStatus.UNKNOWN:
        return first
    schedule = serial_schedule(base.problem)
    incumbent = None if schedule is None else complete(base, schedule.starts)
    if incumbent is None:
        return first
    start = Answer(
        SolveStatus.FEASIBLE,
        incumbent.solution,
        incumbent.makespan,
        first.objective_bound,
    )
    found = search_makespan(base, start, options, started, shares)
    shortened = found.objective_value is not None and (
        found.objective_value < incumbent.makespan
    )
    return found if shortened or found.status is SolveStatus.OPTIMAL else first


def search_makespan(
    base: BaseModel,
    first: Answer,
    options: SolveOptions,
    started: float,
    shares: Shares,
) -> Answer:
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
        return Answer(SolveStatus.OPTIMAL, best.solution, best.makespan, lower_bound)
    return final_solve(base, best, lower_bound, options, started, shares.final)


def final_solve(
    base: BaseModel,
    best: Incumbent,
    lower_bound: int,
    options: SolveOptions,
    started: float,
    share: float,
) -> Answer:
    """The whole model again, capped at and hinted with the best makespan."""
    model = base.model.clone()
    proto = model.proto
    proto.clear_solution_hint()
    proto.solution_hint.vars.extend(range(len(best.solution)))
    proto.solution_hint.values.extend(best.solution)
    makespan = model.get_int_var_from_proto_index(base.variables.makespan.index)
    model.add(makespan <= best.makespan)
    solver = cp_model.CpSolver()
    configure(solver, options, share)
    left = started + options.time_limit - time.perf_counter()
    solver.parameters.max_time_in_seconds = max(left, 0.01)
    status = STATUSES.get(solver.solve(model), SolveStatus.UNKNOWN)
    answer = Answer.of(solver, status)
    bound = max(lower_bound, answer.objective_bound)
    if answer.objective_value is None or answer.objective_value > best.makespan:
        status = (
            SolveStatus.OPTIMAL if best.makespan <= bound else (SolveStatus.FEASIBLE)
        )
        return Answer(status, best.solution, best.makespan, bound)
    return replace(answer, objective_bound=bound)


def configure(solver: cp_model.CpSolver, options: SolveOptions, share: float) -> None:
    """Limits for a solve given `share` of the options' time and work."""
    parameters = solver.parameters
    parameters.max_time_in_seconds = options.time_limit * share
    parameters.num_workers = options.num_workers
    parameters.random_seed = options.seed
    if options.deterministic_time_limit is not None:
        parameters.max_deterministic_time = options.deterministic_time_limit * share


def ceil_bound(bound: float) -> int:
    """Round a solver bound up, tolerating float noise just above an integer."""
    return math.ceil(bound - 1e-6)
