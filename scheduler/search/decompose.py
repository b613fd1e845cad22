"""Large-neighbourhood search over sub-models, for portfolios of projects.

Re-solving the whole merged model (2,000 tasks) costs seconds per round even
with most of it pinned, so a minute holds few rounds. Here each round builds a
*sub-model* of a neighbourhood only: whole projects (an urgent one and the
ones sharing most people with it, or random others), or a time window (the
tasks starting next from a random day, across projects), of an adaptive size:
it grows while steps solve their sub-model to optimality and shrinks when
they are cut short (the driver's rule, `scheduler.search.driver`). Every
other task stays where the incumbent put it, and is seen by the sub-model only
as

- time `reserved` on the people and equipment it holds, and
- release, deadline or latest-start limits on the free tasks it is linked to,
- a floor under each project's finish (its fixed tasks' latest finish).

The sub-model, solved briefly from the incumbent's hint (without presolve
probing), minimises the objective's terms over the touched projects
(`WeightedTerms.on`; the rest is constant), so a better sub-plan is a better
portfolio plan; it replaces the incumbent's tasks. The projects are the
problem's (`SchedulingProblem.projects`); their urgency (priority x (1 +
days late)) steers which are freed.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from scheduler.model.constraints import build_model
from scheduler.model.objectives import WeightedTerms
from scheduler.model.projects import project_finish, project_tardiness
from scheduler.model.timing import add_time_limits
from scheduler.options import SolveOptions
from scheduler.plan.schedule import Schedule
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.assignment import (
    SearchOutcome,
    Strategy,
    greedy_start,
    improve,
    within_windows,
)
from scheduler.search.cpsat import Solved, solve_from
from scheduler.search.driver import SearchLimits, Step, StepLimits, search
from scheduler.search.ordering import improve_order
from scheduler.search.subproblem import sub_problem
from scheduler.strategy import (
    GREEDY_SHARE,
    ORDER_SHARE,
    PORTFOLIO_SIZING,
    SEARCH_MIN_TASKS,
)


def search_by_groups(
    problem: SchedulingProblem, options: SolveOptions, goal: WeightedTerms
) -> SearchOutcome:
    """A greedy plan ranked by the goal's task weights; then, for the rest of
    `options.time_limit`, `ordering.improve_order` (re-ranking whole groups,
    `ORDER_SHARE` of the time or of the work) and `improve_by_groups`, both
    steps of the one driver. Small problems (the whole model is fast) and
    greedy plans that miss a deadline or a pin go to `assignment.improve`."""
    staffed = sum(1 for task in problem.tasks if task.candidates)
    if staffed < SEARCH_MIN_TASKS:
        return improve(problem, options, Strategy(), goal)
    began = time.perf_counter()
    end = began + options.time_limit
    work = options.deterministic_time_limit
    run = SearchLimits(end, work=work, seed=options.seed)
    best = greedy_start(problem, Strategy(), goal, run.share(GREEDY_SHARE))
    if best is None or not within_windows(problem, best):
        return improve(problem, options, Strategy(), goal)
    best, tried = improve_order(problem, goal, best, run.share(ORDER_SHARE))
    best, rounds = improve_by_groups(problem, options, goal, best, end)
    runtime = time.perf_counter() - began
    return SearchOutcome(best, 0, False, tried + rounds, runtime_seconds=runtime)


def improve_by_groups(
    problem: SchedulingProblem,
    options: SolveOptions,
    goal: WeightedTerms,
    best: Schedule,
    end: float,
) -> tuple[Schedule, int]:
    """Re-plan a neighbourhood at a time until `end` (time.perf_counter) or
    the options' work limit; returns the best schedule and the number of steps."""
    groups = [sorted(group) for group in goal.task_groups()]
    if len(groups) < 2:
        return best, 0
    work = options.deterministic_time_limit
    limits = SearchLimits(end, work=work, seed=options.seed)
    moves = PortfolioMoves(problem, options, goal, groups)
    report = search(moves, best, limits, PORTFOLIO_SIZING)
    return report.incumbent, report.steps


