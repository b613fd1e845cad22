"""A finished schedule in resource profiles, its tasks moved one at a time.

`Shifting` loads every task where a schedule has it, then moves one task at
a time with its people kept: to its first fitting start earlier (the left
shift, `scheduler.plan.leftshift`) or as late as it still fits (the right
shift, `scheduler.plan.rightshift`), by the same fitting rules as placing it
(`scheduler.plan.placement`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scheduler.plan.placement import Ends, Mask, Placement
from scheduler.plan.schedule import Schedule


class Shifting(Placement):
    """A schedule's resource usage per day, its tasks moved one at a time."""

    def load(self, schedule: Schedule) -> None:
        """Place every task where `schedule` has it."""
        for index, start in enumerate(schedule.starts):
            finish = schedule.finish(self.problem, index)
            self._hold(index, start, finish, schedule.assignees[index], 1)
            self.starts[index], self.finishes[index] = start, finish
            self.assignees[index] = schedule.assignees[index]

    def shift_left(self, index: int, floor: int) -> bool:
        """Move a placed task to its first fitting start at or after `floor`,
        its window and its predecessors, keeping its people; False when no
        earlier start fits (it then stays where it was)."""
        start, finish = self.starts[index], self.finishes[index]
        team = self.assignees[index]
        start_floor, end_floor = self._floors(index)
        earliest = max(start_floor, floor, 0)
        if earliest >= start:
            return False
        self._hold(index, start, finish, team, -1)
        offsets = np.arange(earliest, start, dtype=np.int64)
        ends, fits = self._fixed_team_fits(index, team, offsets)
        hits = np.flatnonzero(fits & (ends >= end_floor))
        if hits.size == 0:
            self._hold(index, start, finish, team, 1)
            return False
        hit = int(hits[0])
        self._hold(index, int(offsets[hit]), int(ends[hit]), team, 1)
        self.starts[index], self.finishes[index] = int(offsets[hit]), int(ends[hit])
        return True

    def shift_right(self, index: int, fits_after: Callable[[Ends, Ends], Mask]) -> bool:
        """Move a placed task, its people kept, to the next day it may work
        after its start, and on while that next day still fits (its
        resources, and `fits_after(starts, ends)`: the caller's rules on its
        successors and window); False when the next one does not."""
        start, finish = self.starts[index], self.finishes[index]
        team = self.assignees[index]
        if start + 1 >= self.length:
            return False
        self._hold(index, start, finish, team, -1)
        offsets = np.arange(start + 1, self.length - 1, dtype=np.int64)
        ends, fits = self._fixed_team_fits(index, team, offsets)
        works = ends < self.length  # a day off of its team or calendar: no start
        fits &= fits_after(offsets, ends)
        blocked = np.flatnonzero(works & ~fits)
        last = int(blocked[0]) if blocked.size else len(offsets)
        chosen = np.flatnonzero(works[:last] & fits[:last])
        if chosen.size == 0:
            self._hold(index, start, finish, team, 1)
            return False
        hit = int(chosen[-1])
        self._hold(index, int(offsets[hit]), int(ends[hit]), team, 1)
        self.starts[index], self.finishes[index] = int(offsets[hit]), int(ends[hit])
        return True

    def _fixed_team_fits(
        self, index: int, team: tuple[int, ...], offsets: Ends
    ) -> tuple[Ends, Mask]:
        """Ends, and whether the task fits, at each offset with `team`."""
        task = self.problem.tasks[index]
        earliest, span = int(offsets[0]), len(offsets)
        fits = self._window_mask(task.duration, task.splittable, earliest, span)
        pauses = bool(team) and bool(self.problem.teams(index))
        ends = self._ends(index, team if pauses else (), offsets)
        fits = fits & self._demands_fit(index, offsets, ends)
        for person in team:
            fits &= self._free(person, 1, offsets, ends)
            if not pauses:  # a task that may not pause: every day worked
                fits &= self._ends(index, (person,), offsets) == ends
        if not task.splittable:
            fits &= ends - offsets == task.duration
        return ends, fits
