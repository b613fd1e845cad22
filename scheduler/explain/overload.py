"""Which resource or group of people cannot do the work a conflict asks of it.

When dependencies alone would meet a deadline or pin, the resources are in
the way. Energy reasoning names one: every task has a window (earliest start
from dependencies and windows, latest finish back from the latest limits in
conflict); in any span [a, b) a task must do at least the part of its work
that cannot fall outside the span, whichever way it slides in its window. If
a resource's (or pool of people's) share of that work exceeds what it can do
in the span, no schedule exists, and the span, the work and the tasks say why:

    resource 'crane' (capacity 1) must do 10 days of work between day 0 and
    day 9 (tasks a, b), more than the 9 it has

People count one unit each; a resource's blocked days (calendar, absences)
take their units out of the room. Each task's share is a lower bound and the
room an upper one, so a reported overload is always real; energy cannot show
every conflict, and then the resources the bounded tasks use are named.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scheduler.problem.chains import Chains
from scheduler.problem.groups import ConstraintGroup, GroupKind
from scheduler.problem.instance import SchedulingProblem

Array = npt.NDArray[np.int64]
_MAX_CELLS = 4_000_000  # spans x tasks looked at per resource or pool
_MAX_GROUPS = 50  # first tasks of groups that must run one after another


@dataclass(frozen=True)
class Pool:
    """A resource, or the people some tasks must pick from, as capacity."""

    who: str  # "resource 'crane' (capacity 1)", "the 2 people qualified (a, b)"
    unit: str  # a day of its work: "days", "unit-days", "person-days"
    members: tuple[tuple[int, int], ...]  # (resource, units a day)
    units: dict[int, int]  # task -> units it holds
    exclusive: bool = False  # tasks no two of which fit on the resource at once

    @property
    def has(self) -> str:
        return "they have" if self.unit == "person-days" else "it has"


@dataclass(frozen=True)
class Overload:
    """Work a pool must do in [begin, end) beyond its room there (unit-days
    it can work, less its days off)."""

    pool: Pool
    begin: int
    end: int
    work: int
    room: int
    days_off: bool  # whether days off took some of the room
    tasks: tuple[int, ...]

    @property
    def excess(self) -> int:
        return self.work - self.room

    def sentence(self, problem: SchedulingProblem) -> str:
        names = ", ".join(problem.task_ids[t] for t in self.tasks[:8])
        more = f" and {len(self.tasks) - 8} more" if len(self.tasks) > 8 else ""
        after = " after days off" if self.days_off else ""
        apart = ": no two fit on it at once" if self.pool.exclusive else ""
        return (
            f"{self.pool.who} must do {self.work} {self.pool.unit} of work between "
            f"day {self.begin} and day {self.end} (tasks {names}{more}{apart}), "
            f"more than the {self.room} {self.pool.has}{after}"
        )


def overload_sentences(
    problem: SchedulingProblem, chains: Chains, limits: list[ConstraintGroup]
) -> list[str]:
    """The worst overload under the conflict's latest limits, or, when energy
    alone cannot show one, the resources the bounded tasks compete for."""
    latest = latest_finishes(problem, limits)
    bounded = [t for t in range(problem.num_tasks) if latest[t] < problem.horizon]
    if not bounded:
        return []
    pools = _pools(problem)
    for candidates in (pools, _exclusive_pools(problem, pools, set(bounded))):
        found = [_overload(problem, chains.starts, latest, pool) for pool in candidates]
        overloads = [overload for overload in found if overload is not None]
        if overloads:
            worst = max(overloads, key=lambda overload: overload.excess)
            return [worst.sentence(problem)]
    used = sorted(
        {problem.resource_ids[r] for t in bounded for r, _ in problem.tasks[t].demands}
        | {
            problem.resource_ids[p]
            for t in bounded
            for p in problem.tasks[t].candidates
        }
    )
    if not used:
        return []
    names = [f"'{name}'" for name in used]
    listed = (
        names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    )
    return [f"the tasks that must finish in time compete for {listed}"]


def latest_finishes(
    problem: SchedulingProblem, limits: list[ConstraintGroup]
) -> list[int]:
    """Latest finish of every task back from the given latest limits (deadlines,
    pins, actual starts, the project deadline) over the dependencies."""
    horizon = problem.horizon
    latest_start = [horizon - task.duration for task in problem.tasks]
    for group in limits:
        for task, start in _latest_starts(problem, group):
            latest_start[task] = min(latest_start[task], start)
    latest_start = problem.latest_starts(latest_start)
    return [
        s + task.duration for s, task in zip(latest_start, problem.tasks, strict=True)
    ]


def _latest_starts(
    problem: SchedulingProblem, group: ConstraintGroup
) -> list[tuple[int, int]]:
    if group.kind is GroupKind.PROJECT_DEADLINE:
        return [(t, group.day - task.duration) for t, task in enumerate(problem.tasks)]
    assert group.task is not None
    task, window = group.task, problem.windows[group.task]
    match group.kind:
        case GroupKind.DEADLINE:
            return [(task, group.day - problem.tasks[task].duration)]
        case GroupKind.ACTUAL:
            return [(task, group.day)]
        case GroupKind.PIN if window.pin_latest is not None:
            return [(task, window.pin_latest)]
    return []


def _pools(problem: SchedulingProblem) -> list[Pool]:
    """Each resource, and each set of people some task picks from (with every
    task that can only pick within it)."""
    pools = []
    for resource in range(problem.num_resources):
        units = dict(problem.uses_of(resource))
        if units:
            capacity = problem.capacities[resource]
            name = problem.resource_ids[resource]
            who = f"resource '{name}' (capacity {capacity})"
            unit = "days" if capacity == 1 else "unit-days"
            pools.append(Pool(who, unit, ((resource, capacity),), units))
    for candidates in {frozenset(t.candidates) for t in problem.tasks if t.candidates}:
        units = {
            index: task.people
            for index, task in enumerate(problem.tasks)
            if task.candidates and candidates.issuperset(task.candidates)
        }
        people = sorted(problem.resource_ids[p] for p in candidates)
        if len(people) == 1:
            who = f"'{people[0]}', the only person qualified,"
        else:
            who = f"the {len(people)} people qualified ({', '.join(people)})"
        members = tuple((person, 1) for person in sorted(candidates))
        pools.append(Pool(who, "person-days", members, units))
    return pools


def _exclusive_pools(
    problem: SchedulingProblem, pools: list[Pool], bounded: set[int]
) -> list[Pool]:
    """For each single resource, groups of bounded tasks no two of which fit on
    it at once (their units add up to more than its capacity), built greedily
    from each task, largest demands first: such tasks run one after another."""
    groups = []
    for pool in pools:
        if len(pool.members) != 1:
            continue
        capacity = pool.members[0][1]
        users = sorted(
            (t for t in pool.units if t in bounded and problem.tasks[t].duration),
            key=lambda t: (-pool.units[t], -problem.tasks[t].duration, t),
        )
        seen = set()
        for first in users[:_MAX_GROUPS]:
            group = [first]
            for task in users:
                clash = all(pool.units[task] + pool.units[o] > capacity for o in group)
                if task not in group and clash:
                    group.append(task)
            key = frozenset(group)
            if len(group) > 1 and key not in seen:
                seen.add(key)
                units = dict.fromkeys(group, 1)
                members = ((pool.members[0][0], 1),)
                groups.append(Pool(pool.who, "days", members, units, exclusive=True))
    return groups


def _overload(
    problem: SchedulingProblem,
    earliest: list[int],
    latest: list[int],
    pool: Pool,
) -> Overload | None:
    """The span [a, b) of largest excess work over capacity, if any."""
    units = pool.units
    tasks = np.array(
        [t for t in units if problem.tasks[t].duration > 0], dtype=np.int64
    )
    if tasks.size == 0:
        return None
    durations = np.array([problem.tasks[t].duration for t in tasks], dtype=np.int64)
    demand = np.array([units[t] for t in tasks], dtype=np.int64)
    early = np.array([earliest[t] for t in tasks], dtype=np.int64)
    late = np.array([latest[t] for t in tasks], dtype=np.int64)
    begins = np.unique(early)
    ends = np.unique(late[(late > 0) & (late < problem.horizon)])
    if ends.size == 0 or begins.size * ends.size * tasks.size > _MAX_CELLS:
        return None
    a = begins[:, None, None]
    b = ends[None, :, None]
    # least overlap of each task with [a, b): its work minus what can lie before
    # a (when it starts earliest) or after b (when it finishes latest)
    inside = np.minimum(
        np.minimum(durations, np.maximum(b - a, 0)),
        np.minimum(
            np.maximum(early + durations - a, 0), np.maximum(b - (late - durations), 0)
        ),
    )
    work = (inside * demand).sum(axis=2)
    room = _room(problem, pool, begins, ends)
    excess = work - room
    i, j = np.unravel_index(int(np.argmax(excess)), excess.shape)
    if excess[i, j] <= 0:
        return None
    involved = tasks[inside[i, j] > 0]
    full = sum(units for _, units in pool.members) * max(ends[j] - begins[i], 0)
    return Overload(
        pool,
        int(begins[i]),
        int(ends[j]),
        int(work[i, j]),
        int(room[i, j]),
        int(room[i, j]) < full,
        tuple(int(t) for t in involved),
    )


def _room(problem: SchedulingProblem, pool: Pool, begins: Array, ends: Array) -> Array:
    """Unit-days the pool can work in each span [begins[i], ends[j]): its
    members' units on every day none of their blocked spans covers."""
    last = int(max(begins.max(), ends.max()))
    room = np.zeros((begins.size, ends.size), np.int64)
    for resource, units in pool.members:
        working = np.ones(last + 1, np.int64)
        for start, end in problem.workforce.blocked_of(resource):
            working[max(start, 0) : max(min(end, last + 1), 0)] = 0
        before = np.concatenate(([0], np.cumsum(working)))  # working days < t
        days = before[ends][None, :] - before[begins][:, None]
        room += units * np.maximum(days, 0)
    return room
