"""Search for skill-based assignment: bound, warm start, large-neighbourhood search.

A plain CP-SAT model (one optional interval per qualified person) stalls on
hundreds of tasks. `solve_with_people` wraps the same model with:

1. a posted lower bound (`bounds.assignment_lower_bound`) and one redundant
   cumulative per tight pool of people (tasks only they can do, capacity |R|);
2. a warm start: the best of a few seeded greedy plans (`greedy`), as hints;
3. large-neighbourhood search: repeatedly fix who does most tasks (the domain
   of their presence literals), free the assignment of a neighbourhood (tasks
   in a time window, or of a few people), re-solve briefly from the incumbent,
   keep improvements; then a last full solve from the best plan tightens the
   proven bound.

Each phase honours the overall `time_limit`; with a work limit
(`deterministic_time_limit`) every phase is counted, not timed, so one worker
and a seed repeat the result exactly. The LNS loop is the driver's
(`scheduler.search.driver`); this module gives it `StaffingMoves`.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.model.constraints import build_model
from scheduler.model.timing import add_time_limits
from scheduler.model.variables import Variables
from scheduler.options import SolveOptions
from scheduler.plan.schedule import Schedule
from scheduler.problem.bounds import assignment_lower_bound, skill_pools
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.cpsat import INFEASIBLE, solve_from
from scheduler.search.driver import SearchLimits, search
from scheduler.search.goals import Goal, Makespan
from scheduler.search.greedy import serial_schedule
from scheduler.search.staffing import StaffingMoves
from scheduler.strategy import (
    GREEDY_SHARE,
    SEARCH_MIN_TASKS,
    STAFFING_FINAL_SHARE,
    TIGHT_POOL_SHARE,
    staffing_sizing,
)


@dataclass(frozen=True)
class Strategy:
    """Which improvements run (all on by default; all off = the plain model)."""

    post_bound: bool = True
    redundant_pools: bool = True
    warm_start: bool = True
    lns: bool = True
    greedy_starts: int = 8
    # Share of the limits kept for the final full solve.
    final_share: float = STAFFING_FINAL_SHARE

    @classmethod
    def plain(cls) -> Strategy:
        """The baseline: the plain model, no bound, no hints, no LNS."""
        return cls(False, False, False, False)


@dataclass(frozen=True)
class SearchOutcome:
    """The best schedule found (None if none), its makespan and a proven bound."""

    schedule: Schedule | None
    lower_bound: int
    optimal: bool
    iterations: int
    infeasible: bool = False
    runtime_seconds: float = 0.0


def improve(
    problem: SchedulingProblem,
    options: SolveOptions,
    strategy: Strategy,
    objective: Goal | None = None,
) -> SearchOutcome:
    """Run the strategy within `options.time_limit`; see the module docstring.

    With another `objective` than the makespan, the makespan bound still holds
    as a constraint but no longer ends the search early.
    """
    began = time.perf_counter()
    deadline = began + options.time_limit
    work = options.deterministic_time_limit
    goal = objective or Makespan(problem)
    bound = assignment_lower_bound(problem) if strategy.post_bound else 0
    stop_at = bound if isinstance(goal, Makespan) else -math.inf
    run = SearchLimits(deadline, work=work, seed=options.seed)
    best = (
        greedy_start(problem, strategy, goal, run.share(GREEDY_SHARE))
        if strategy.warm_start
        else None
    )
    hint = best
    if best is not None and not within_windows(problem, best):
        best = None  # a hint only: the greedy plan ignores deadlines and pins
    if best is not None and best.makespan <= stop_at:
        return SearchOutcome(best, bound, True, 0, runtime_seconds=_since(began))
    if best is not None:
        # Nothing better ends later than the greedy plan (twice as late for
        # other goals): a short horizon keeps people's day tables small.
        cap = best.makespan * (1 if isinstance(goal, Makespan) else 2)
        problem = dataclasses.replace(problem, horizon_cap=cap)
    model, variables = build_model(problem)
    add_time_limits(model, problem.windows, problem.deadline, variables)
    goal.add(model, variables)
    if strategy.post_bound:
        model.add(variables.makespan >= bound)
    if strategy.redundant_pools:
        _add_pool_cumulatives(model, problem, variables, bound)
    iterations, spent = 0, 0.0
    # The final full solve proves makespan bounds; other goals skip it.
    final_share = strategy.final_share if isinstance(goal, Makespan) else 0.0
    staffed = _staffed(problem)
    if best is not None and strategy.lns and staffed >= SEARCH_MIN_TASKS:
        limits = SearchLimits(
            deadline - final_share * options.time_limit,
            stop_at,
            None if work is None else work * (1 - final_share),
            seed=options.seed,
        )
        moves = StaffingMoves(problem, options, model, variables, goal)
        sizing = staffing_sizing(problem.num_tasks, staffed)
        report = search(moves, best, limits, sizing)
        best, iterations, spent = report.incumbent, report.steps, report.work
    remaining = max(deadline - time.perf_counter(), 0.05)
    final_work = None if work is None else max(work - spent, 0.05)
    solved = solve_from(
        model, variables, problem, options, best or hint, remaining, work=final_work
    )
    found, proven, optimal = solved.schedule, solved.proven, solved.optimal
    if proven == INFEASIBLE:
        return SearchOutcome(None, bound, False, iterations, True, _since(began))
    if found is not None and (best is None or goal.value(found) <= goal.value(best)):
        best = found
    optimal = optimal and best is found
    proven = max(bound, proven) if isinstance(goal, Makespan) else bound
    return SearchOutcome(best, proven, optimal, iterations, False, _since(began))


def within_windows(problem: SchedulingProblem, schedule: Schedule) -> bool:
    """Whether a greedy plan meets every deadline and latest pin (it already
    respects releases and earliest pins)."""
    if problem.deadline is not None and schedule.makespan > problem.deadline:
        return False
    for task, (window, start) in enumerate(
        zip(problem.windows, schedule.starts, strict=False)
    ):
        finish = schedule.finish(problem, task)
        if window.deadline is not None and finish > window.deadline:
            return False
        if window.pin_latest is not None and start > window.pin_latest:
            return False
        if window.actual_start is not None and start != window.actual_start:
            return False
    return True


def _staffed(problem: SchedulingProblem) -> int:
    return sum(1 for task in problem.tasks if task.candidates)


def _since(began: float) -> float:
    return time.perf_counter() - began


def _add_pool_cumulatives(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    variables: Variables,
    bound: int,
) -> None:
    """Tasks only pool R can do never use more than R's capacity at once."""
    for pool in skill_pools(problem):
        if pool.bound < TIGHT_POOL_SHARE * bound or len(pool.tasks) < 2:
            break
        capacity = sum(problem.capacities[p] for p in pool.people)
        intervals = [variables.intervals[t] for t in pool.tasks]
        demands = [problem.tasks[t].people for t in pool.tasks]
        model.add_cumulative(intervals, demands, capacity)


def greedy_start(
    problem: SchedulingProblem,
    strategy: Strategy,
    goal: Goal,
    limits: SearchLimits,
) -> Schedule | None:
    """The best of a deterministic greedy plan and seeded perturbations of it:
    as many as fit before the deadline (at least the first), or with a work
    limit all `strategy.greedy_starts` (a run that repeats). Perturbation k
    of a run with seed s draws from seed s x greedy_starts + k: the run's
    seed decides them all (seed 0: seeds 1, 2, ...)."""
    weights = goal.task_weights()
    best = serial_schedule(problem, weights=weights)
    for k in range(1, strategy.greedy_starts):
        if limits.work is None and limits.left() <= 0:
            break
        seed = limits.seed * strategy.greedy_starts + k
        candidate = serial_schedule(problem, noise=0.3, seed=seed, weights=weights)
        if candidate is not None and (
            best is None or goal.value(candidate) < goal.value(best)
        ):
            best = candidate
    return best
