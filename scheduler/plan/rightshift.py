"""As late as possible: ALAP tasks moved right once the plan is left-justified.

A task with the ALAP constraint goes as late as it can without delaying any
successor or the plan's finish, every other task held where it is, its people
kept: it moves on to the next day it may work (its people's and its own
calendar's working days) while that day still keeps its dependencies, its
window (pin, deadline), the plan's finish and every resource's capacity
(`Shifting.shift_right`). ALAP tasks move latest first, so an ALAP
predecessor follows its ALAP successor, until none moves; then no ALAP task
can start on its next working day (the validator's `movable_tasks` checks
that, as it checks that every other task is left-justified).
"""

from __future__ import annotations

import numpy as np

from domain import DependencyType
from scheduler.plan.placement import Ends, Mask
from scheduler.plan.schedule import Schedule
from scheduler.plan.shifting import Shifting
from scheduler.problem.instance import SchedulingProblem


def right_shift(problem: SchedulingProblem, schedule: Schedule) -> Schedule:
    """The schedule with every ALAP task as late as the others allow."""
    late = [task for task, window in enumerate(problem.windows) if window.as_late]
    if not late:
        return schedule
    placement = Shifting(problem)
    placement.load(schedule)
    moved = True
    while moved:
        moved = False
        for task in sorted(late, key=placement.starts.__getitem__, reverse=True):
            rules = _Rules(problem, placement, task, schedule.makespan)
            moved |= placement.shift_right(task, rules)
    return placement.schedule()


class _Rules:
    """Whether the task at (start, end) keeps the plan's finish, its window
    and its dependencies on the others where they are."""

    def __init__(
        self,
        problem: SchedulingProblem,
        placement: Shifting,
        task: int,
        makespan: int,
    ) -> None:
        self.problem, self.placement = problem, placement
        self.task, self.makespan = task, makespan

    def __call__(self, starts: Ends, ends: Ends) -> Mask:
        keeps = ends <= self.makespan
        window = self.problem.windows[self.task]
        if window.pin_latest is not None:
            keeps &= starts <= window.pin_latest
        if window.deadline is not None:
            keeps &= ends <= window.deadline
        placed_starts, placed_ends = self.placement.starts, self.placement.finishes
        for precedence in self.problem.precedences:
            if self.task not in (precedence.predecessor, precedence.successor):
                continue
            if precedence.predecessor == precedence.successor:
                continue
            own_is_before = precedence.predecessor == self.task
            other = precedence.successor if own_is_before else precedence.predecessor
            keeps &= _holds(
                precedence.type,
                precedence.lag,
                own_is_before,
                (starts, ends),
                (placed_starts[other], placed_ends[other]),
            )
        return np.asarray(keeps)


def _holds(
    kind: DependencyType,
    lag: int,
    own_is_before: bool,
    own: tuple[Ends, Ends],
    other: tuple[int, int],
) -> Mask:
    """Whether the dependency holds for the task at each (start, end)."""
    before = own if own_is_before else other
    after = other if own_is_before else own
    match kind:
        case DependencyType.FS:
            return np.asarray(after[0] >= before[1] + lag)
        case DependencyType.SS:
            return np.asarray(after[0] >= before[0] + lag)
        case DependencyType.FF:
            return np.asarray(after[1] >= before[1] + lag)
        case DependencyType.SF:
            return np.asarray(after[1] >= before[0] + lag)
