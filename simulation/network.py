"""The precedence network a sample runs on, and its forward and backward passes.

Times live in one array of shape (2 * tasks, samples): row t holds the start of
task t, row tasks + t its finish. Each constraint bounds one end of its
successor by one end of its predecessor plus a lag:

    FS: start_j  >= finish_i + lag      SS: start_j  >= start_i + lag
    FF: finish_j >= finish_i + lag      SF: finish_j >= start_i + lag

The topological order is computed once; each pass then visits the tasks in
that order and handles all samples of a chunk with a few NumPy operations.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from domain import DependencyType, ValidationError

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]

_FROM_FINISH = frozenset({DependencyType.FS, DependencyType.FF})
_TO_FINISH = frozenset({DependencyType.FF, DependencyType.SF})


@dataclass(frozen=True)
class Constraint:
    """One edge: `successor`'s start or finish waits for `predecessor`'s + lag."""

    predecessor: int
    successor: int
    type: DependencyType = DependencyType.FS
    lag: float = 0.0


@dataclass(frozen=True)
class Links:
    """Rows of the time array bounding one task's start and its finish."""

    start_rows: IndexArray
    start_lags: FloatArray  # shape (len(start_rows), 1), broadcast over samples
    finish_rows: IndexArray
    finish_lags: FloatArray

    @classmethod
    def of(
        cls, start: list[tuple[int, float]], finish: list[tuple[int, float]]
    ) -> Links:
        """Links from (row, lag) pairs for the start and for the finish end."""
        return cls(*_rows_and_lags(start), *_rows_and_lags(finish))


@dataclass(frozen=True)
class Network:
    """Tasks in topological order with their incoming and outgoing constraints."""

    task_count: int
    order: tuple[int, ...]
    incoming: tuple[Links, ...]
    outgoing: tuple[Links, ...]

    @classmethod
    def build(cls, names: Sequence[str], constraints: Sequence[Constraint]) -> Network:
        """Check the constraints are acyclic and index them for the passes.

        `names` are the task ids by index, used to report a cycle.
        """
        task_count = len(names)
        order = topological_order(names, constraints)
        incoming: list[tuple[list[tuple[int, float]], ...]] = [
            ([], []) for _ in range(task_count)
        ]
        outgoing: list[tuple[list[tuple[int, float]], ...]] = [
            ([], []) for _ in range(task_count)
        ]
        for edge in constraints:
            from_finish = edge.type in _FROM_FINISH
            to_finish = edge.type in _TO_FINISH
            source = edge.predecessor + task_count * from_finish
            target = edge.successor + task_count * to_finish
            incoming[edge.successor][to_finish].append((source, edge.lag))
            outgoing[edge.predecessor][from_finish].append((target, edge.lag))
        return cls(
            task_count=task_count,
            order=order,
            incoming=tuple(Links.of(*links) for links in incoming),
            outgoing=tuple(Links.of(*links) for links in outgoing),
        )

    def earliest_times(self, durations: FloatArray) -> FloatArray:
        """Earliest start (rows 0..n-1) and finish (rows n..2n-1) per sample.

        Each task starts as soon as every constraint allows, and never before 0.
        """
        count, samples = durations.shape
        times = np.empty((2 * count, samples))
        for task in self.order:
            links = self.incoming[task]
            start = np.zeros(samples)
            if links.start_rows.size:
                bound = (times[links.start_rows] + links.start_lags).max(axis=0)
                np.maximum(start, bound, out=start)
            if links.finish_rows.size:
                bound = (times[links.finish_rows] + links.finish_lags).max(axis=0)
                np.maximum(start, bound - durations[task], out=start)
            times[task] = start
            np.add(start, durations[task], out=times[count + task])
        return times

    def latest_times(self, durations: FloatArray, horizon: FloatArray) -> FloatArray:
        """Latest start and finish per sample that still finish by `horizon`."""
        count = durations.shape[0]
        times = np.empty((2 * count, durations.shape[1]))
        for task in reversed(self.order):
            links = self.outgoing[task]
            finish = horizon.copy()
            if links.finish_rows.size:
                bound = (times[links.finish_rows] - links.finish_lags).min(axis=0)
                np.minimum(finish, bound, out=finish)
            start = finish - durations[task]
            if links.start_rows.size:
                bound = (times[links.start_rows] - links.start_lags).min(axis=0)
                np.minimum(start, bound, out=start)
            times[task] = start
            np.add(start, durations[task], out=times[count + task])
        return times


def topological_order(
    names: Sequence[str], constraints: Iterable[Constraint]
) -> tuple[int, ...]:
    """Task indices with every predecessor before its successors.

    A cycle can only come from the plan's resource order running against a
    dependency (e.g. one with a negative lag), since `validate_project` rejects
    dependency cycles; the fixed order cannot then be kept in every sample.
    """
    task_count = len(names)
    successors: list[list[int]] = [[] for _ in range(task_count)]
    waiting = [0] * task_count
    for edge in constraints:
        successors[edge.predecessor].append(edge.successor)
        waiting[edge.successor] += 1
    ready = deque(task for task in range(task_count) if waiting[task] == 0)
    order: list[int] = []
    while ready:
        task = ready.popleft()
        order.append(task)
        for successor in successors[task]:
            waiting[successor] -= 1
            if waiting[successor] == 0:
                ready.append(successor)
    if len(order) < task_count:
        stuck = ", ".join(
            [names[task] for task in range(task_count) if waiting[task]][:10]
        )
        raise ValidationError.at(
            "plan",
            "the plan orders tasks on a shared resource against their "
            f"dependencies, so no sample can keep that order (around: {stuck})",
        )
    return tuple(order)


def _rows_and_lags(pairs: list[tuple[int, float]]) -> tuple[IndexArray, FloatArray]:
    rows = np.array([row for row, _ in pairs], dtype=np.intp)
    lags = np.array([lag for _, lag in pairs], dtype=np.float64).reshape(-1, 1)
    return rows, lags
