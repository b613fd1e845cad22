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

Each phase honours the overall `time_limit`; the result is plain data.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ortools.sat.python import cp_model

from scheduler.model.constraints import build_model
from scheduler.model.timing import add_time_limits
from scheduler.model.variables import Variables
from scheduler.options import SolveOptions
from scheduler.plan.placement import Schedule
from scheduler.problem.bounds import assignment_lower_bound, skill_pools
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.greedy import serial_schedule

# Below this many tasks asking for people, the full model alone is fast enough.
LNS_MIN_TASKS = 60
# Share of the time limit the greedy multi-start may use.
GREEDY_SHARE = 0.15
INFEASIBLE = -1  # the proven "bound" of a model with no solution
# Pools whose bound is within this share of the best get a redundant cumulative.
TIGHT_POOL_SHARE = 0.8


@dataclass(frozen=True)
class Strategy:
    """Which improvements run (all on by default; all off = the plain model)."""

    post_bound: bool = True
    redundant_pools: bool = True
    warm_start: bool = True
    lns: bool = True
    greedy_starts: int = 8
    # Share of the time limit kept for the final full solve.
    final_share: float = 0.3

    @classmethod
    def plain(cls) -> Strategy:
        """The baseline: the plain model, no bound, no hints, no LNS."""
        return cls(False, False, False, False)


class Objective(Protocol):
    """What the search minimises: set on the model, and evaluated on a plan."""

    def add(self, model: cp_model.CpModel, variables: Variables) -> None: ...

    def value(self, schedule: Schedule) -> float: ...

    def task_weights(self) -> Sequence[int] | None:
        """Ranks for the greedy plan (higher first), or None for none."""

    def task_groups(self) -> list[set[int]]:
        """Groups (e.g. projects) the search may re-plan whole; [] for none."""


class Makespan:
    """The default objective: the model already minimises the makespan."""

    def add(self, model: cp_model.CpModel, variables: Variables) -> None:
        return None

    def task_weights(self) -> Sequence[int] | None:
        return None

    def task_groups(self) -> list[set[int]]:
        return []

    def value(self, schedule: Schedule) -> float:
        return schedule.makespan


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
    objective: Objective | None = None,
) -> SearchOutcome:
    """Run the strategy within `options.time_limit`; see the module docstring.

    With another `objective` than the makespan, the makespan bound still holds
    as a constraint but no longer ends the search early.
    """
    began = time.monotonic()
    deadline = began + options.time_limit
    goal = objective or Makespan()
    bound = assignment_lower_bound(problem) if strategy.post_bound else 0
    stop_at = bound if isinstance(goal, Makespan) else -1
    greedy_end = began + GREEDY_SHARE * options.time_limit
    best = (
        greedy_start(problem, strategy, goal, greedy_end)
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
    iterations = 0
    if best is not None and strategy.lns and _staffed(problem) >= LNS_MIN_TASKS:
        # The final full solve proves makespan bounds; other goals skip it.
        final_share = strategy.final_share if stop_at >= 0 else 0.0
        lns_end = deadline - final_share * options.time_limit
        search = _Search(problem, options, model, variables, goal)
        best, iterations = search.run(best, lns_end, stop_at)
    remaining = max(deadline - time.monotonic(), 0.05)
    found, proven, optimal = solve_from(
        model, variables, problem, options, best or hint, remaining
    )
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
    return time.monotonic() - began


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
    problem: SchedulingProblem, strategy: Strategy, goal: Objective, end: float
) -> Schedule | None:
    """The best of a deterministic greedy plan and seeded perturbations of it,
    as many as fit before `end` (at least the first)."""
    weights = goal.task_weights()
    best = serial_schedule(problem, weights=weights)
    for seed in range(1, strategy.greedy_starts):
        if time.monotonic() >= end:
            break
        candidate = serial_schedule(problem, noise=0.3, seed=seed, weights=weights)
        if candidate is not None and (
            best is None or goal.value(candidate) < goal.value(best)
        ):
            best = candidate
    return best


