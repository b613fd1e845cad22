"""The sub-problem of some free tasks, the rest of a schedule fixed around them.

The fixed tasks are seen only as time `reserved` on the people and equipment
they hold, as release, deadline or latest-start limits on the free tasks
they are linked to, and (in a portfolio) as a floor under their project's
finish.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from domain import DependencyType
from scheduler.plan.schedule import Schedule
from scheduler.problem.data import PrecedenceData, ProjectGroup
from scheduler.problem.instance import SchedulingProblem
from scheduler.problem.windows import TaskWindow


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
        projects=_projects(problem, schedule, index),
    )


def _projects(
    problem: SchedulingProblem, schedule: Schedule, index: dict[int, int]
) -> tuple[ProjectGroup, ...]:
    """The projects with free tasks, by their index in the sub-problem; each
    finishes no earlier than its fixed tasks (the others are constant)."""
    projects = []
    for group in problem.projects:
        free = tuple(index[t] for t in group.tasks if t in index)
        if not free:
            continue
        fixed = [schedule.finish(problem, t) for t in group.tasks if t not in index]
        floor = max([group.floor, *fixed])
        projects.append(dataclasses.replace(group, tasks=free, floor=floor))
    return tuple(projects)


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
