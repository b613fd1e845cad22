"""Left-justify a schedule: every task as early as the others let it start.

A solver stops once its objective is met, so a task with slack may sit
anywhere in it (a 4-day task linked SS+4 to a 10-day one at day 6 instead of
day 4). The left shift takes the tasks in order of start and moves each to
the first day its window, its predecessors, its equipment and its people
(kept as they are) allow, given every other task where it is; it repeats
until no task moves. The sum of starts falls with every move, so it ends,
and then no task can start a day earlier with the others fixed (the
validator's `movable_tasks` checks that). No objective term gets worse: no
finish is later, no one's assigned days change. A task may be held at or
after a `floor` (e.g. its previous start, where stability is weighted), and
with people's load limits the tasks that end the plan stay (a shorter span
would tighten `max_load`).
"""

from __future__ import annotations

from collections.abc import Mapping

from scheduler.plan.schedule import Schedule
from scheduler.plan.shifting import Shifting
from scheduler.problem.instance import SchedulingProblem


def left_shift(
    problem: SchedulingProblem,
    schedule: Schedule,
    floors: Mapping[int, int] | None = None,
) -> Schedule:
    """The schedule with every task moved as early as the others allow."""
    floors = dict(floors or {})
    if any(limit is not None for limit in problem.workforce.max_load_percent):
        for task in range(problem.num_tasks):
            if schedule.finish(problem, task) == schedule.makespan:
                floors[task] = schedule.starts[task]
    placement = Shifting(problem)
    placement.load(schedule)
    moved = True
    while moved:
        moved = False
        for task in sorted(range(problem.num_tasks), key=placement.starts.__getitem__):
            moved |= placement.shift_left(task, floors.get(task, 0))
    return placement.schedule()


def stability_floors(
    starts: tuple[int, ...], previous: Mapping[int, int]
) -> dict[int, int]:
    """Floors that keep each task's distance to its previous start: a task at
    or before its previous start stays, a later one moves back to it at most."""
    return {task: min(starts[task], before) for task, before in previous.items()}
