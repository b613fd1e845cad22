"""Task priorities decide what the objective leaves open, as MS Project levels.

MS Project levels an over-allocated resource by task priority first, then
its standard order (predecessors, slack, ID). planforge's solver minimises
the plan's objective; tasks competing for a resource that the objective does
not tell apart may come in any order. The rule that settles them:

1. A task's priority is its weight of lateness (`tardiness_weight`; MSPDI
   `Priority` p imports as round(p / 100): 500 -> 5, 900 -> 9).
2. When weights differ, the priority schedule is built: serial schedule
   generation taking the ready task of highest weight first, then the
   longest path to the end, then project order
   (`search.greedy.serial_schedule` with the weights as ranks).
3. The plan is that schedule when it is no worse than the solver's: no more
   weighted lateness (due days, soft deadlines) and no later finish; else
   the solver's plan stands.

So a higher-priority task goes first on a contested resource whenever that
costs the plan nothing, and where it would delay the finish the finish wins.
It applies to the makespan objective without a previous plan or staffing
terms (the other objectives weigh terms this comparison does not).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from scheduler.plan.result import SolveResult
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.greedy import serial_schedule


def by_priority(problem: SchedulingProblem, result: SolveResult) -> SolveResult:
    """`result` with the priority schedule instead of its own when the tasks'
    weights differ and that schedule is no worse (the module's rule);
    otherwise `result` itself."""
    weights = [window.tardiness_weight for window in problem.windows]
    if not result.has_schedule or len(set(weights)) < 2:
        return result
    schedule = serial_schedule(problem, weights=weights)
    if schedule is None:
        return result
    finishes = result.finishes or tuple(
        start + task.duration
        for start, task in zip(result.starts, problem.tasks, strict=True)
    )
    ours = _lateness(problem, schedule.finishes), schedule.makespan
    theirs = _lateness(problem, finishes), max(finishes, default=0)
    if ours[0] > theirs[0] or ours[1] > theirs[1] or schedule.starts == result.starts:
        return result
    return replace(
        result,
        starts=schedule.starts,
        assignees=schedule.assignees,
        finishes=schedule.finishes,
        makespan=schedule.makespan,
    )


def _lateness(problem: SchedulingProblem, finishes: Sequence[int]) -> int:
    """Weighted days late: past due days and soft deadlines."""
    total = sum(
        weight * max(finishes[task] - day, 0)
        for task, day, weight in problem.soft_deadlines
    )
    for task, window in enumerate(problem.windows):
        if window.due is not None:
            total += window.tardiness_weight * max(finishes[task] - window.due, 0)
    return total