class _Search:
    """Fix most assignments, free a neighbourhood, re-solve; keep what improves."""

    def __init__(
        self,
        problem: SchedulingProblem,
        options: SolveOptions,
        model: cp_model.CpModel,
        variables: Variables,
        goal: Objective,
    ) -> None:
        self.problem, self.options, self.goal = problem, options, goal
        self.model, self.variables = model, variables

    def run(self, best: Schedule, end: float, stop_at: int) -> tuple[Schedule, int]:
        """Iterate until `end` (monotonic seconds) or a makespan of `stop_at`."""
        problem, options = self.problem, self.options
        rng = random.Random(options.seed)
        iterations = 0
        slice_seconds = max(0.5, min(3.0, problem.num_tasks / 100))
        while time.monotonic() + 0.2 < end and best.makespan > stop_at:
            iterations += 1
            groups = self.goal.task_groups()
            if groups and rng.random() < 0.5:
                # Re-plan a couple of groups (projects) whole; the rest is fixed.
                free = set().union(*rng.sample(groups, min(2, len(groups))))
                saved = _fix_assignments(
                    self.model, self.variables, problem, best, free
                ) + _fix_starts(self.model, self.variables, best, free)
            else:
                free = _neighbourhood(problem, best, rng)
                saved = _fix_assignments(
                    self.model, self.variables, problem, best, free
                )
            sub = SolveOptions(
                time_limit=max(min(slice_seconds, end - time.monotonic()), 0.05),
                workers=options.workers,
                seed=options.seed + iterations,
            )
            found, _, _ = solve_from(
                self.model, self.variables, problem, sub, best, sub.time_limit, False
            )
            _restore(self.model, saved)
            if found is not None and self.goal.value(found) <= self.goal.value(best):
                best = found
        return best, iterations


def _neighbourhood(
    problem: SchedulingProblem, best: Schedule, rng: random.Random
) -> set[int]:
    """Tasks whose people may change: a time window, or a few people's tasks."""
    staffed = [t for t, task in enumerate(problem.tasks) if task.candidates]
    size = max(8, min(60, len(staffed) // 4))
    if rng.random() < 0.5:
        width = max(best.makespan // 6, 1)
        low = rng.randrange(max(best.makespan - width, 1))
        window = [
            t
            for t in staffed
            if best.starts[t] < low + width and best.finish(problem, t) > low
        ]
        return set(window[: size * 2])
    people = list(range(problem.num_resources))
    chosen = set(rng.sample(people, min(3, len(people))))
    return {t for t in staffed if chosen & set(problem.tasks[t].candidates)}


def _fix_assignments(
    model: cp_model.CpModel,
    variables: Variables,
    problem: SchedulingProblem,
    best: Schedule,
    free: set[int],
) -> list[tuple[int, tuple[int, int]]]:
    """Pin the presence literals of tasks outside `free`; return what to restore."""
    saved = []
    for (task, person), literal in variables.assigned.items():
        if task in free:
            continue
        value = 1 if person in best.assignees[task] else 0
        proto = model.proto.variables[literal.index]
        saved.append((literal.index, (proto.domain[0], proto.domain[1])))
        proto.domain[0], proto.domain[1] = value, value
    return saved


def _fix_starts(
    model: cp_model.CpModel, variables: Variables, best: Schedule, free: set[int]
) -> list[tuple[int, tuple[int, int]]]:
    """Pin the starts of tasks outside `free` to the incumbent's."""
    saved = []
    for task, start in enumerate(variables.starts):
        if task in free:
            continue
        proto = model.proto.variables[start.index]
        saved.append((start.index, (proto.domain[0], proto.domain[1])))
        proto.domain[0], proto.domain[1] = best.starts[task], best.starts[task]
    return saved


def _restore(model: cp_model.CpModel, saved: list[tuple[int, tuple[int, int]]]) -> None:
    for index, (low, high) in saved:
        proto = model.proto.variables[index]
        proto.domain[0], proto.domain[1] = low, high


def solve_from(
    model: cp_model.CpModel,
    variables: Variables,
    problem: SchedulingProblem,
    options: SolveOptions,
    hint: Schedule | None,
    seconds: float,
    probing: bool = True,
) -> tuple[Schedule | None, int, bool]:
    """One CP-SAT run from `hint`: (schedule or None, proven bound, optimal).

    `probing=False` skips presolve probing, which on a short neighbourhood
    solve can take most of its time (seconds of wall time for nothing found).
    """
    model.clear_hints()  # type: ignore[no-untyped-call]
    if hint is not None:
        for index, start in enumerate(hint.starts):
            model.add_hint(variables.starts[index], start)
        for (task, person), literal in variables.assigned.items():
            model.add_hint(literal, person in hint.assignees[task])
        for index, finish in enumerate(hint.finishes):
            model.add_hint(variables.ends[index], finish)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = options.num_workers
    solver.parameters.random_seed = options.seed
    if not probing:
        solver.parameters.cp_model_probing_level = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, INFEASIBLE if status == cp_model.INFEASIBLE else 0, False
    starts = tuple(solver.value(start) for start in variables.starts)
    assignees = tuple(
        tuple(
            p for p in task.candidates if solver.boolean_value(variables.assigned[i, p])
        )
        for i, task in enumerate(problem.tasks)
    )
    finishes = tuple(solver.value(end) for end in variables.ends)
    proven = int(solver.best_objective_bound + 1 - 1e-6)
    schedule = Schedule(starts, assignees, max(finishes, default=0), finishes)
    return schedule, proven, status == cp_model.OPTIMAL
