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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from domain import DependencyType, Project, ValidationError

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
    """The constraints into (or out of) some tasks of one level, grouped by
    that task, tasks by falling degree: `others[c]` and `lags[c]` are the c-th
    edge of each task having more than c, a prefix of `tasks`. A bound is then
    a running maximum over a few gathers, with no padding; `where` is each
    task's position in its level."""

    others: tuple[IndexArray, ...]
    lags: tuple[Float32Array, ...]  # each (tasks with a c-th edge, 1)
    tasks: IndexArray
    where: IndexArray
    lagged: bool
    prefix: bool  # `where` is 0, 1, ...: the bounds fit a view of the level

    @classmethod
    def of(cls, pairs: list[tuple[int, int, float]], level: Sequence[int]) -> Edges:
        """Edges from (task, other row, lag) triples; `level` lists its tasks."""
        grouped: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for task, row, lag in pairs:
            grouped[task].append((row, lag))
        position = {task: k for k, task in enumerate(level)}
        tasks = sorted(grouped, key=lambda t: (-len(grouped[t]), position[t]))
        degree = len(grouped[tasks[0]]) if tasks else 0
        columns = [
            [grouped[t][c] for t in tasks if len(grouped[t]) > c] for c in range(degree)
        ]
        lags = [np.array([lag for _, lag in col], np.float32) for col in columns]
        return cls(
            others=tuple(np.array([row for row, _ in col], np.intp) for col in columns),
            lags=tuple(lag.reshape(-1, 1) for lag in lags),
            tasks=np.array(tasks, dtype=np.intp),
            where=np.array([position[t] for t in tasks], dtype=np.intp),
            lagged=any(bool(np.any(lag != 0)) for lag in lags),
            prefix=[position[t] for t in tasks] == list(range(len(tasks))),
        )

    def bound(self, times: Float32Array, sign: int) -> Float32Array:
        """Per task with edges: max of other + lag (sign 1) or min of other - lag."""
        best = times[self.others[0]]
        if self.lagged:
            best += sign * self.lags[0]
        reduce = np.maximum if sign > 0 else np.minimum
        for others, lags in zip(self.others[1:], self.lags[1:], strict=True):
            other = times[others]
            if self.lagged:
                other += sign * lags
            reduce(best[: others.size], other, out=best[: others.size])
        return best


@dataclass(frozen=True)
class Level:
    """Tasks whose constraints all come from earlier levels: their start-end
    and finish-end edges in one direction (tasks with start-end edges first)."""

    tasks: IndexArray
    start: Edges
    finish: Edges


Visit = Callable[[IndexArray, Float32Array], None]


@dataclass(frozen=True)
class Network:
    """Tasks grouped by depth level, with incoming (forward) and outgoing
    (backward) edges per level: each pass makes a few NumPy calls per level
    for all its tasks and samples. Rows stay in task order."""

    task_count: int
    order: tuple[int, ...]
    forward: tuple[Level, ...]
    backward: tuple[Level, ...]
    floors: Float32Array | None = None  # earliest start per task; None: all 0

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
        task_count = len(names)
        order = topological_order(names, constraints)
        depth = [0] * task_count
        successors: list[list[int]] = [[] for _ in range(task_count)]
        for edge in constraints:
            successors[edge.predecessor].append(edge.successor)
        for task in order:
            for successor in successors[task]:
                depth[successor] = max(depth[successor], depth[task] + 1)
        return cls(
            task_count=task_count,
            order=order,
            forward=_levels(task_count, constraints, depth, incoming=True),
            backward=_levels(task_count, constraints, depth, incoming=False)[::-1],
            floors=np.array(floors, np.float32) if any(floors) else None,
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
        """Earliest times from float32 durations (into `out`, of shape
        (2 * tasks, samples), when given)."""
        count, samples = durations.shape
        times = np.empty((2 * count, samples), np.float32) if out is None else out
        for level in self.forward:
            start = np.zeros((level.tasks.size, samples), dtype=np.float32)
            if self.floors is not None:
                start += self.floors[level.tasks, None]
            _raise(start, level.start, times, None)
            _raise(start, level.finish, times, durations)
            times[level.tasks] = start
            start += durations[level.tasks]
            times[count + level.tasks] = start
        return times

    def backward_pass(
        self,
        durations: Float32Array,
        horizon: Float32Array,
        visit: Visit | None = None,
    ) -> Float32Array:
        """Latest times from float32 durations; `visit(tasks, latest_starts)`
        sees each level's latest starts as they are computed."""
        count, samples = durations.shape
        times = np.empty((2 * count, samples), dtype=np.float32)
        for level in self.backward:
            level_durations = durations[level.tasks]
            finish = np.empty((level.tasks.size, samples), dtype=np.float32)
            finish[...] = horizon
            _lower(finish, level.finish, times)
            start = np.subtract(finish, level_durations, out=finish)
            _lower(start, level.start, times)
            times[level.tasks] = start
            if visit is not None:
                visit(level.tasks, start)
            start += level_durations
            times[count + level.tasks] = start
        return times


def start_floors(project: Project) -> list[int]:
    """The day before which each task cannot start, in every sample: its
    release, its pin's earliest day, or the day it actually started."""
    return [
        task.timing.start_window(task.planned_duration)[0] for task in project.tasks
    ]


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
    if edges.prefix:
        np.maximum(start[: where.size], bound, out=start[: where.size])
    else:
        start[where] = np.maximum(start[where], bound)


def _lower(values: Float32Array, edges: Edges, times: Float32Array) -> None:
    """Lower the level's finishes (or starts) to the bounds of `edges`."""
    if not edges.tasks.size:
        return
    bound = edges.bound(times, -1)
    where = edges.where
    if edges.prefix:
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
    start_degree = [0] * task_count
    for edge in constraints:
        if incoming:
            start_degree[edge.successor] += edge.type not in _TO_FINISH
        else:
            start_degree[edge.predecessor] += edge.type not in _FROM_FINISH
    by_depth: dict[int, list[int]] = defaultdict(list)
    # Within a level, tasks with start-end edges first, by falling degree: the
    # order of their `Edges`, so those bound a prefix of the level's rows.
    for task in sorted(range(task_count), key=lambda t: -start_degree[t]):
        by_depth[depth[task]].append(task)
    return tuple(
        Level(
            tasks=np.array(by_depth[d], dtype=np.intp),
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
