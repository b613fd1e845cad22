"""A greedy plan: serial schedule generation with people chosen by scarcity.

Tasks are taken one at a time, among those whose predecessors are placed, in
order of priority (longest path to the end first); each starts at the earliest
day its precedences, its equipment, enough free qualified people and its break
windows allow (a one-person task: the person who finishes it first, since work
pauses over their days off). Among the people free then, those qualified for
the least remaining work are chosen, saving scarce experts for later.
The result warm-starts CP-SAT and seeds large-neighbourhood search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from domain import DependencyType
from scheduler.bounds import heads_and_tails
from scheduler.problem import SchedulingProblem

Mask = npt.NDArray[np.bool_]
Ends = npt.NDArray[np.int64]
Option = tuple[tuple[int, ...], Ends, Mask, list[Mask]]


@dataclass(frozen=True)
class Schedule:
    """Starts, assigned people (resource indices) and elapsed finishes per
    task (empty: start + duration), and makespan."""

    starts: tuple[int, ...]
    assignees: tuple[tuple[int, ...], ...]
    makespan: int
    finishes: tuple[int, ...] = ()

    def finish(self, problem: SchedulingProblem, task: int) -> int:
        if self.finishes:
            return self.finishes[task]
        return self.starts[task] + problem.tasks[task].duration


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
        # Equipment is not held on its days off; people pause over theirs.
        self.off = np.zeros((problem.num_resources, self.length), dtype=bool)
        for resource in range(problem.num_resources):
            for start, end in problem.workforce.blocked_of(resource):
                self.off[resource, start:end] = True
        for resource, start, end, units in problem.reserved:
            self.usage[resource, start:end] += units
        self.demand = np.zeros(problem.num_resources)
        for task in problem.tasks:
            for person in task.candidates:
                self.demand[person] += (
                    task.duration * task.people / len(task.candidates)
                )
        self.starts = [-1] * problem.num_tasks
        self.finishes = [-1] * problem.num_tasks
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
        offsets = np.arange(earliest, earliest + span, dtype=np.int64)
        window = self._window_mask(task.duration, task.splittable, earliest, span)
        if not task.candidates:
            ends = offsets + task.duration
            hits = np.flatnonzero(window & self._demands_fit(index, offsets, ends))
            if hits.size == 0:
                return False
            self._commit(index, int(offsets[hits[0]]), int(ends[hits[0]]), ())
            return True
        teams = self.problem.teams(index)
        if not teams:
            return self._place_team(index, offsets, [self._unpaused(index, offsets)])
        options = []
        for team in teams:
            ends = self._ends(index, team, offsets)
            fits = window & self._demands_fit(index, offsets, ends)
            if not task.splittable:
                fits &= ends - offsets == task.duration
            free = [self._free(p, 1, offsets, ends) for p in team]
            options.append((team, ends, fits, free))
        return self._place_team(index, offsets, options)

    def _unpaused(self, index: int, offsets: Ends) -> Option:
        """All candidates as one option of a task that may not pause: each is
        free and works every day of [start, start + duration)."""
        task = self.problem.tasks[index]
        earliest, span = int(offsets[0]), len(offsets)
        window = self._window_mask(task.duration, task.splittable, earliest, span)
        ends = offsets + task.duration
        fits = window & self._demands_fit(index, offsets, ends)
        free = [
            self._free(p, 1, offsets, ends) & (self._ends(index, (p,), offsets) == ends)
            for p in task.candidates
        ]
        return task.candidates, ends, fits, free

    def _place_team(self, index: int, offsets: Ends, options: list[Option]) -> bool:
        """The team that finishes first, then the least demanded, cheapest."""
        people = self.problem.tasks[index].people
        best: tuple[tuple[int, float, float], int, tuple[int, ...]] | None = None
        for team, ends, fits, free in options:
            able = fits & (np.sum(free, axis=0) >= people)
            hits = np.flatnonzero(able)
            if hits.size == 0:
                continue
            hit = int(hits[0])
            picked = sorted(
                (p for p, ok in zip(team, free, strict=True) if ok[hit]),
                key=lambda p: (self.demand[p], self._rate(p), p),
            )[:people]
            key = (
                int(ends[hit]),
                sum(self.demand[p] for p in picked),
                sum(self._rate(p) for p in picked),
            )
            if best is None or key < best[0]:
                best = key, hit, tuple(sorted(picked))
        if best is None:
            return False
        (finish, _, _), hit, chosen = best
        self._commit(index, int(offsets[hit]), finish, chosen)
        return True

    def schedule(self) -> Schedule:
        return Schedule(
            tuple(self.starts),
            tuple(self.assignees),
            max(self.finishes, default=0),
            tuple(self.finishes),
        )

    def _rate(self, person: int) -> float:
        rates = self.problem.workforce.cost_rates
        return rates[person] if person < len(rates) else 0.0

    def _earliest(self, index: int) -> int:
        windows = self.problem.windows
        earliest = windows[index].earliest if windows else 0
        for precedence_index in self.incoming[index]:
            precedence = self.problem.precedences[precedence_index]
            before = precedence.predecessor
            # The predecessor's elapsed span, which pausing may have stretched.
            stretch = self.finishes[before] - self.starts[before]
            stretch -= self.problem.tasks[before].duration
            if precedence.type in (DependencyType.FS, DependencyType.FF):
                stretch = max(stretch, 0)
            else:
                stretch = 0
            offset = self.problem.start_offset(precedence) + stretch
            earliest = max(earliest, self.starts[before] + offset)
        return earliest

    def _ends(self, index: int, team: tuple[int, ...], offsets: Ends) -> Ends:
        """Elapsed end of the task started at each offset by `team`."""
        duration = self.problem.tasks[index].duration
        table = self.problem.spans.ends(team, duration)
        if table is None:
            return offsets + duration
        inside = offsets < len(table)
        picked = table[np.minimum(offsets, len(table) - 1)]
        return np.where(inside, picked, self.length + 1)

    def _demands_fit(self, index: int, offsets: Ends, ends: Ends) -> Mask:
        fits = np.ones(len(offsets), dtype=bool)
        for resource, units in self.problem.tasks[index].demands:
            fits &= self._free(resource, units, offsets, ends, held=True)
        return fits

    def _free(
        self,
        resource: int,
        units: int,
        offsets: Ends,
        ends: Ends,
        held: bool = False,
    ) -> Mask:
        """Whether `units` more of `resource` fit on every day of [offset,
        end), per offset (`held`: equipment, never held on its days off)."""
        low = int(offsets[0])
        high = min(max(int(ends.max()), low + 1), self.length)
        bad = self.usage[resource, low:high] + units > self.capacity[resource]
        if held:
            bad |= self.off[resource, low:high]
        sums = np.concatenate(([0], np.cumsum(bad)))
        inside = ends <= high
        clipped = np.minimum(ends, high) - low
        return np.asarray(inside & (sums[clipped] - sums[offsets - low] == 0))

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

    def _commit(
        self, index: int, start: int, finish: int, people: tuple[int, ...]
    ) -> None:
        task = self.problem.tasks[index]
        for resource, units in task.demands:
            self.usage[resource, start:finish] += units
        for person in people:
            self.usage[person, start:finish] += 1
        for person in task.candidates:
            self.demand[person] -= task.duration * task.people / len(task.candidates)
        self.starts[index] = start
        self.finishes[index] = finish
        self.assignees[index] = people
