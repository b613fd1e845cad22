"""Total float and criticality of each task in a resource-feasible schedule.

The plan's network is its dependencies plus one finish-to-start edge from i to
j whenever i and j share a resource that can bind (its users' total demand
exceeds the capacity) and the plan finishes i no later than it starts j.
Keeping every such order keeps the plan within capacity when a task slips:
tasks that overlap after a slip overlapped in the plan, pairwise intervals
that intersect share a common day (Helly), and on that day the plan fit.

A task's latest start is the longest-path bound back from the plan's finish
over this network, and no later than its own limits allow (a pin's latest
start, its deadline); its total float is latest start minus planned start (a
task already started floats by how far its finish may slip). A task with no
float is critical: one day's delay moves the project's finish or breaks a
limit (as a "must start on" task has no float in other planning tools).
"""

from __future__ import annotations

import bisect
from collections import defaultdict

from scheduler.problem.instance import SchedulingProblem


def total_floats(
    problem: SchedulingProblem,
    starts: tuple[int, ...],
    assignees: tuple[tuple[int, ...], ...],
    finishes: tuple[int, ...] = (),
    finish_limits: tuple[int, ...] = (),
) -> list[int]:
    """Days each task may slip without moving the plan's finish (a task that
    pauses over days off counts with its elapsed span). `finish_limits`
    (per task) replace the plan's finish: a portfolio's project may keep its
    own finish, not the latest of all."""
    durations = [task.duration for task in problem.tasks]
    if finishes:
        durations = [f - s for s, f in zip(starts, finishes, strict=True)]
    finish = max((s + d for s, d in zip(starts, durations, strict=True)), default=0)
    limits = finish_limits or (finish,) * len(durations)
    latest = [
        min([limits[task] - duration, *_own_latest(problem, task, duration)])
        for task, duration in enumerate(durations)
    ]
    users = binding_users(problem, assignees)

    def sequences(values: list[int]) -> bool:
        return _relax_sequences(values, users, starts, durations)

    relaxed = problem.longest_paths(latest, True, extra=sequences, spans=durations)
    latest = relaxed.values
    return [max(late - start, 0) for late, start in zip(latest, starts, strict=True)]


def _own_latest(problem: SchedulingProblem, task: int, span: int) -> list[int]:
    """The latest starts the task's own window allows (deadline, pin)."""
    if not problem.windows:
        return []
    window = problem.windows[task]
    limits = [window.pin_latest]
    if window.deadline is not None:
        limits.append(window.deadline - span)
    return [limit for limit in limits if limit is not None]


def _relax_sequences(
    latest: list[int],
    users: list[list[int]],
    starts: tuple[int, ...],
    durations: list[int],
) -> bool:
    """Each user of a resource finishes before the least latest start among the
    users the plan starts at or after its finish (suffix minima by start)."""
    changed = False
    for tasks in users:
        ordered = sorted(tasks, key=starts.__getitem__)
        order_starts = [starts[t] for t in ordered]
        suffix = [0] * (len(ordered) + 1)
        suffix[-1] = 1 << 60
        for position in range(len(ordered) - 1, -1, -1):
            suffix[position] = min(suffix[position + 1], latest[ordered[position]])
        for task in tasks:
            after = bisect.bisect_left(order_starts, starts[task] + durations[task])
            bound = suffix[after] - durations[task]
            if bound < latest[task]:
                latest[task] = bound
                changed = True
    return changed


def binding_users(
    problem: SchedulingProblem, assignees: tuple[tuple[int, ...], ...]
) -> list[list[int]]:
    """Per resource that can bind, the tasks of positive length using it.

    A resource binds when its users' total demand exceeds its capacity; the
    others can never be overloaded, so no order between their users matters.
    """
    demand: dict[int, dict[int, int]] = defaultdict(dict)
    for task, data in enumerate(problem.tasks):
        if data.duration == 0:
            continue
        for resource, units in data.demands:
            demand[resource][task] = units
        for person in assignees[task] if assignees else ():
            demand[person][task] = demand[person].get(task, 0) + 1
    return [
        sorted(tasks)
        for resource, tasks in sorted(demand.items())
        if sum(tasks.values()) > problem.capacities[resource]
    ]
