"""Which tasks an LNS step frees: four shapes of neighbourhood, one size.

- window:   tasks consecutive in the incumbent's start order (a time window);
- resource: tasks consecutive in start order among one binding resource's users;
- block:    tasks connected by dependencies, grown breadth-first from one task;
- random:   tasks drawn uniformly.

Each returns `size` tasks (fewer only when the problem has fewer), chosen with
the caller's random generator so a seeded search repeats itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from scheduler.problem.instance import SchedulingProblem


@dataclass(frozen=True)
class Structure:
    """What the neighbourhoods read of a problem, computed once per search."""

    num_tasks: int
    neighbours: tuple[tuple[int, ...], ...]  # dependency graph, both directions
    users: tuple[tuple[int, ...], ...]  # per binding resource

    @classmethod
    def of(
        cls, problem: SchedulingProblem, users: Sequence[Sequence[int]]
    ) -> Structure:
        """The undirected dependency graph and the binding resources' users."""
        adjacent: list[set[int]] = [set() for _ in range(problem.num_tasks)]
        for precedence in problem.precedences:
            adjacent[precedence.predecessor].add(precedence.successor)
            adjacent[precedence.successor].add(precedence.predecessor)
        return cls(
            problem.num_tasks,
            tuple(tuple(sorted(tasks)) for tasks in adjacent),
            tuple(tuple(tasks) for tasks in users if tasks),
        )


Chooser = Callable[[Structure, Sequence[int], int, np.random.Generator], set[int]]


def window(
    structure: Structure, starts: Sequence[int], size: int, rng: np.random.Generator
) -> set[int]:
    """`size` tasks consecutive in start order, from a random position."""
    return _consecutive(range(structure.num_tasks), starts, size, rng)


def resource(
    structure: Structure, starts: Sequence[int], size: int, rng: np.random.Generator
) -> set[int]:
    """`size` consecutive users of a random binding resource (window if none)."""
    if not structure.users:
        return window(structure, starts, size, rng)
    tasks = structure.users[int(rng.integers(len(structure.users)))]
    return _consecutive(tasks, starts, size, rng)


def block(
    structure: Structure, starts: Sequence[int], size: int, rng: np.random.Generator
) -> set[int]:
    """Tasks reached breadth-first over dependencies; random tasks restart it."""
    chosen: set[int] = set()
    frontier: list[int] = []
    while len(chosen) < min(size, structure.num_tasks):
        if not frontier:
            seed = int(rng.integers(structure.num_tasks))
            if seed in chosen:
                continue
            chosen.add(seed)
            frontier.append(seed)
            continue
        task = frontier.pop(0)
        fresh = [n for n in structure.neighbours[task] if n not in chosen]
        rng.shuffle(fresh)
        for neighbour in fresh[: size - len(chosen)]:
            chosen.add(neighbour)
            frontier.append(neighbour)
    return chosen


def random_tasks(
    structure: Structure, starts: Sequence[int], size: int, rng: np.random.Generator
) -> set[int]:
    """`size` tasks drawn uniformly without replacement."""
    count = min(size, structure.num_tasks)
    return {int(t) for t in rng.choice(structure.num_tasks, count, replace=False)}


CHOOSERS: tuple[Chooser, ...] = (window, resource, block, random_tasks)


def _consecutive(
    tasks: Sequence[int], starts: Sequence[int], size: int, rng: np.random.Generator
) -> set[int]:
    ordered = sorted(tasks, key=lambda task: (starts[task], task))
    if len(ordered) <= size:
        return set(ordered)
    first = int(rng.integers(len(ordered) - size + 1))
    return set(ordered[first : first + size])
