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

import time

import numpy as np

from scheduler.plan.placement import Schedule
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.assignment import within_windows
from scheduler.search.goals import Goal
from scheduler.search.greedy import serial_schedule

HIGHEST_RANK = 10


def improve_order(
    problem: SchedulingProblem,
    goal: Goal,
    best: Schedule,
    end: float,
    rng: np.random.Generator,
    rankings: int | None = None,
) -> tuple[Schedule, int]:
    """Re-rank groups until `end` (time.perf_counter) or after `rankings`
    tries (a run that repeats); the best schedule and the number tried."""
    groups = [sorted(group) for group in goal.task_groups()]
    weights = goal.task_weights()
    if len(groups) < 2 or weights is None:
        return best, 0
    ranks = [weights[group[0]] if group else 0 for group in groups]
    value, tried = goal.value(best), 0
    while time.perf_counter() < end and (rankings is None or tried < rankings):
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


def _neighbour(ranks: list[int], rng: np.random.Generator) -> list[int]:
    """Two groups' ranks swapped, or one group's moved a step."""
    candidate = list(ranks)
    if rng.random() < 0.5:
        a, b = (int(k) for k in rng.choice(len(candidate), 2, replace=False))
        candidate[a], candidate[b] = candidate[b], candidate[a]
    else:
        a = int(rng.integers(len(candidate)))
        step = 1 if rng.random() < 0.5 else -1
        candidate[a] = min(max(candidate[a] + step, 0), HIGHEST_RANK)
    return candidate


def _task_ranks(
    problem: SchedulingProblem, groups: list[list[int]], ranks: list[int]
) -> list[int]:
    task_ranks = [0] * problem.num_tasks
    for group, rank in zip(groups, ranks, strict=True):
        for task in group:
            task_ranks[task] = rank
    return task_ranks
