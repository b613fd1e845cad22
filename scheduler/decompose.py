"""Large-neighbourhood search over sub-models, for portfolios of projects.

Re-solving the whole merged model (2,000 tasks) costs seconds per round even
with most of it pinned, so a minute holds few rounds. Here each round builds a
*sub-model* of a neighbourhood only: two whole projects (an urgent one and the
one sharing most people with it, or a random other), or a time window (the
`WINDOW_TASKS` tasks starting next from a random day, across projects). Every
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
from scheduler.constraints import build_model
from scheduler.greedy import Schedule
from scheduler.lns import (
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
from scheduler.options import SolveOptions
from scheduler.problem import PrecedenceData, SchedulingProblem
from scheduler.timing import add_time_limits
from scheduler.windows import TaskWindow

# Seconds one sub-model may take, at most; tasks in a time-window neighbourhood.
ROUND_SECONDS = 2.0
WINDOW_TASKS = 200


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
    """A greedy plan ranked by the goal's task weights, then `improve_by_groups`
    for the rest of `options.time_limit`. Small problems (the whole model is
    fast) and greedy plans that miss a deadline or a pin go to `lns.improve`."""
    staffed = sum(1 for task in problem.tasks if task.candidates)
    if staffed < LNS_MIN_TASKS:
        return improve(problem, options, Strategy(), goal)
    began = time.monotonic()
    end = began + options.time_limit
    greedy_end = began + GREEDY_SHARE * options.time_limit
    best = greedy_start(problem, Strategy(), goal, greedy_end)
    if best is None or not within_windows(problem, best):
        return improve(problem, options, Strategy(), goal)
    best, rounds = improve_by_groups(problem, options, goal, best, end)
    runtime = time.monotonic() - began
    return SearchOutcome(best, 0, False, rounds, runtime_seconds=runtime)


def improve_by_groups(
    problem: SchedulingProblem,
    options: SolveOptions,
    goal: GroupObjective,
    best: Schedule,
    end: float,
) -> tuple[Schedule, int]:
    """Re-plan one or two groups at a time until `end` (monotonic seconds);
    returns the best schedule and the number of rounds."""
    groups = [sorted(group) for group in goal.task_groups()]
    rng = random.Random(options.seed)
    rounds = 0
    while time.monotonic() + 0.2 < end and len(groups) > 1:
        rounds += 1
        if rng.random() < 0.5:
            chosen = _pick_groups(problem, goal, best, groups, rng)
            free = sorted(t for g in chosen for t in groups[g])
        else:
            free = _time_window(best, rng)
        seconds = min(ROUND_SECONDS, end - time.monotonic())
        sub_options = dataclasses.replace(
            options, time_limit=max(seconds, 0.05), seed=options.seed + rounds
        )
        found = _solve_free(problem, goal, best, free, sub_options)
        if found is not None:
            candidate = _merged(problem, best, free, found)
            if goal.value(candidate) <= goal.value(best):
                best = candidate
    return best, rounds


def _time_window(best: Schedule, rng: random.Random) -> list[int]:
    """The `WINDOW_TASKS` tasks that start next from a random task's start."""
    order = sorted(range(len(best.starts)), key=lambda t: best.starts[t])
    first = rng.randrange(max(len(order) - WINDOW_TASKS, 1))
    return sorted(order[first : first + WINDOW_TASKS])


def _pick_groups(
    problem: SchedulingProblem,
    goal: GroupObjective,
    best: Schedule,
    groups: list[list[int]],
    rng: random.Random,
) -> list[int]:
    """A group drawn by urgency, and the group sharing most people with it
    (half the time) or a random other one."""
    urgency = goal.group_urgency(best)
    first = rng.choices(range(len(groups)), weights=[u + 1 for u in urgency])[0]
    others = [g for g in range(len(groups)) if g != first]
    if rng.random() < 0.5:
        people = {p for t in groups[first] for p in best.assignees[t]}
        shared = [
            len(people & {p for t in groups[g] for p in best.assignees[t]})
            for g in others
        ]
        return [first, others[max(range(len(others)), key=lambda k: shared[k])]]
    return [first, rng.choice(others)]


def _solve_free(
    problem: SchedulingProblem,
    goal: GroupObjective,
    best: Schedule,
    free: list[int],
    options: SolveOptions,
) -> Schedule | None:
    """Solve the sub-model of the `free` tasks from the incumbent."""
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
    found, _, _ = solve_from(model, variables, sub, options, hint, seconds, False)
    return found


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
