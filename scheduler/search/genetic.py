"""A genetic search on activity lists for the plain RCPSP (Hartmann's GA).

Each individual is a precedence-feasible activity list, decoded by the serial
schedule generation scheme and improved by forward-backward justification
(scheduler.search.kernels). Children come from two-point crossover,
neighbour-swap and shift mutation; parents and children compete on makespan. It applies
to problems the kernels model exactly: finish-to-start dependencies with lags
of zero or more, renewable resources, and no people, blocked days, load
limits, unsplittable tasks, time windows or deadlines (`Network.of` returns
None otherwise).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from domain import DependencyType
from scheduler.problem.instance import SchedulingProblem
from scheduler.search import kernels
from scheduler.search.driver import SearchLimits
from scheduler.strategy import EVALUATIONS_PER_WORK

# Lists in the population of a run that repeats (a fixed number of
# generations). Mean gap at 10 s on the 16 open j60 instances of `--every 8`
# (seed 0, seed 1) and on 10 hard j120 ones (seed 0): 40 gave 1.67 / 1.53 %
# and 2.96 %; 120 gave 1.33 / 1.18 % and 2.15 %; 200 gave 1.30 % on j60; 240
# gave 1.50 % and 2.00 % (benchmarks/README.md).
POPULATION = 200
# A wall-clock run sizes its population to the schedules it can afford: about
# GENERATIONS generations of it. On an idle machine a 10 s solve of j120
# affords ~200 lists (what was tuned above), a 30 s one 600 (1.43 % against
# 1.69 % with 200 on the 10 hard j120 instances). On a loaded machine the
# same seconds buy a tenth of the schedules; 200 lists then ran only ~30
# generations and stopped before they converged.
GENERATIONS = 300
MIN_POPULATION = 40
MAX_POPULATION = 600
PROBE = 8  # lists decoded to time one schedule
# Generations without a shorter schedule before a restart, and the share of
# the population a restart keeps.
PATIENCE = 50
ELITE = 0.1
# Each child's activities move with this probability to a random place
# between their last predecessor and first successor (after the swaps of
# neighbours). At equal schedules (48,000 per instance: 160 lists, 300
# generations, seed 0) on 17 hard j120 instances (the _2 of groups 6-57):
# mean gap 3.00 % without, 2.50 % with 0.01, 2.35 % with 0.03 (shorter on 12,
# longer on 2); a quarter of the patience (25) 2.91 %, half the lists for
# twice the generations 3.41 %.
SHIFT = 0.03


def population_for(evaluations: float) -> int:
    """Lists for a search that can decode `evaluations` schedules."""
    return round(min(max(evaluations / GENERATIONS, MIN_POPULATION), MAX_POPULATION))


def affordable(network: Network, seconds: float, seed: int = 0) -> float:
    """Schedules one thread can decode in `seconds`, timed on PROBE lists."""
    kernels.seed_generator(seed)
    n = network.durations.shape[0]
    usage = np.zeros((network.horizon, network.capacities.shape[0]), np.int64)
    starts = np.empty(n, np.int64)
    priority = network.latest_starts.astype(np.float64)
    began = time.perf_counter()
    for _ in range(PROBE):
        order = kernels.random_list(
            priority, float(n), network.backward, _indegree(n, network.forward)
        )
        _evaluate(network, order, starts, usage)
    return seconds * PROBE / max(time.perf_counter() - began, 1e-9)


Array = npt.NDArray[np.int64]
Csr = tuple[Array, Array, Array]  # pointer, neighbour, lag


@dataclass(frozen=True)
class Network:
    """A plain RCPSP as arrays: durations, demands, capacities, both networks."""

    durations: Array
    demands: Array
    capacities: Array
    forward: Csr  # predecessors of each activity
    backward: Csr  # successors of each activity
    rank: Array  # a topological index
    related: npt.NDArray[np.bool_]  # related[i, j]: i directly precedes j
    latest_starts: Array  # from the critical path, a priority rule

    @classmethod
    def of(cls, problem: SchedulingProblem) -> Network | None:
        """The arrays, or None when the problem has more than the kernels model."""
        if not applies(problem):
            return None
        n = problem.num_tasks
        durations = np.array([task.duration for task in problem.tasks], np.int64)
        demands = np.zeros((n, max(problem.num_resources, 1)), np.int64)
        for task, data in enumerate(problem.tasks):
            for resource, units in data.demands:
                demands[task, resource] += units
        capacities = np.array(problem.capacities or (0,), np.int64)
        arcs = [(p.predecessor, p.successor, p.lag) for p in problem.precedences]
        related = np.zeros((n, n), np.bool_)
        for before, after, _lag in arcs:
            related[before, after] = related[after, before] = True
        forward = _csr(n, [(after, before, lag) for before, after, lag in arcs])
        backward = _csr(n, arcs)
        order = kernels.random_list(np.zeros(n), 0.0, backward, _indegree(n, forward))
        rank = np.empty(n, np.int64)
        rank[order] = np.arange(n)
        latest = _latest_starts(problem, durations)
        return cls(
            durations, demands, capacities, forward, backward, rank, related, latest
        )

    @property
    def horizon(self) -> int:
        """Days any serial schedule fits in: every duration and lag in turn."""
        return int(self.durations.sum() + self.forward[2].clip(0).sum()) + 1


@dataclass(frozen=True)
class Found:
    """The best schedule the search found, and how many generations it ran."""

    makespan: int
    starts: tuple[int, ...]
    generations: int


def generations_for(work: float | None, size: int) -> int | None:
    """Generations of `size` lists a work limit buys (EVALUATIONS_PER_WORK
    schedules a unit; at least one); None without a work limit."""
    if work is None:
        return None
    return max(round(work * EVALUATIONS_PER_WORK / size), 1)


def genetic_search(
    network: Network,
    limits: SearchLimits,
    size: int = POPULATION,
    mutation: float = 0.05,
) -> Found:
    """Evolve `size` lists, seeded by `limits.seed`, until its deadline, its
    bound or, with a work limit, the generations it buys (`generations_for`:
    a run that repeats exactly). After PATIENCE generations without a shorter
    schedule the search restarts: the best ELITE share stays, fresh sampled
    lists replace the others."""
    generations = generations_for(limits.work, size)
    deadline, lower_bound = limits.deadline, limits.lower_bound
    kernels.seed_generator(limits.seed)
    n = network.durations.shape[0]
    usage = np.zeros((network.horizon, network.capacities.shape[0]), np.int64)
    population = np.empty((size, n), np.int64)
    makespans = np.empty(size, np.int64)
    _sample(network, population, makespans, 0, usage)
    done, best, since = 0, int(makespans.min()), 0
    while (
        (generations is None or done < generations)
        and time.perf_counter() < deadline
        and best > lower_bound
    ):
        kernels.generation(
            population,
            makespans,
            network.rank,
            network.durations,
            network.demands,
            network.capacities,
            network.forward,
            network.backward,
            usage,
            network.related,
            mutation,
            SHIFT,
        )
        done, since = done + 1, since + 1
        if makespans.min() < best:
            best, since = int(makespans.min()), 0
        elif since >= PATIENCE:
            kept = np.argsort(makespans, kind="stable")
            population[:], makespans[:] = population[kept], makespans[kept]
            _sample(network, population, makespans, max(round(ELITE * size), 1), usage)
            since = 0
    starts = np.empty(n, np.int64)
    first = int(np.argmin(makespans))
    makespan = _evaluate(network, population[first].copy(), starts, usage)
    return Found(makespan, tuple(int(s) for s in starts), done)


def _sample(
    network: Network, population: Array, makespans: Array, first: int, usage: Array
) -> None:
    """Fresh lists from `first` on: least latest start first, with noise
    growing along the population (from none to the whole spread)."""
    size, n = population.shape
    starts = np.empty(n, np.int64)
    spread = float(network.latest_starts.max() + 1)
    for k in range(first, size):
        population[k] = kernels.random_list(
            network.latest_starts.astype(np.float64),
            spread * k / size,
            network.backward,
            _indegree(n, network.forward),
        )
        makespans[k] = _evaluate(network, population[k], starts, usage)


def _evaluate(network: Network, order: Array, starts: Array, usage: Array) -> int:
    return int(
        kernels.evaluate(
            order,
            starts,
            network.rank,
            network.durations,
            network.demands,
            network.capacities,
            network.forward,
            network.backward,
            usage,
        )
    )


def applies(problem: SchedulingProblem) -> bool:
    """Whether the problem is a plain RCPSP, all the kernels model."""
    windows_set = any(
        window.earliest or window.deadline is not None or window.pin_latest is not None
        for window in problem.windows
    )
    workforce = problem.workforce
    people_time = (
        any(workforce.blocked)
        or any(limit is not None for limit in workforce.max_load_percent)
        or (workforce.breaks and not all(t.splittable for t in problem.tasks))
    )
    return not (
        windows_set
        or problem.reserved
        or people_time
        or problem.deadline is not None
        or any(task.candidates for task in problem.tasks)
        or any(
            p.type is not DependencyType.FS or p.lag < 0 for p in problem.precedences
        )
        or problem.earliest_starts() is None
    )


def _csr(n: int, arcs: list[tuple[int, int, int]]) -> Csr:
    """CSR of (owner, neighbour, lag) triples, grouped by owner."""
    arcs = sorted(arcs)
    pointer = np.zeros(n + 1, np.int64)
    for owner, _neighbour, _lag in arcs:
        pointer[owner + 1] += 1
    return (
        np.cumsum(pointer),
        np.array([a[1] for a in arcs], np.int64),
        np.array([a[2] for a in arcs], np.int64),
    )


def _indegree(n: int, predecessors: Csr) -> Array:
    return np.diff(predecessors[0])


def _latest_starts(problem: SchedulingProblem, durations: Array) -> Array:
    """Latest starts against the critical path length, precedences only."""
    length = problem.critical_path_length() or 0
    return np.array(problem.latest_starts((length - durations).tolist()), np.int64)
