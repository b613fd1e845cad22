"""Resource usage per day, and placing one task at its earliest fitting start.

`Placement` keeps, per resource and day, the units held by the tasks placed so
far (plus time reserved for work outside the problem), and finds for a task
the first start at which its equipment, enough free qualified people and its
break windows allow it to run (work pausing over people's days off). The
greedy plan (scheduler.search.greedy) fills it task by task; a finished
schedule's tasks move one at a time in `scheduler.plan.shifting`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from domain import DependencyType
from scheduler.plan.schedule import Schedule
from scheduler.problem.instance import SchedulingProblem

Mask = npt.NDArray[np.bool_]
Ends = npt.NDArray[np.int64]
Option = tuple[tuple[int, ...], Ends, Mask, list[Mask]]


class Placement:
    """Resource usage per day, filled task by task."""

    def __init__(self, problem: SchedulingProblem) -> None:
        self.problem = problem
        longest = max((task.duration for task in problem.tasks), default=0)
        self.length = problem.horizon + longest + 1
        self.capacity = np.array(problem.capacities, dtype=np.int64)
        self.usage = np.zeros((problem.num_resources, self.length), dtype=np.int64)
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
            ends = self._ends(index, (), offsets)
            if not task.splittable:
                window &= ends - offsets == task.duration
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
        ends = self._ends(index, (), offsets)
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
        """The first start the task's window and placed predecessors allow."""
        start_floor, end_floor = self._floors(index)
        return max(start_floor, end_floor - self.problem.tasks[index].duration)

    def _floors(self, index: int) -> tuple[int, int]:
        """Least start and least (elapsed) end that the task's window and its
        placed predecessors allow (FS/SS bound the start, FF/SF the end)."""
        windows = self.problem.windows
        start_floor = windows[index].earliest if windows else 0
        end_floor = 0
        for precedence_index in self.incoming[index]:
            precedence = self.problem.precedences[precedence_index]
            before = precedence.predecessor
            reference = (
                self.finishes[before]
                if precedence.type in (DependencyType.FS, DependencyType.FF)
                else self.starts[before]
            )
            if precedence.type in (DependencyType.FS, DependencyType.SS):
                start_floor = max(start_floor, reference + precedence.lag)
            else:
                end_floor = max(end_floor, reference + precedence.lag)
        return start_floor, end_floor

    def _ends(self, index: int, team: tuple[int, ...], offsets: Ends) -> Ends:
        """Elapsed end of the task started at each offset by `team` (over
        their days off, its demanded resources' and its own calendar's)."""
        task = self.problem.tasks[index]
        duration = task.duration
        table = self.problem.spans.ends(self.problem.work_team(index, team), duration)
        if table is None:  # nobody on it has days off: the common case
            return offsets + duration
        inside = offsets < len(table)
        picked = table[np.minimum(offsets, len(table) - 1)]
        return np.where(inside, picked, self.length + 1)

    def _demands_fit(self, index: int, offsets: Ends, ends: Ends) -> Mask:
        fits = np.ones(len(offsets), dtype=bool)
        for resource, units in self.problem.tasks[index].demands:
            fits &= self._free(resource, units, offsets, ends)
        return fits

    def _free(
        self,
        resource: int,
        units: int,
        offsets: Ends,
        ends: Ends,
    ) -> Mask:
        """Whether `units` more of `resource` fit on every day of [offset,
        end), per offset (days off are left out by `_ends`: work starts on a
        day all its resources work and pauses over their days off)."""
        low = int(offsets[0])
        high = min(max(int(ends.max()), low + 1), self.length)
        bad = self.usage[resource, low:high] + units > self.capacity[resource]
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
        self._hold(index, start, finish, people, 1)
        for person in task.candidates:
            self.demand[person] -= task.duration * task.people / len(task.candidates)
        self.starts[index] = start
        self.finishes[index] = finish
        self.assignees[index] = people

    def _hold(
        self, index: int, start: int, finish: int, people: tuple[int, ...], sign: int
    ) -> None:
        """Add (`sign` 1) or take away (-1) the task's units over [start, finish)."""
        for resource, units in self.problem.tasks[index].demands:
            self.usage[resource, start:finish] += sign * units
        for person in people:
            self.usage[person, start:finish] += sign
