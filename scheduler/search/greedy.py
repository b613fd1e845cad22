"""A greedy plan: serial schedule generation with people chosen by scarcity.

Tasks are taken one at a time, among those whose predecessors are placed, in
order of priority (longest path to the end first); each starts at the earliest
day its precedences, its equipment, enough free qualified people and its break
windows allow (a one-person task: the person who finishes it first, since work
pauses over their days off). Among the people free then, those qualified for
the least remaining work are chosen, saving scarce experts for later.
The result warm-starts CP-SAT and seeds large-neighbourhood search, and is
the fallback plan of a solve that found no schedule within its limit
(`fallback_result`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from domain import SolveStatus
from scheduler.plan.fallback import fallback_warning
from scheduler.plan.placement import Placement
from scheduler.plan.result import SolveResult
from scheduler.plan.schedule import Schedule
from scheduler.problem.bounds import heads_and_tails
from scheduler.problem.instance import SchedulingProblem


def serial_schedule(
    problem: SchedulingProblem,
    noise: float = 0.0,
    seed: int = 0,
    weights: Sequence[int] | None = None,
) -> Schedule | None:
    """The greedy plan; None when the precedences conflict or nothing fits.

    `noise` > 0 perturbs priorities (relative, seeded) for multi-start use.
    `weights` (e.g. project priorities) rank tasks first, the path second.
    """
    found = heads_and_tails(problem)
    if found is None:
        return None
    _, tails = found
    rng = np.random.default_rng(seed)
    longest = max(tails, default=0) + max(
        (t.duration for t in problem.tasks), default=0
    )
    rank = weights or [0] * problem.num_tasks
    priority = [
        rank[index] * (longest + 1) * (1 + noise)
        + (tail + task.duration) * (1 + noise * rng.random())
        for index, (tail, task) in enumerate(zip(tails, problem.tasks, strict=True))
    ]
    builder = Placement(problem)
    order = _priority_order(problem, priority)
    if not order:  # a loop of links (maximum time lags): no serial order
        return None
    for task in order:
        if not builder.place(task):
            return None
    return builder.schedule()


def _priority_order(problem: SchedulingProblem, priority: list[float]) -> list[int]:
    """A topological order taking the eligible task of highest priority first."""
    waiting = [0] * problem.num_tasks
    successors: list[list[int]] = [[] for _ in problem.tasks]
    for precedence in problem.precedences:
        waiting[precedence.successor] += 1
        successors[precedence.predecessor].append(precedence.successor)
    eligible = [t for t in range(problem.num_tasks) if waiting[t] == 0]
    order = []
    while eligible:
        best = max(eligible, key=lambda t: (priority[t], -t))
        eligible.remove(best)
        order.append(best)
        for successor in successors[best]:
            waiting[successor] -= 1
            if waiting[successor] == 0:
                eligible.append(successor)
    return order if len(order) == problem.num_tasks else []


def fallback_result(
    problem: SchedulingProblem, result: SolveResult, time_limit: float
) -> SolveResult:
    """`result`, or when it is `unknown` (no schedule within the limit) the
    greedy plan of `problem` labelled as a fallback (`scheduler.plan.
    fallback`); `result` unchanged when the greedy plan cannot place every
    task either. Its bound is the solver's or the critical path, so its gap
    says how far from the best it may be."""
    if result.status is not SolveStatus.UNKNOWN:
        return result
    began = time.perf_counter()
    schedule = serial_schedule(problem)
    if schedule is None:
        return result
    bound = max(result.lower_bound or 0, problem.critical_path_length() or 0)
    return replace(
        result,
        status=SolveStatus.FEASIBLE,
        makespan=schedule.makespan,
        lower_bound=min(bound, schedule.makespan),
        runtime_seconds=result.runtime_seconds + time.perf_counter() - began,
        starts=schedule.starts,
        assignees=schedule.assignees,
        finishes=schedule.finishes,
        message=fallback_warning(time_limit),
        objective_value=None,
        objective_bound=None,
    )
