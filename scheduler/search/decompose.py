"""Large-neighbourhood search over sub-models, for portfolios of projects.

Re-solving the whole merged model (2,000 tasks) costs seconds per round even
with most of it pinned, so a minute holds few rounds. Here each round builds a
*sub-model* of a neighbourhood only: whole projects (an urgent one and the
ones sharing most people with it, or random others), or a time window (the
tasks starting next from a random day, across projects), of an adaptive size:
it grows while rounds prove they cannot improve and shrinks when they time out. Every
other task stays where the incumbent put it, and is seen by the sub-model only
as

- time `reserved` on the people and equipment it holds, and
- release, deadline or latest-start limits on the free tasks it is linked to.

- a floor under each project's finish (its fixed tasks' latest finish).

The sub-model, solved briefly from the incumbent's hint (without presolve
probing), minimises the touched projects' terms of the objective (the rest is
constant), so a better sub-plan is a better portfolio plan; it replaces the
incumbent's tasks.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Sequence
from typing import Protocol

from domain import DependencyType
from scheduler.model.constraints import build_model
from scheduler.model.timing import add_time_limits
from scheduler.options import SolveOptions
from scheduler.plan.placement import Schedule
from scheduler.problem.instance import PrecedenceData, SchedulingProblem
from scheduler.problem.windows import TaskWindow
from scheduler.search.assignment import (
    GREEDY_SHARE,
    LNS_MIN_TASKS,
    Objective,
    SearchOutcome,
    Strategy,
    greedy_start,
    improve,
    solve_from,
    within_windows,
)
from scheduler.search.ordering import improve_order

# Share of the time after the first greedy plan spent re-ranking groups.
ORDER_SHARE = 0.5
# Seconds one sub-model may take, at most.
ROUND_SECONDS = 2.0
# Tasks in the first neighbourhood; the size grows or shrinks by GROWTH.
FIRST_SIZE = 200
SMALLEST_SIZE = 50
LARGEST_SIZE = 400
GROWTH = 1.25


class GroupObjective(Objective, Protocol):
    """An objective over groups of tasks (projects) that can judge a subset."""

    def restricted(
        self, sub: SchedulingProblem, free: Sequence[int], schedule: Schedule
    ) -> Objective:
        """The objective over the sub-problem of the `free` tasks, the other
        tasks fixed as `schedule` has them."""
        ...

    def group_urgency(self, schedule: Schedule) -> list[float]:
        """How much each group (in `task_groups` order) weighs now."""
        ...


def search_by_groups(
    problem: SchedulingProblem, options: SolveOptions, goal: GroupObjective
) -> SearchOutcome:
    """A greedy plan ranked by the goal's task weights; then, for the rest of
    `options.time_limit`, `ordering.improve_order` (re-ranking whole groups,
    `ORDER_SHARE` of the time) and `improve_by_groups`. Small problems (the
    whole model is fast) and greedy plans that miss a deadline or a pin go to
    `lns.improve`."""
    staffed = sum(1 for task in problem.tasks if task.candidates)
    if staffed < LNS_MIN_TASKS:
        return improve(problem, options, Strategy(), goal)
    began = time.monotonic()
    end = began + options.time_limit
    greedy_end = began + GREEDY_SHARE * options.time_limit
    best = greedy_start(problem, Strategy(), goal, greedy_end)
    if best is None or not within_windows(problem, best):
        return improve(problem, options, Strategy(), goal)
    order_end = time.monotonic() + ORDER_SHARE * (end - time.monotonic())
    rng = random.Random(options.seed)
    best, tried = improve_order(problem, goal, best, order_end, rng)
    best, rounds = improve_by_groups(problem, options, goal, best, end)
    runtime = time.monotonic() - began
    return SearchOutcome(best, 0, False, tried + rounds, runtime_seconds=runtime)


def improve_by_groups(
    problem: SchedulingProblem,
    options: SolveOptions,
    goal: GroupObjective,
    best: Schedule,
    end: float,
) -> tuple[Schedule, int]:
    """Re-plan a neighbourhood at a time until `end` (monotonic seconds);
    returns the best schedule and the number of rounds.

    The neighbourhood size adapts: it grows when a round proves its
    sub-model cannot improve, and shrinks when a round runs out of time.
    """
    groups = [sorted(group) for group in goal.task_groups()]
    rng = random.Random(options.seed)
    size, largest = float(FIRST_SIZE), float(LARGEST_SIZE)
    rounds = 0
    while time.monotonic() + 0.2 < end and len(groups) > 1:
        rounds += 1
        kind = rng.random()
        if kind < 1 / 3:
            free = _pick_groups(goal, best, groups, FIRST_SIZE, rng)
        else:
            anchored = kind < 2 / 3
            free = _time_window(problem, goal, best, (int(size), anchored), rng)
        seconds = min(ROUND_SECONDS, end - time.monotonic())
        sub_options = dataclasses.replace(
            options, time_limit=max(seconds, 0.05), seed=options.seed + rounds
        )
        found, optimal = _solve_free(problem, goal, best, free, sub_options)
        better = False
        if found is not None:
            candidate = _merged(problem, best, free, found)
            better = goal.value(candidate) < goal.value(best)
            if goal.value(candidate) <= goal.value(best):
                best = candidate
        if optimal and not better:
            size = min(size * GROWTH, largest)
        elif not optimal and not better:
            size = max(size / GROWTH, SMALLEST_SIZE)
    return best, rounds


def _time_window(
    problem: SchedulingProblem,
    goal: GroupObjective,
    best: Schedule,
    shape: tuple[int, bool],
    rng: random.Random,
) -> list[int]:
    """`size` tasks across groups, consecutive by start: those that start last
    before the finish of a group drawn by urgency (`anchored`: freeing them
    may bring that finish forward), or from a random start (a sideways move
    that lets later rounds find room)."""
    size, anchored = shape
    order = sorted(range(len(best.starts)), key=lambda t: best.starts[t])
    if not anchored:
        first = rng.randrange(max(len(order) - size, 1))
        return sorted(order[first : first + size])
    groups = goal.task_groups()
    urgency = goal.group_urgency(best)
    drawn = rng.choices(range(len(groups)), weights=[u + 1 for u in urgency])[0]
    finish = max(best.finish(problem, t) for t in groups[drawn])
    before = [t for t in order if best.starts[t] < finish]
    return sorted(before[-size:])


def _pick_groups(
    goal: GroupObjective,
    best: Schedule,
    groups: list[list[int]],
    size: int,
    rng: random.Random,
) -> list[int]:
    """Whole groups, about `size` tasks: one drawn by urgency, then those
    sharing most people with the chosen ones (half the time) or random ones."""
    urgency = goal.group_urgency(best)
    chosen = rng.choices(range(len(groups)), weights=[u + 1 for u in urgency])
    people = {p for t in groups[chosen[0]] for p in best.assignees[t]}
    by_sharing = rng.random() < 0.5
    while sum(len(groups[g]) for g in chosen) < size and len(chosen) < len(groups):
        others = [g for g in range(len(groups)) if g not in chosen]
        if by_sharing:
            held = [{p for t in groups[g] for p in best.assignees[t]} for g in others]
            pick = others[max(range(len(others)), key=lambda k: len(people & held[k]))]
        else:
            pick = rng.choice(others)
        chosen.append(pick)
        people |= {p for t in groups[pick] for p in best.assignees[t]}
    return sorted(t for g in chosen for t in groups[g])


def _solve_free(
    problem: SchedulingProblem,
    goal: GroupObjective,
    best: Schedule,
    free: list[int],
    options: SolveOptions,
) -> tuple[Schedule | None, bool]:
    """Solve the sub-model of the `free` tasks from the incumbent: its best
    plan, and whether it is proven optimal."""
    sub = sub_problem(problem, best, free)
    model, variables = build_model(sub)
    add_time_limits(model, sub.windows, sub.deadline, variables)
    goal.restricted(sub, free, best).add(model, variables)
    hint = Schedule(
        tuple(best.starts[t] for t in free),
        tuple(best.assignees[t] for t in free),
        best.makespan,
        tuple(best.finish(problem, t) for t in free),
    )
    seconds = options.time_limit
    found, _, optimal = solve_from(model, variables, sub, options, hint, seconds, False)
    return found, optimal


def sub_problem(
    problem: SchedulingProblem, schedule: Schedule, free: Sequence[int]
) -> SchedulingProblem:
    """The `free` tasks alone; the rest, fixed as `schedule` has it, reserves
    resources and limits the free tasks it is linked to."""
    index = {task: k for k, task in enumerate(free)}
    windows = [problem.windows[t] if problem.windows else TaskWindow() for t in free]
    precedences = []
    for link in problem.precedences:
        before, after = link.predecessor, link.successor
        if before in index and after in index:
            precedences.append(
                dataclasses.replace(
                    link, predecessor=index[before], successor=index[after]
                )
            )
        elif after in index:
            k = index[after]
            windows[k] = _after_fixed(problem, schedule, link, windows[k])
        elif before in index:
            k = index[before]
            windows[k] = _before_fixed(problem, schedule, link, windows[k])
    reserved = tuple(_reserved(problem, schedule, set(index)))
    latest = max(schedule.makespan, max((r[2] for r in reserved), default=0))
    return dataclasses.replace(
        problem,
        task_ids=tuple(problem.task_ids[t] for t in free),
        tasks=tuple(problem.tasks[t] for t in free),
        precedences=tuple(precedences),
        windows=tuple(windows),
        reserved=reserved,
        min_horizon=max(problem.min_horizon, latest),
    )


def _reserved(
    problem: SchedulingProblem, schedule: Schedule, free: set[int]
) -> list[tuple[int, int, int, int]]:
    """What the fixed tasks hold: named demands and assigned people."""
    taken = []
    for task, data in enumerate(problem.tasks):
        if task in free:
            continue
        start, finish = schedule.starts[task], schedule.finish(problem, task)
        taken += [(r, start, finish, units) for r, units in data.demands]
        taken += [(p, start, finish, 1) for p in schedule.assignees[task]]
    return taken


def _after_fixed(
    problem: SchedulingProblem,
    schedule: Schedule,
    link: PrecedenceData,
    window: TaskWindow,
) -> TaskWindow:
    """A fixed predecessor becomes an earliest start of the free successor
    (for FF/SF: start + duration >= the limit, which implies it)."""
    before = link.predecessor
    reference = (
        schedule.starts[before]
        if link.type in (DependencyType.SS, DependencyType.SF)
        else schedule.finish(problem, before)
    )
    earliest = reference + link.lag
    if link.type in (DependencyType.FF, DependencyType.SF):
        earliest -= problem.tasks[link.successor].duration
    release = max(window.release or 0, earliest)
    return dataclasses.replace(window, release=release)


def _before_fixed(
    problem: SchedulingProblem,
    schedule: Schedule,
    link: PrecedenceData,
    window: TaskWindow,
) -> TaskWindow:
    """A fixed successor becomes a deadline (FS, FF) or a latest start (SS, SF)
    of the free predecessor."""
    after = link.successor
    reference = (
        schedule.starts[after]
        if link.type in (DependencyType.FS, DependencyType.SS)
        else schedule.finish(problem, after)
    )
    limit = reference - link.lag
    if link.type in (DependencyType.FS, DependencyType.FF):
        deadline = limit if window.deadline is None else min(window.deadline, limit)
        return dataclasses.replace(window, deadline=deadline)
    latest = limit if window.pin_latest is None else min(window.pin_latest, limit)
    return dataclasses.replace(window, pin_latest=latest)


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
