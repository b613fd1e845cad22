"""Search over the order of groups (projects) that the greedy plan follows.

The greedy plan (`greedy.serial_schedule`) places tasks by rank, then by path
length; in a portfolio each task ranks by its project's priority. Re-ranking
is one kind of step of the one search driver (`scheduler.search.driver`):
a step changes the ranks of whole projects - swaps two, or moves one a step
up or down - and decodes the ranking with the greedy plan; the driver keeps
it when the objective is no worse, with its clock, generator and limits. It
trades projects' places in the queue for shared people (a deadline close at
hand may beat a higher priority with slack), which re-planning a few
projects at a time cannot do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scheduler.plan.schedule import Schedule
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.assignment import within_windows
from scheduler.search.driver import SearchLimits, Step, StepLimits, search
from scheduler.search.goals import Goal
from scheduler.search.greedy import serial_schedule
from scheduler.strategy import ORDER_SIZING

HIGHEST_RANK = 10


@dataclass(frozen=True)
class Ranked:
    """A schedule and the groups' ranks the greedy plan decoded it from."""

    schedule: Schedule
    ranks: tuple[int, ...]


def improve_order(
    problem: SchedulingProblem, goal: Goal, best: Schedule, limits: SearchLimits
) -> tuple[Schedule, int]:
    """Re-rank groups within `limits` (each ranking tried counts
    `ORDER_SIZING.step_work` of work); the best schedule and the number tried."""
    groups = [sorted(group) for group in goal.task_groups()]
    weights = goal.task_weights()
    if len(groups) < 2 or weights is None:
        return best, 0
    ranks = tuple(weights[group[0]] if group else 0 for group in groups)
    moves = OrderMoves(problem, goal, groups)
    report = search(moves, Ranked(best, ranks), limits, ORDER_SIZING)
    return report.incumbent.schedule, report.steps


class OrderMoves:
    """A step: two groups' ranks swapped, or one group's moved a step, and
    the ranking decoded by the greedy plan (nothing when it misses a window)."""

    def __init__(
        self, problem: SchedulingProblem, goal: Goal, groups: list[list[int]]
    ) -> None:
        self.problem, self.goal, self.groups = problem, goal, groups

    def value(self, incumbent: Ranked) -> float:
        return self.goal.value(incumbent.schedule)

    def step(
        self, incumbent: Ranked, size: int, rng: np.random.Generator, limits: StepLimits
    ) -> Step[Ranked]:
        ranks = _neighbour(list(incumbent.ranks), rng)
        weights = _task_ranks(self.problem, self.groups, ranks)
        found = serial_schedule(self.problem, weights=weights)
        work = ORDER_SIZING.step_work
        if found is None or not within_windows(self.problem, found):
            return Step(None, True, work)
        return Step(Ranked(found, tuple(ranks)), True, work)


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
