"""The precedence network a sample runs on, and its forward and backward passes.

Times live in one array of shape (2 * tasks, samples): row t holds the start of
task t, row tasks + t its finish. Each constraint bounds one end of its
successor by one end of its predecessor plus a lag:

    FS: start_j  >= finish_i + lag      SS: start_j  >= start_i + lag
    FF: finish_j >= finish_i + lag      SF: finish_j >= start_i + lag

Each pass goes task by task in topological order (reversed for the latest
times) and makes a few NumPy calls per edge over all samples at once, in
place on rows of the times: no gathers, no copies. Times are float32: half
the memory traffic, with round-off far below a working day.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from domain import DependencyType, Project, ValidationError

Float32Array = NDArray[np.float32]

_FROM_FINISH = frozenset({DependencyType.FS, DependencyType.FF})
_TO_FINISH = frozenset({DependencyType.FF, DependencyType.SF})


@dataclass(frozen=True)
class Constraint:
    """One edge: `successor`'s start or finish waits for `predecessor`'s + lag."""

    predecessor: int
    successor: int
    type: DependencyType = DependencyType.FS
    lag: float = 0.0


Edge = tuple[int, np.float32, bool]  # the other end's row in the times, lag, flag


@dataclass(frozen=True)
class Network:
    """The constraints indexed for the passes: tasks in topological order,
    each with its incoming edges (row of the bounding time, lag, whether it
    bounds the finish) and outgoing edges (row of the bounded time, lag,
    whether it leaves from the finish). Rows of times stay in task order."""

    task_count: int
    order: tuple[int, ...]
    incoming: tuple[tuple[Edge, ...], ...]
    outgoing: tuple[tuple[Edge, ...], ...]
    floors: tuple[np.float32, ...]

    @classmethod
    def build(
        cls,
        names: Sequence[str],
        constraints: Sequence[Constraint],
        floors: Sequence[float] = (),
    ) -> Network:
        """Check the constraints are acyclic and index them for the passes.

        `names` are the task ids by index, used to report a cycle; `floors`
        the day before which each task cannot start (release, pin, actual
        start), if any.
        """
        count = len(names)
        incoming: list[list[Edge]] = [[] for _ in range(count)]
        outgoing: list[list[Edge]] = [[] for _ in range(count)]
        for edge in constraints:
            from_finish, to_finish = edge.type in _FROM_FINISH, edge.type in _TO_FINISH
            lag = np.float32(edge.lag)
            source = edge.predecessor + count * from_finish
            incoming[edge.successor].append((source, lag, to_finish))
            target = edge.successor + count * to_finish
            outgoing[edge.predecessor].append((target, lag, from_finish))
        return cls(
            task_count=count,
            order=topological_order(names, constraints),
            incoming=tuple(tuple(edges) for edges in incoming),
            outgoing=tuple(tuple(edges) for edges in outgoing),
            floors=tuple(np.float32(f) for f in (floors or [0.0] * count)),
        )

    def earliest_times(self, durations: Float32Array) -> Float32Array:
        """Earliest start (rows 0..n-1) and finish (rows n..2n-1) per sample.
        Each task starts as soon as every constraint allows, and never before
        its floor (0 without one)."""
        return self.forward_pass(durations.astype(np.float32, copy=False))

    def latest_times(
        self, durations: Float32Array, horizon: Float32Array
    ) -> Float32Array:
        """Latest start and finish per sample that still finish by `horizon`."""
        return self.backward_pass(durations.astype(np.float32, copy=False), horizon)

    def forward_pass(
        self, durations: Float32Array, out: Float32Array | None = None
    ) -> Float32Array:
        """Earliest times from float32 durations (tasks, samples), task by
        task in topological order (into `out`, (2 tasks, samples), if given)."""
        count, samples = durations.shape
        times = np.empty((2 * count, samples), np.float32) if out is None else out
        bound = np.empty(samples, np.float32)
        for task in self.order:
            start, length, floor = times[task], durations[task], self.floors[task]
            if not self.incoming[task]:
                start.fill(floor)
            for first, (row, lag, to_finish) in enumerate(self.incoming[task]):
                other = times[row]
                if lag or to_finish:
                    other = np.add(other, lag, out=bound)
                    if to_finish:
                        np.subtract(other, length, out=other)
                # max(floor, bounds...): the floor folded into the first bound
                np.maximum(start if first else floor, other, out=start)
            np.add(start, length, out=times[count + task])
        return times

    def backward_pass(
        self, durations: Float32Array, horizon: Float32Array
    ) -> Float32Array:
        """Latest times from float32 durations, task by task in reverse
        topological order."""
        count, samples = durations.shape
        times = np.empty((2 * count, samples), dtype=np.float32)
        bound = np.empty(samples, np.float32)
        for task in reversed(self.order):
            start, finish, length = times[task], times[count + task], durations[task]
            # min(horizon, bounds...) and min(bounds..., finish - length), each
            # bound folded in as it comes (no fill, no copy when one exists)
            finish_bounded = start_bounded = False
            for row, lag, from_finish in self.outgoing[task]:
                other = np.subtract(times[row], lag, out=bound) if lag else times[row]
                if from_finish:
                    np.minimum(finish if finish_bounded else horizon, other, out=finish)
                    finish_bounded = True
                elif start_bounded:
                    np.minimum(start, other, out=start)
                else:
                    np.copyto(start, other)
                    start_bounded = True
            if not finish_bounded:
                np.copyto(finish, horizon)
            if start_bounded:
                np.minimum(start, np.subtract(finish, length, out=bound), out=start)
            else:
                np.subtract(finish, length, out=start)
            np.add(start, length, out=finish)
        return times


def start_floors(project: Project) -> list[int]:
    """The day before which each task cannot start, in every sample: its
    release, its pin's earliest day, or the day it actually started."""
    return [
        task.timing.start_window(task.planned_duration)[0] for task in project.tasks
    ]


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
