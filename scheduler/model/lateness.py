"""Soft deadlines: when deadlines alone stand in the way, the least late plan.

A plan is first sought with every deadline hard. When none exists and the
deadlines are what stands in the way, `soften` moves each task's deadline
(its `deadline`, or a finish-no-later-than constraint) and the project's out
of the hard windows into lateness terms:

    lateness = sum over tasks of weight * max(0, finish - deadline)
             + max(0, makespan - project deadline)

with the task's `tardiness_weight` (its priority, 1 by default) as weight:
the `lateness` term (`scheduler.model.terms.Lateness`), which
`scheduler.model.objectives.add_objective` scales past the span of the plan's
own objective, so no gain there can buy a day of lateness; the objective then
decides among the least late plans. Each task's `late_by` and
a sentence per missed deadline (`missed_deadlines`) come with the plan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from scheduler.problem.chains import Chains, time_conflicts
from scheduler.problem.instance import SchedulingProblem


def has_deadlines(problem: SchedulingProblem) -> bool:
    return problem.deadline is not None or any(
        window.deadline is not None for window in problem.windows
    )


def soften(problem: SchedulingProblem) -> SchedulingProblem:
    """The problem with its deadlines as lateness terms instead of limits."""
    windows = tuple(
        dataclasses.replace(window, deadline=None) for window in problem.windows
    )
    soft = tuple(
        (task, window.deadline, max(window.tardiness_weight, 1))
        for task, window in enumerate(problem.windows)
        if window.deadline is not None
    )
    return dataclasses.replace(
        problem,
        windows=windows,
        deadline=None,
        soft_deadlines=soft,
        soft_project_deadline=problem.deadline,
    )


def missed_deadlines(
    original: SchedulingProblem, finishes: Sequence[int], makespan: int
) -> list[str]:
    """A sentence per missed deadline, then what makes it impossible when
    dependencies alone do (the chain behind it)."""
    sentences = []
    for task, window in enumerate(original.windows):
        day = window.deadline
        if day is not None and finishes[task] > day:
            sentences.append(
                f"task '{original.task_ids[task]}' finishes on day {finishes[task]}, "
                f"{finishes[task] - day} days after its deadline (day {day})"
            )
    if original.deadline is not None and makespan > original.deadline:
        sentences.append(
            f"the project finishes on day {makespan}, "
            f"{makespan - original.deadline} days after its deadline "
            f"(day {original.deadline})"
        )
    chains = Chains.of(original)
    if sentences and chains is not None:
        sentences += time_conflicts(original, chains)
    return sentences


def deadlines_out_of_reach(problem: SchedulingProblem) -> bool:
    """Whether dependencies and windows alone make some deadline impossible
    (longest paths, no solver): then only a late plan can exist."""
    chains = Chains.of(problem)
    if chains is None:
        return False
    finishes = [chains.finish(problem, task) for task in range(problem.num_tasks)]
    if problem.deadline is not None and max(finishes, default=0) > problem.deadline:
        return True
    return any(
        window.deadline is not None and finishes[task] > window.deadline
        for task, window in enumerate(problem.windows)
    )
