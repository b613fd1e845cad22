"""Makespan lower bounds for skill-based assignment, from pools of people.

For any set R of people, the tasks whose every qualified person is in R must
be done by R alone. Their work, spread over R's capacity, starts no earlier
than the least head among them and leaves at least the least tail after it:

    makespan >= min head + ceil(work / capacity of R) + min tail

R = everyone gives total work / number of people; R = the people qualified for
one skill level gives the per-skill bound. `skill_pools` lists the R tried:
every distinct qualified set, every union of two, and everyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from scheduler.problem.instance import SchedulingProblem

# Pairwise unions are tried among at most this many distinct qualified sets.
MAX_POOLS_FOR_PAIRS = 120


@dataclass(frozen=True)
class Pool:
    """People R and the tasks only they can do, with the bound they give."""

    people: frozenset[int]
    tasks: tuple[int, ...]
    bound: int


def heads_and_tails(problem: SchedulingProblem) -> tuple[list[int], list[int]] | None:
    """Earliest starts, and least time from each task's finish to the end.

    None when the precedences conflict (a positive cycle).
    """
    heads = problem.earliest_starts()
    if heads is None:
        return None
    # The longest path from a task's start to the end is minus its latest
    # start when every task must end by day 0.
    latest = problem.latest_starts([-task.duration for task in problem.tasks])
    tails = [
        max(-start - task.duration, 0)
        for start, task in zip(latest, problem.tasks, strict=True)
    ]
    return heads, tails


def skill_pools(problem: SchedulingProblem) -> list[Pool]:
    """Every pool tried, each with its bound, best bound first."""
    found = heads_and_tails(problem)
    if found is None:
        return []
    heads, tails = found
    qualified = {
        frozenset(task.candidates) for task in problem.tasks if task.candidates
    }
    sets = sorted(qualified, key=len)
    pools = set(sets)
    if len(sets) <= MAX_POOLS_FOR_PAIRS:
        pools.update(a | b for a, b in combinations(sets, 2))
    if sets:
        pools.add(frozenset().union(*sets))
    scored = [_pool(problem, people, heads, tails) for people in pools]
    return sorted(scored, key=lambda pool: -pool.bound)


def assignment_lower_bound(problem: SchedulingProblem) -> int:
    """max(critical path, best pool bound); 0 when the precedences conflict."""
    critical_path = problem.critical_path_length()
    if critical_path is None:
        return 0
    pools = skill_pools(problem)
    return max(critical_path, pools[0].bound if pools else 0)


def _pool(
    problem: SchedulingProblem,
    people: frozenset[int],
    heads: list[int],
    tails: list[int],
) -> Pool:
    tasks = tuple(
        index
        for index, task in enumerate(problem.tasks)
        if task.candidates and people.issuperset(task.candidates)
    )
    capacity = sum(problem.capacities[p] for p in people)
    work = sum(problem.tasks[t].duration * problem.tasks[t].people for t in tasks)
    if not tasks or capacity == 0:
        return Pool(people, tasks, 0)
    spread = -(-work // capacity)
    bound = min(heads[t] for t in tasks) + spread + min(tails[t] for t in tasks)
    return Pool(people, tasks, bound)
