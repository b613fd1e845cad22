"""The precedence network a sample runs on, and its forward and backward passes.

Times live in one array of shape (2 * tasks, samples): row t holds the start of
task t, row tasks + t its finish. Each constraint bounds one end of its
successor by one end of its predecessor plus a lag:

    FS: start_j  >= finish_i + lag      SS: start_j  >= start_i + lag
    FF: finish_j >= finish_i + lag      SF: finish_j >= start_i + lag

Tasks are grouped by depth (forward) or height (backward) in the constraint
graph; a level's tasks depend only on earlier levels, so each pass makes a few
NumPy calls per level for all tasks and samples of it. Times are float32:
half the memory traffic, with round-off far below a working day.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from domain import DependencyType, ValidationError

FloatArray = NDArray[np.float64]
Float32Array = NDArray[np.float32]
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
class Edges:
    """The constraints into (or out of) the tasks of one level, as a padded
    table: row k of `rows` lists task `tasks[k]`'s other ends (its first edge
    repeated to the level's widest degree), so a bound is a running maximum
    over a few columns; `where` is each task's position in its level."""

    rows: IndexArray  # (tasks with edges, degree)
    lags: Float32Array  # (tasks with edges, degree, 1)
    tasks: IndexArray
    where: IndexArray
    lagged: bool

    @classmethod
    def of(cls, pairs: list[tuple[int, int, float]], level: Sequence[int]) -> Edges:
        """Edges from (task, other row, lag) triples; `level` lists its tasks."""
        grouped: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for task, row, lag in pairs:
            grouped[task].append((row, lag))
        tasks = sorted(grouped)
        degree = max((len(edges) for edges in grouped.values()), default=0)
        padded = [
            grouped[t] + [grouped[t][0]] * (degree - len(grouped[t])) for t in tasks
        ]
        rows = np.array([[row for row, _ in e] for e in padded], dtype=np.intp)
        lags = np.array([[lag for _, lag in e] for e in padded], dtype=np.float32)
        position = {task: k for k, task in enumerate(level)}
        return cls(
            rows=rows.reshape(len(tasks), degree),
            lags=lags.reshape(len(tasks), degree, 1),
            tasks=np.array(tasks, dtype=np.intp),
            where=np.array([position[t] for t in tasks], dtype=np.intp),
            lagged=bool(np.any(lags != 0)),
        )

    def bound(self, times: Float32Array, sign: int) -> Float32Array:
        """Per task with edges: max of other + lag (sign 1) or min of other - lag."""
        best = None
        for column in range(self.rows.shape[1]):
            other = times[self.rows[:, column]]
            if self.lagged:
                other += sign * self.lags[:, column]
            if best is None:
                best = other
            elif sign > 0:
                np.maximum(best, other, out=best)
            else:
                np.minimum(best, other, out=best)
        assert best is not None
        return best


@dataclass(frozen=True)
class Level:
    """Tasks whose constraints all come from earlier levels (rows `span` of the
    internal order): their start-end and finish-end edges in one direction."""

    span: slice
    start: Edges
    finish: Edges


