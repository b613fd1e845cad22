"""A greedy plan: serial schedule generation with people chosen by scarcity.

Tasks are taken one at a time, among those whose predecessors are placed, in
order of priority (longest path to the end first); each starts at the earliest
day its precedences, its equipment, enough free qualified people, their blocked
days and its break windows allow. Among the people free then, those qualified
for the least remaining work are chosen, saving scarce experts for later.
The result warm-starts CP-SAT and seeds large-neighbourhood search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scheduler.bounds import heads_and_tails
from scheduler.problem import SchedulingProblem

Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Schedule:
    """Starts and assigned people (resource indices) per task, and makespan."""

    starts: tuple[int, ...]
    assignees: tuple[tuple[int, ...], ...]
    makespan: int


def serial_schedule(
    problem: SchedulingProblem,
    noise: float = 0.0,
    seed: int = 0,
    weights: Sequence[int] | None = None,
) -> Schedule | None:
    """The greedy plan; None when the precedences conflict or nothing fits.

    `noise` > 0 perturbs priorities (relative, seeded) for multi-start use.
    `weights` (e.g. project priorities) rank tasks first, the path second.
    """
    found = heads_and_tails(problem)
    if found is None:
        return None
    _, tails = found
    rng = np.random.default_rng(seed)
    longest = max(tails, default=0) + max(
        (t.duration for t in problem.tasks), default=0
    )
    rank = weights or [0] * problem.num_tasks
    priority = [
        rank[index] * (longest + 1) * (1 + noise)
        + (tail + task.duration) * (1 + noise * rng.random())
        for index, (tail, task) in enumerate(zip(tails, problem.tasks, strict=True))
    ]
    builder = _Builder(problem)
    for task in _priority_order(problem, priority):
        if not builder.place(task):
            return None
    return builder.schedule()


def _priority_order(problem: SchedulingProblem, priority: list[float]) -> list[int]:
    """A topological order taking the eligible task of highest priority first."""
    waiting = [0] * problem.num_tasks
    successors: list[list[int]] = [[] for _ in problem.tasks]
    for precedence in problem.precedences:
        waiting[precedence.successor] += 1
        successors[precedence.predecessor].append(precedence.successor)
    eligible = [t for t in range(problem.num_tasks) if waiting[t] == 0]
    order = []
    while eligible:
        best = max(eligible, key=lambda t: (priority[t], -t))
        eligible.remove(best)
        order.append(best)
        for successor in successors[best]:
            waiting[successor] -= 1
            if waiting[successor] == 0:
                eligible.append(successor)
    return order if len(order) == problem.num_tasks else []


class _Builder:
    """Resource usage per day, filled task by task."""

    def __init__(self, problem: SchedulingProblem) -> None:
        self.problem = problem
        longest = max((task.duration for task in problem.tasks), default=0)
        self.length = problem.horizon + longest + 1
        self.capacity = np.array(problem.capacities, dtype=np.int64)
        self.usage = np.zeros((problem.num_resources, self.length), dtype=np.int64)
        for resource in range(problem.num_resources):
            for start, end in problem.workforce.blocked_of(resource):
                self.usage[resource, start:end] = self.capacity[resource]
        self.demand = np.zeros(problem.num_resources)
        for task in problem.tasks:
            for person in task.candidates:
                self.demand[person] += (
                    task.duration * task.people / len(task.candidates)
                )
        self.starts = [-1] * problem.num_tasks
        self.assignees: list[tuple[int, ...]] = [()] * problem.num_tasks
        self.incoming: list[list[int]] = [[] for _ in problem.tasks]
        for index, precedence in enumerate(problem.precedences):
            self.incoming[precedence.successor].append(index)

    def place(self, index: int) -> bool:
        """Put task `index` at its earliest feasible start; False if none.

        Looks a short way ahead first and widens the look only when nothing
        fits, so long horizons stay cheap.
        """
        task = self.problem.tasks[index]
        earliest = self._earliest(index)
        room = self.length - task.duration - earliest
        span = min(4 * task.duration + 64, room)
        while span > 0:
            if self._place_within(index, earliest, span):
                return True
            if span == room:
                break
            span = min(4 * span, room)
        return False

    def _place_within(self, index: int, earliest: int, span: int) -> bool:
        """Place at the first start in [earliest, earliest + span) that fits."""
        task = self.problem.tasks[index]
        feasible = np.ones(span, dtype=bool)
        for resource, units in task.demands:
            feasible &= self._fits(resource, units, task.duration, earliest, span)
        people = [
            (p, self._fits(p, 1, task.duration, earliest, span))
            for p in task.candidates
        ]
        if people:
            free = np.sum([fits for _, fits in people], axis=0)
            feasible &= free >= task.people
        feasible &= self._window_mask(task.duration, task.splittable, earliest, span)
        hits = np.flatnonzero(feasible)
        if hits.size == 0:
            return False
        start = earliest + int(hits[0])
        chosen = sorted(
            (p for p, fits in people if fits[hits[0]]),
            key=lambda p: (self.demand[p], self._rate(p), p),
        )[: task.people]
        self._commit(index, start, tuple(sorted(chosen)))
        return True

    def schedule(self) -> Schedule:
        finishes = (
            s + t.duration for s, t in zip(self.starts, self.problem.tasks, strict=True)
        )
        return Schedule(
            tuple(self.starts), tuple(self.assignees), max(finishes, default=0)
        )

    def _rate(self, person: int) -> float:
        rates = self.problem.workforce.cost_rates
        return rates[person] if person < len(rates) else 0.0

    def _earliest(self, index: int) -> int:
        windows = self.problem.windows
        earliest = windows[index].earliest if windows else 0
        for precedence_index in self.incoming[index]:
            precedence = self.problem.precedences[precedence_index]
            before = self.starts[precedence.predecessor]
            earliest = max(earliest, before + self.problem.start_offset(precedence))
        return earliest

    def _fits(
        self, resource: int, units: int, duration: int, earliest: int, span: int
    ) -> Mask:
        """Starts s (offset from `earliest`) where `units` fit for `duration` days."""
        if duration == 0:
            return np.ones(span, dtype=bool)
        row = self.usage[resource, earliest : earliest + span + duration - 1]
        blocked = (row + units > self.capacity[resource]).astype(np.int64)
        sums = np.concatenate(([0], np.cumsum(blocked)))
        return np.asarray(sums[duration : duration + span] - sums[:span] == 0)

    def _window_mask(
        self, duration: int, splittable: bool, earliest: int, span: int
    ) -> Mask:
        if splittable or duration <= 1 or not self.problem.workforce.breaks:
            return np.ones(span, dtype=bool)
        mask = np.zeros(span, dtype=bool)
        horizon = self.length - 1
        for low, high in self.problem.workforce.allowed_starts(duration, horizon):
            mask[max(low - earliest, 0) : max(high - earliest + 1, 0)] = True
        return mask

    def _commit(self, index: int, start: int, people: tuple[int, ...]) -> None:
        task = self.problem.tasks[index]
        finish = start + task.duration
        for resource, units in task.demands:
            self.usage[resource, start:finish] += units
        for person in people:
            self.usage[person, start:finish] += 1
        for person in task.candidates:
            self.demand[person] -= task.duration * task.people / len(task.candidates)
        self.starts[index] = start
        self.assignees[index] = people
