# mypy: disable-error-code="no-untyped-def"
"""Compiled kernels for the schedule heuristic: serial SGS and justification.

The serial schedule generation scheme takes activities in a precedence-
feasible list and starts each at the earliest day its predecessors (finish-
to-start with lags) and the resource profile allow. Forward-backward
improvement (justification) then reschedules right-to-left by descending
finish and left-to-right by ascending start, which never lengthens a
schedule and usually shortens it. The genetic search in
scheduler.search.genetic evolves the lists.

A network is given as CSR arrays: for activity j, `pointer[j]:pointer[j + 1]`
indexes `neighbour` (its predecessors) and `lag`. Kernels are compiled once
(and cached on disk) and release the GIL, so two threads run two at a time.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def serial_sgs(
    order, durations, demands, capacities, pointer, neighbour, lag, usage, starts
):
    """Schedule `order` into `starts`; returns the makespan.

    `usage` (days x resources) is scratch space long enough for any serial
    schedule (the sum of durations and lags).
    """
    usage[:, :] = 0
    resources = capacities.shape[0]
    makespan = 0
    for j in order:
        earliest = 0
        for p in range(pointer[j], pointer[j + 1]):
            i = neighbour[p]
            earliest = max(earliest, starts[i] + durations[i] + lag[p])
        duration = durations[j]
        start = earliest
        fits = duration == 0
        while not fits:
            fits = True
            for day in range(start, start + duration):
                for r in range(resources):
                    if usage[day, r] + demands[j, r] > capacities[r]:
                        fits = False
                        break
                if not fits:
                    start = day + 1
                    break
        for day in range(start, start + duration):
            for r in range(resources):
                usage[day, r] += demands[j, r]
        starts[j] = start
        makespan = max(makespan, start + duration)
    return makespan


@njit(cache=True, nogil=True)
def justify(starts, rank, durations, demands, capacities, forward, backward, usage):
    """Forward-backward improvement of `starts` in place; returns the makespan.

    `forward` and `backward` are (pointer, neighbour, lag) of the network and
    of its reverse. `rank` (a topological index) breaks ties between equal
    days so every list stays precedence-feasible.
    """
    n = starts.shape[0]
    makespan = np.max(starts + durations)
    mirrored = np.empty(n, np.int64)
    while True:
        by_finish = np.argsort(-((starts + durations) * n + rank), kind="mergesort")
        length = serial_sgs(
            by_finish,
            durations,
            demands,
            capacities,
            backward[0],
            backward[1],
            backward[2],
            usage,
            mirrored,
        )
        # Mirror back: a task starting at s in reverse finishes at length - s.
        late = length - mirrored - durations
        by_start = np.argsort(late * n + rank, kind="mergesort")
        shorter = serial_sgs(
            by_start,
            durations,
            demands,
            capacities,
            forward[0],
            forward[1],
            forward[2],
            usage,
            starts,
        )
        if shorter >= makespan:
            return shorter
        makespan = shorter


@njit(cache=True, nogil=True)
def seed_generator(seed):
    """Seed the calling thread's compiled random generator."""
    np.random.seed(seed)


@njit(cache=True, nogil=True)
def random_list(priority, noise, successors, indegree):
    """A precedence-feasible list: repeatedly the eligible activity with the
    least priority + noise * uniform (priority-rule based random sampling)."""
    n = priority.shape[0]
    waiting = indegree.copy()
    eligible = np.zeros(n, np.bool_)
    for j in range(n):
        eligible[j] = waiting[j] == 0
    order = np.empty(n, np.int64)
    for k in range(n):
        best, best_key = -1, np.inf
        for j in range(n):
            if eligible[j]:
                key = priority[j] + noise * np.random.random()
                if key < best_key:
                    best, best_key = j, key
        order[k] = best
        eligible[best] = False
        for p in range(successors[0][best], successors[0][best + 1]):
            child = successors[1][p]
            waiting[child] -= 1
            if waiting[child] == 0:
                eligible[child] = True
    return order


@njit(cache=True, nogil=True)
def crossover(mother, father, cut, out):
    """Two-point crossover of activity lists; precedence feasibility is kept:
    mother's first cut[0], then father's order up to cut[1], then mother's."""
    n = mother.shape[0]
    used = np.zeros(n, np.bool_)
    position = 0
    for k in range(cut[0]):
        out[position] = mother[k]
        used[mother[k]] = True
        position += 1
    for a in father:
        if position >= cut[1]:
            break
        if not used[a]:
            out[position] = a
            used[a] = True
            position += 1
    for a in mother:
        if not used[a]:
            out[position] = a
            used[a] = True
            position += 1