@dataclass(frozen=True)
class Network:
    """Tasks renumbered so each depth level is a contiguous block of rows, with
    incoming (forward) and outgoing (backward) edges per level: each pass makes
    a few NumPy calls per level, on views rather than copies.

    `position[t]` is task t's internal row; `permutation` the inverse map.
    """

    task_count: int
    order: tuple[int, ...]
    position: IndexArray
    permutation: IndexArray
    forward: tuple[Level, ...]
    backward: tuple[Level, ...]

    @classmethod
    def build(cls, names: Sequence[str], constraints: Sequence[Constraint]) -> Network:
        """Check the constraints are acyclic and index them for the passes.

        `names` are the task ids by index, used to report a cycle.
        """
        task_count = len(names)
        order = topological_order(names, constraints)
        depth = [0] * task_count
        has_start_edge = [False] * task_count
        successors: list[list[int]] = [[] for _ in range(task_count)]
        for edge in constraints:
            successors[edge.predecessor].append(edge.successor)
            has_start_edge[edge.successor] |= edge.type not in _TO_FINISH
        for task in order:
            for successor in successors[task]:
                depth[successor] = max(depth[successor], depth[task] + 1)
        # Within a level, tasks with start-end edges first: a contiguous prefix.
        permutation = np.array(
            sorted(
                range(task_count), key=lambda t: (depth[t], not has_start_edge[t], t)
            ),
            dtype=np.intp,
        )
        position = np.empty(task_count, dtype=np.intp)
        position[permutation] = np.arange(task_count)
        inner = [
            Constraint(
                int(position[e.predecessor]), int(position[e.successor]), e.type, e.lag
            )
            for e in constraints
        ]
        inner_depth = [depth[t] for t in permutation.tolist()]
        return cls(
            task_count=task_count,
            order=order,
            position=position,
            permutation=permutation,
            forward=_levels(task_count, inner, inner_depth, incoming=True),
            backward=_levels(task_count, inner, inner_depth, incoming=False)[::-1],
        )

    def earliest_times(self, durations: Float32Array) -> Float32Array:
        """Earliest start (rows 0..n-1) and finish (rows n..2n-1) per sample,
        in task order. Each task starts as soon as every constraint allows, and
        never before 0."""
        inner = self.forward_pass(self.to_inner(durations))
        return self._to_task_order(inner)

    def latest_times(
        self, durations: Float32Array, horizon: Float32Array
    ) -> Float32Array:
        """Latest start and finish per sample that still finish by `horizon`."""
        inner = self.backward_pass(self.to_inner(durations), horizon)
        return self._to_task_order(inner)

    def _to_task_order(self, inner: Float32Array) -> Float32Array:
        rows = np.concatenate([self.position, self.task_count + self.position])
        times: Float32Array = inner[rows]
        return times

    def to_inner(self, durations: Float32Array) -> Float32Array:
        """Durations in task order -> rows in the internal (level) order."""
        inner: Float32Array = durations.astype(np.float32, copy=False)[self.permutation]
        return inner

    def forward_pass(
        self, durations: Float32Array, out: Float32Array | None = None
    ) -> Float32Array:
        """Earliest times in the internal order, from internal-order durations
        (into `out`, of shape (2 * tasks, samples), when given)."""
        count, samples = durations.shape
        times = np.empty((2 * count, samples), np.float32) if out is None else out
        for level in self.forward:
            first, stop = level.span.start, level.span.stop
            start = times[first:stop]
            start.fill(0)
            _raise(start, level.start, times, None)
            _raise(start, level.finish, times, durations)
            np.add(
                start, durations[first:stop], out=times[count + first : count + stop]
            )
        return times

    def backward_pass(
        self, durations: Float32Array, horizon: Float32Array
    ) -> Float32Array:
        """Latest times in the internal order, from internal-order durations."""
        count, samples = durations.shape
        times = np.empty((2 * count, samples), dtype=np.float32)
        for level in self.backward:
            first, stop = level.span.start, level.span.stop
            finish = times[count + first : count + stop]
            finish[...] = horizon
            _lower(finish, level.finish, times)
            start = times[first:stop]
            np.subtract(finish, durations[first:stop], out=start)
            _lower(start, level.start, times)
            np.add(start, durations[first:stop], out=finish)
        return times


def _raise(
    start: Float32Array,
    edges: Edges,
    times: Float32Array,
    durations: Float32Array | None,
) -> None:
    """Raise the level's starts to the bounds of `edges` (minus the duration
    when the edges bound the finish end)."""
    if not edges.tasks.size:
        return
    bound = edges.bound(times, 1)
    if durations is not None:
        bound -= durations[edges.tasks]
    where = edges.where
    if where.size and where[-1] == where.size - 1:  # a prefix: use a view
        np.maximum(start[: where.size], bound, out=start[: where.size])
    else:
        start[where] = np.maximum(start[where], bound)


def _lower(values: Float32Array, edges: Edges, times: Float32Array) -> None:
    """Lower the level's finishes (or starts) to the bounds of `edges`."""
    if not edges.tasks.size:
        return
    bound = edges.bound(times, -1)
    where = edges.where
    if where.size and where[-1] == where.size - 1:
        np.minimum(values[: where.size], bound, out=values[: where.size])
    else:
        values[where] = np.minimum(values[where], bound)


def _levels(
    task_count: int,
    constraints: Sequence[Constraint],
    depth: Sequence[int],
    incoming: bool,
) -> tuple[Level, ...]:
    """Group tasks by `depth`; give each level its edges in the pass direction."""
    start_edges: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    finish_edges: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for edge in constraints:
        from_finish = edge.type in _FROM_FINISH
        to_finish = edge.type in _TO_FINISH
        source = edge.predecessor + task_count * from_finish
        target = edge.successor + task_count * to_finish
        if incoming:
            group = finish_edges if to_finish else start_edges
            group[depth[edge.successor]].append((edge.successor, source, edge.lag))
        else:
            group = finish_edges if from_finish else start_edges
            group[depth[edge.predecessor]].append((edge.predecessor, target, edge.lag))
    by_depth: dict[int, list[int]] = defaultdict(list)
    for task in range(task_count):
        by_depth[depth[task]].append(task)
    return tuple(
        Level(
            span=slice(by_depth[d][0], by_depth[d][-1] + 1),
            start=Edges.of(start_edges[d], by_depth[d]),
            finish=Edges.of(finish_edges[d], by_depth[d]),
        )
        for d in sorted(by_depth)
    )


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