class PortfolioMoves:
    """Free whole groups (a third of the steps) or a window of consecutive
    tasks (anchored before an urgent group's finish, or anywhere), solve
    their sub-model from the incumbent, and merge it back."""

    def __init__(
        self,
        problem: SchedulingProblem,
        options: SolveOptions,
        goal: WeightedTerms,
        groups: list[list[int]],
    ) -> None:
        self.problem, self.options, self.goal = problem, options, goal
        self.groups = groups

    def value(self, incumbent: Schedule) -> float:
        return self.goal.value(incumbent)

    def step(
        self,
        incumbent: Schedule,
        size: int,
        rng: np.random.Generator,
        limits: StepLimits,
    ) -> Step[Schedule]:
        problem, goal = self.problem, self.goal
        kind = rng.random()
        if kind < 1 / 3:
            first = int(PORTFOLIO_SIZING.first)
            free = _pick_groups(problem, incumbent, self.groups, first, rng)
        else:
            anchored = kind < 2 / 3
            free = _time_window(problem, goal, incumbent, (size, anchored), rng)
        options = dataclasses.replace(
            self.options, time_limit=limits.seconds, seed=int(rng.integers(1 << 30))
        )
        solved = _solve_free(problem, goal, incumbent, free, options, limits.work)
        if solved.schedule is None:
            return Step(None, solved.optimal, solved.work)
        merged = _merged(problem, incumbent, free, solved.schedule)
        return Step(merged, solved.optimal, solved.work)


def _time_window(
    problem: SchedulingProblem,
    goal: WeightedTerms,
    best: Schedule,
    shape: tuple[int, bool],
    rng: np.random.Generator,
) -> list[int]:
    """`size` tasks across groups, consecutive by start: those that start last
    before the finish of a group drawn by urgency (`anchored`: freeing them
    may bring that finish forward), or from a random start (a sideways move
    that lets later rounds find room)."""
    size, anchored = shape
    order = sorted(range(len(best.starts)), key=lambda t: best.starts[t])
    if not anchored:
        first = int(rng.integers(max(len(order) - size, 1)))
        return sorted(order[first : first + size])
    groups = goal.task_groups()
    urgency = _urgency(problem, best)
    drawn = _by_urgency(urgency, rng)
    finish = max(best.finish(problem, t) for t in groups[drawn])
    before = [t for t in order if best.starts[t] < finish]
    return sorted(before[-size:])


def _pick_groups(
    problem: SchedulingProblem,
    best: Schedule,
    groups: list[list[int]],
    size: int,
    rng: np.random.Generator,
) -> list[int]:
    """Whole groups, about `size` tasks: one drawn by urgency, then those
    sharing most people with the chosen ones (half the time) or random ones."""
    urgency = _urgency(problem, best)
    chosen = [_by_urgency(urgency, rng)]
    people = {p for t in groups[chosen[0]] for p in best.assignees[t]}
    by_sharing = rng.random() < 0.5
    while sum(len(groups[g]) for g in chosen) < size and len(chosen) < len(groups):
        others = [g for g in range(len(groups)) if g not in chosen]
        if by_sharing:
            held = [{p for t in groups[g] for p in best.assignees[t]} for g in others]
            pick = others[max(range(len(others)), key=lambda k: len(people & held[k]))]
        else:
            pick = others[int(rng.integers(len(others)))]
        chosen.append(pick)
        people |= {p for t in groups[pick] for p in best.assignees[t]}
    return sorted(t for g in chosen for t in groups[g])


def _urgency(problem: SchedulingProblem, schedule: Schedule) -> list[float]:
    """Per project (in the problem's order): priority x (1 + days late)."""
    ends = [schedule.finish(problem, t) for t in range(len(schedule.starts))]
    return [
        float(group.priority * (1 + project_tardiness(group, finish)))
        for group in problem.projects
        for finish in (project_finish(group, ends),)
    ]


def _by_urgency(urgency: list[float], rng: np.random.Generator) -> int:
    """A group drawn with odds growing with its urgency (every group some)."""
    weights = np.array(urgency, dtype=float) + 1
    return int(rng.choice(len(weights), p=weights / weights.sum()))


def _solve_free(
    problem: SchedulingProblem,
    goal: WeightedTerms,
    best: Schedule,
    free: list[int],
    options: SolveOptions,
    work: float,
) -> Solved:
    """Solve the sub-model of the `free` tasks from the incumbent."""
    sub = sub_problem(problem, best, free)
    model, variables = build_model(sub)
    add_time_limits(model, sub.windows, sub.deadline, variables)
    goal.on(sub).add(model, variables)
    hint = Schedule(
        tuple(best.starts[t] for t in free),
        tuple(best.assignees[t] for t in free),
        best.makespan,
        tuple(best.finish(problem, t) for t in free),
    )
    seconds = options.time_limit
    return solve_from(model, variables, sub, options, hint, seconds, False, work)


def _merged(
    problem: SchedulingProblem, best: Schedule, free: list[int], found: Schedule
) -> Schedule:
    """The incumbent with the free tasks as the sub-plan has them."""
    starts, assignees = list(best.starts), list(best.assignees)
    finishes = [best.finish(problem, t) for t in range(len(starts))]
    for k, task in enumerate(free):
        starts[task] = found.starts[k]
        assignees[task] = found.assignees[k]
        finishes[task] = found.finishes[k]
    return Schedule(tuple(starts), tuple(assignees), max(finishes), tuple(finishes))
