"""The dynamic engine: people and equipment pick up work as it becomes ready.

A SimPy discrete-event run per sample. A task is released once every
predecessor has started (its dates are then known) at the time its
dependencies allow (FS/SS/FF/SF with lags, as in the committed engine). At
every instant something is released or finished, ready tasks are considered
in the plan's priority order (plan start, then finish) and each one whose
named resources (SimPy Containers) and enough free qualified people are
available starts; people are taken from the plan's assignees first. Nothing
holds a resource while waiting, so there is no deadlock. A task that does not
fit waits on the resources it lacks and is looked at again only when one of
them is put back, so a dispatch costs what is new, not the whole ready list.

Times are float32 values (a float64 holds every float32 difference exactly,
so SimPy's clock lands on them exactly); without contention the finishes are
bit-identical to the committed engine's longest path. A release can only
follow the predecessors' starts, so a negative lag (or an FF/SF bound)
that would start a task before its predecessor starts is not honoured here.
A sample's critical path is traced back from the last finish through what
each task waited for: the predecessor that set its release, or the task
whose finish freed what it needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import simpy
from numpy.typing import NDArray

from domain import DependencyType, Plan, Project
from simulation.network import start_floors

_FROM_FINISH = frozenset({DependencyType.FS, DependencyType.FF})
_TO_FINISH = frozenset({DependencyType.FF, DependencyType.SF})


@dataclass(frozen=True)
class Need:
    """What one task holds while it runs."""

    demands: tuple[tuple[str, float], ...]
    people: int
    qualified: tuple[str, ...]  # plan assignees first


@dataclass(frozen=True)
class Dispatch:
    """The static part of the dynamic engine: constraints, needs, priorities."""

    incoming: tuple[tuple[tuple[int, bool, bool, np.float32], ...], ...]
    successors: tuple[tuple[int, ...], ...]
    needs: tuple[Need, ...]
    priority: tuple[int, ...]  # rank of each task
    capacity: dict[str, int]
    floors: tuple[np.float32, ...]  # earliest start of each task (domain.timing)

    @classmethod
    def of(
        cls, project: Project, plan: Plan, constraints: Sequence[object]
    ) -> Dispatch:
        """Index the dependencies (simulation.network.Constraint) and the needs."""
        count = len(project.tasks)
        incoming: list[list[tuple[int, bool, bool, np.float32]]] = [
            [] for _ in range(count)
        ]
        successors: list[set[int]] = [set() for _ in range(count)]
        for edge in constraints:
            i, j = edge.predecessor, edge.successor  # type: ignore[attr-defined]
            kind = edge.type  # type: ignore[attr-defined]
            lag = np.float32(edge.lag)  # type: ignore[attr-defined]
            incoming[j].append((i, kind in _FROM_FINISH, kind in _TO_FINISH, lag))
            successors[i].add(j)
        scheduled = {s.task_id: s for s in plan.tasks}
        order = sorted(
            range(count),
            key=lambda t: (
                scheduled[project.tasks[t].id].start,
                scheduled[project.tasks[t].id].finish,
                t,
            ),
        )
        rank = [0] * count
        for position, task in enumerate(order):
            rank[task] = position
        capacity = {r.id: r.capacity for r in project.resources}
        needs = tuple(
            _need(project, task.id, scheduled[task.id].assignees, capacity)
            for task in project.tasks
        )
        return cls(
            incoming=tuple(tuple(links) for links in incoming),
            successors=tuple(tuple(sorted(s)) for s in successors),
            needs=needs,
            priority=tuple(rank),
            capacity=capacity,
            floors=tuple(np.float32(day) for day in start_floors(project)),
        )

    def run(
        self, durations: NDArray[np.float32]
    ) -> tuple[
        NDArray[np.float32], NDArray[np.float32], NDArray[np.float32], NDArray[np.bool_]
    ]:
        """Starts and finishes (tasks, samples), project durations, critical flags."""
        count, samples = durations.shape
        starts = np.zeros((count, samples), dtype=np.float32)
        finishes = np.zeros((count, samples), dtype=np.float32)
        critical = np.zeros((count, samples), dtype=bool)
        for column in range(samples):
            run = _Run(self, durations[:, column].astype(np.float32))
            run.env.run()
            starts[:, column] = run.start
            finishes[:, column] = run.finish
            critical[run.critical_path(), column] = True
        ends = finishes.max(axis=0, initial=np.float32(0))
        return starts, finishes, ends, critical


class _Run:
    """One sample's discrete-event run."""

    def __init__(self, dispatch: Dispatch, durations: NDArray[np.float32]) -> None:
        self.d = dispatch
        self.env = simpy.Environment()
        self.durations = durations
        count = len(durations)
        self.pools = {
            name: simpy.Container(self.env, capacity=cap, init=cap)
            for name, cap in dispatch.capacity.items()
        }
        self.start = np.zeros(count, dtype=np.float32)
        self.finish = np.zeros(count, dtype=np.float32)
        self.release = np.zeros(count, dtype=np.float32)
        self.waiting = [len({i for i, *_ in links}) for links in dispatch.incoming]
        self.driver = [-1] * count
        self.ready: list[int] = []  # released since the last dispatch
        self.blocked: dict[str, list[int]] = {}  # resource -> tasks short of it
        self.freed: set[str] = set()  # resources put back since the last dispatch
        self.started = [False] * count
        self.pending = False
        self.freed_by = -1
        for task in range(count):
            if self.waiting[task] == 0:
                self._release(task)

    def _release(self, task: int) -> None:
        """All predecessors started: compute the release time (never before the
        task's own earliest start) and wait for it."""
        start, driver = self.d.floors[task], -1
        for pred, from_finish, to_finish, lag in self.d.incoming[task]:
            other = self.finish[pred] if from_finish else self.start[pred]
            bound = np.float32(other + lag)
            if to_finish:
                bound = np.float32(bound - self.durations[task])
            if bound > start:
                start, driver = bound, pred
        self.release[task], self.driver[task] = start, driver
        self.env.process(self._wait_then_ready(task, start))

    def _wait_then_ready(
        self, task: int, at: np.float32
    ) -> simpy.events.ProcessGenerator:
        if at > self.env.now:
            yield self.env.timeout(float(at) - self.env.now)
        self.ready.append(task)
        self._request_dispatch()

    def _request_dispatch(self) -> None:
        if not self.pending:
            self.pending = True
            self.env.process(self._dispatch())

    def _dispatch(self) -> simpy.events.ProcessGenerator:
        """Start what fits, in priority order. Only tasks released since the
        last dispatch, or waiting on a resource put back since, can fit:
        every other waiting task lacks a resource that has only been taken
        since, so skipping it is what a full scan would do."""
        yield self.env.timeout(0)  # after every event of this instant
        self.pending = False
        now = np.float32(self.env.now)
        candidates = set(self.ready)
        for resource in self.freed:
            candidates.update(self.blocked.pop(resource, ()))
        self.ready, self.freed = [], set()
        for task in sorted(candidates, key=self.d.priority.__getitem__):
            if self.started[task]:
                continue
            need = self.d.needs[task]
            people = self._free_people(need)
            short = self._short(need, people is None)
            if people is None or short:  # with nothing short, it never fits
                for resource in short:
                    self.blocked.setdefault(resource, []).append(task)
                continue
            self._start(task, now, people)

    def _short(self, need: Need, people_short: bool) -> list[str]:
        """Resources whose return could let the task start (none: it fits)."""
        short = [r for r, units in need.demands if self.pools[r].level < units]
        if people_short:
            short += [p for p in need.qualified if self.pools[p].level < 1]
        return short

    def _free_people(self, need: Need) -> list[str] | None:
        free = [p for p in need.qualified if self.pools[p].level >= 1][: need.people]
        return free if len(free) == need.people else None

    def _start(self, task: int, now: np.float32, people: list[str]) -> None:
        if now > self.release[task]:
            self.driver[task] = self.freed_by
        self.started[task] = True
        self.start[task] = now
        self.finish[task] = np.float32(now + self.durations[task])
        held = [*self.d.needs[task].demands, *((p, 1) for p in people)]
        for resource, units in held:
            self.pools[resource].get(units)
        for successor in self.d.successors[task]:
            self.waiting[successor] -= 1
            if self.waiting[successor] == 0:
                self._release(successor)
        self.env.process(self._work(task, held))

    def _work(
        self, task: int, held: list[tuple[str, float]]
    ) -> simpy.events.ProcessGenerator:
        yield self.env.timeout(float(self.finish[task]) - self.env.now)
        for resource, units in held:
            self.pools[resource].put(units)
            self.freed.add(resource)
        self.freed_by = task
        self._request_dispatch()

    def critical_path(self) -> list[int]:
        """Back from the last finish through what each task waited for."""
        if not len(self.finish):
            return []
        path, task = [], int(np.argmax(self.finish))
        while task >= 0 and task not in path:
            path.append(task)
            task = self.driver[task]
        return path


def _need(
    project: Project,
    task_id: str,
    assignees: tuple[str, ...],
    capacity: dict[str, int],
) -> Need:
    """Named demands, and people: qualified ones, the plan's assignees first."""
    task = project.task(task_id)
    if task.skills:
        others = [r.id for r in project.qualified_people(task) if r.id not in assignees]
        qualified = (*assignees, *others)
        people = task.people
    else:
        qualified, people = tuple(assignees), len(assignees)
    for person in qualified:
        capacity.setdefault(person, 1)
    return Need(tuple(task.demands.items()), people, tuple(qualified))
