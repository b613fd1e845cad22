"""Search over the order of groups (projects) that the greedy plan follows.

The greedy plan (`greedy.serial_schedule`) places tasks by rank, then by path
length; in a portfolio each task ranks by its project's priority. This search
changes the ranks of whole projects - swaps two, or moves one a step up or
down - decodes each ranking with the greedy plan and keeps it when the
objective is no worse. It trades projects' places in the queue for shared
people (a deadline close at hand may beat a higher priority with slack),
which re-planning a few projects at a time cannot do.
"""

from __future__ import annotations

import random
import time

from scheduler.plan.placement import Schedule
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.assignment import Objective, within_windows
from scheduler.search.greedy import serial_schedule

HIGHEST_RANK = 10


def improve_order(
    problem: SchedulingProblem,
    goal: Objective,
    best: Schedule,
    end: float,
    rng: random.Random,
) -> tuple[Schedule, int]:
    """Re-rank groups until `end` (monotonic seconds); the best schedule and
    the number of rankings tried."""
    groups = [sorted(group) for group in goal.task_groups()]
    weights = goal.task_weights()
    if len(groups) < 2 or weights is None:
        return best, 0
    ranks = [weights[group[0]] if group else 0 for group in groups]
    value, tried = goal.value(best), 0
    while time.monotonic() < end:
        tried += 1
        candidate = _neighbour(ranks, rng)
        found = serial_schedule(
            problem, weights=_task_ranks(problem, groups, candidate)
        )
        if found is None or not within_windows(problem, found):
            continue
        if goal.value(found) <= value:
            best, ranks, value = found, candidate, goal.value(found)
    return best, tried


def _neighbour(ranks: list[int], rng: random.Random) -> list[int]:
    """Two groups' ranks swapped, or one group's moved a step."""
    candidate = list(ranks)
    if rng.random() < 0.5:
        a, b = rng.sample(range(len(candidate)), 2)
        candidate[a], candidate[b] = candidate[b], candidate[a]
    else:
        a = rng.randrange(len(candidate))
        candidate[a] = min(max(candidate[a] + rng.choice((-1, 1)), 0), HIGHEST_RANK)
    return candidate


def _task_ranks(
    problem: SchedulingProblem, groups: list[list[int]], ranks: list[int]
) -> list[int]:
    task_ranks = [0] * problem.num_tasks
    for group, rank in zip(groups, ranks, strict=True):
        for task in group:
            task_ranks[task] = rank
    return task_ranks
