"""Resource-sequence edges: keep the plan's order on every shared resource.

The Monte Carlo network is the project's dependencies plus one finish-to-start
edge (lag 0) from task i to task j whenever i and j use a common resource and
the plan finishes i no later than it starts j. A resource is a named demand
(`Task.demands`) or a person assigned in the plan (`ScheduledTask.assignees`,
one unit each).

Why this keeps every sample within capacity: durations are never negative, so
every pair the plan ordered on a resource stays ordered in every sample. Tasks
that overlap in a sample were therefore unordered in the plan: their plan
intervals [start, finish) intersected. Tasks running together at one instant
of a sample pairwise intersected in the plan and, by the Helly property of
intervals on a line, shared a common instant of the plan, where the plan kept
their total demand within capacity; so their demand fits in the sample too.
Caveat: a task the plan gives zero length holds nothing there, so if it lasts
longer in a sample its use of a resource is not covered by this argument.

Edges implied by others on the same resource are pruned (a transitive
reduction per resource), and resources whose users' total demand fits the
capacity get no edges at all since they can never bind.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from numpy.typing import NDArray

from domain import Plan, Project

Usage = dict[str, dict[int, float]]

_COLUMN_BLOCK = 256  # bounds the (users x block) matrices on busy resources


def sequence_edges(project: Project, plan: Plan) -> list[tuple[int, int]]:
    """(predecessor, successor) task indices that keep the plan's resource order."""
    starts, finishes = plan_intervals(project, plan)
    edges: list[tuple[int, int]] = []
    for resource_id, units in sorted(resource_usage(project, plan).items()):
        if sum(units.values()) <= _capacity(project, resource_id):
            continue
        users = np.fromiter(sorted(units), dtype=np.intp)
        for before, after in reduced_order(starts[users], finishes[users]):
            edges.append((int(users[before]), int(users[after])))
    return edges


def plan_intervals(
    project: Project, plan: Plan
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Planned start and finish per task, indexed like `project.tasks`."""
    starts = np.zeros(len(project.tasks))
    finishes = np.zeros(len(project.tasks))
    for scheduled in plan.tasks:
        index = project.task_index[scheduled.task_id]
        starts[index], finishes[index] = scheduled.start, scheduled.finish
    return starts, finishes


def resource_usage(project: Project, plan: Plan) -> Usage:
    """Units of each resource per task index: named demands and assigned people."""
    usage: Usage = defaultdict(dict)
    for index, task in enumerate(project.tasks):
        for resource_id, units in task.demands.items():
            if units > 0:
                usage[resource_id][index] = units
    for scheduled in plan.tasks:
        index = project.task_index[scheduled.task_id]
        for person in scheduled.assignees:
            usage[person][index] = max(usage[person].get(index, 0), 1)
    return usage


def reduced_order(
    starts: NDArray[np.float64], finishes: NDArray[np.float64]
) -> list[tuple[int, int]]:
    """Transitive reduction of the plan order among the users of one resource.

    i precedes j when finish_i <= start_j, ties between zero-length tasks at
    the same instant broken by (start, finish, position) so the order has no
    cycles. j keeps edges from the predecessors finishing after the latest
    start among its predecessors, plus from its last predecessor by rank;
    every other predecessor reaches j through one of those.
    """
    count = len(starts)
    rank = np.empty(count, dtype=np.intp)
    rank[np.lexsort((np.arange(count), finishes, starts))] = np.arange(count)
    edges: list[tuple[int, int]] = []
    for first in range(0, count, _COLUMN_BLOCK):
        columns = np.arange(first, min(first + _COLUMN_BLOCK, count))
        precedes = (finishes[:, None] <= starts[None, columns]) & (
            rank[:, None] < rank[None, columns]
        )
        latest_start = np.where(precedes, starts[:, None], -np.inf).max(axis=0)
        keep = precedes & (finishes[:, None] > latest_start[None, :])
        has_any = precedes.any(axis=0)
        last = np.where(precedes, rank[:, None], -1).argmax(axis=0)
        keep[last[has_any], np.flatnonzero(has_any)] = True
        rows, cols = np.nonzero(keep)
        edges.extend(zip(rows.tolist(), columns[cols].tolist(), strict=True))
    return edges


def _capacity(project: Project, resource_id: str) -> int:
    """A named resource's capacity; a person not listed as a resource has 1."""
    if resource_id in project.resource_index:
        return project.resource(resource_id).capacity
    return 1