@njit(cache=True, nogil=True)
def mutate(order, related, probability):
    """Swap neighbours in the list, each with `probability`, unless one is a
    direct predecessor of the other (only then can adjacent ones be related)."""
    for k in range(order.shape[0] - 1):
        if np.random.random() < probability and not related[order[k], order[k + 1]]:
            order[k], order[k + 1] = order[k + 1], order[k]


@njit(cache=True, nogil=True)
def shift(order, forward, backward, probability):
    """Move activities, each with `probability`, to a uniform place between
    their last predecessor and first successor in the list (it stays
    precedence-feasible); a larger step than a swap of neighbours."""
    n = order.shape[0]
    position = np.empty(n, np.int64)
    for k in range(n):
        position[order[k]] = k
    for k in range(n):
        if np.random.random() >= probability:
            continue
        j = order[k]
        low, high = 0, n - 1
        for p in range(forward[0][j], forward[0][j + 1]):
            low = max(low, position[forward[1][p]] + 1)
        for p in range(backward[0][j], backward[0][j + 1]):
            high = min(high, position[backward[1][p]] - 1)
        target, now = np.random.randint(low, high + 1), position[j]
        step = 1 if target > now else -1
        while now != target:
            order[now] = order[now + step]
            position[order[now]] = now
            now += step
        order[target] = j
        position[j] = target


@njit(cache=True, nogil=True)
def evaluate(
    order, starts, rank, durations, demands, capacities, forward, backward, usage
):
    """Schedule and justify `order`, then reorder it by the justified starts
    (so the list remembers the improvement); returns the makespan."""
    serial_sgs(
        order,
        durations,
        demands,
        capacities,
        forward[0],
        forward[1],
        forward[2],
        usage,
        starts,
    )
    makespan = justify(
        starts, rank, durations, demands, capacities, forward, backward, usage
    )
    order[:] = np.argsort(starts * starts.shape[0] + rank, kind="mergesort")
    return makespan


@njit(cache=True, nogil=True)
def fingerprint(order, weights):
    """A number that tells lists apart (equal lists, equal numbers)."""
    total = 0.0
    for k in range(order.shape[0]):
        total += order[k] * weights[k]
    return total


@njit(cache=True, nogil=True)
def generation(
    population,
    makespans,
    rank,
    durations,
    demands,
    capacities,
    forward,
    backward,
    usage,
    related,
    mutation,
    shifting,
):
    """One generation: pair, cross, mutate and evaluate as many children as
    there are parents, then keep the best of both (ties drawn at random).

    A child whose schedule is already in the population (same justified
    list) is not kept: clones of the best would crowd the others out, and
    the search would then only mutate around one schedule.
    """
    size, n = population.shape
    children = np.empty_like(population)
    spans = np.empty(size, np.int64)
    pairing = np.random.permutation(size)
    cut = np.empty(2, np.int64)
    starts = np.empty(n, np.int64)
    weights = np.random.random(n)
    seen = np.empty(2 * size)
    for k in range(size):
        seen[k] = fingerprint(population[k], weights)
    for k in range(size):
        mother = population[pairing[k]]
        father = population[pairing[(k + 1) % size]]
        first, second = np.random.randint(0, n + 1), np.random.randint(0, n + 1)
        cut[0], cut[1] = min(first, second), max(first, second)
        crossover(mother, father, cut, children[k])
        mutate(children[k], related, mutation)
        if shifting > 0:
            shift(children[k], forward, backward, shifting)
        spans[k] = evaluate(
            children[k],
            starts,
            rank,
            durations,
            demands,
            capacities,
            forward,
            backward,
            usage,
        )
        seen[size + k] = fingerprint(children[k], weights)
        for other in range(size + k):
            if seen[other] == seen[size + k]:
                spans[k] = np.iinfo(np.int64).max // 2  # a clone: never kept
                break
    merged = np.concatenate((makespans, spans))
    keys = merged + np.random.random(2 * size) * 0.5
    keep = np.argsort(keys)[:size]
    pool = np.concatenate((population, children))
    population[:, :] = pool[keep]
    makespans[:] = merged[keep]
