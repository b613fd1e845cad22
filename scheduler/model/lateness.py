"""Soft deadlines: when deadlines alone stand in the way, the least late plan.

A plan is first sought with every deadline hard. When none exists and the
deadlines are what stands in the way, `soften` moves each task's deadline
(its `deadline`, or a finish-no-later-than constraint) and the project's out
of the hard windows into lateness terms:

    lateness = sum over tasks of weight * max(0, finish - deadline)
             + max(0, makespan - project deadline)

with the task's `tardiness_weight` (its priority, 1 by default) as weight.
`put_first` makes lateness the first goal: its terms are scaled past the span
of the plan's own objective, so no gain there can buy a day of lateness; the
objective then decides among the least late plans. Each task's `late_by` and
a sentence per missed deadline (`missed_deadlines`) come with the plan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ortools.sat.python import cp_model

from scheduler.model.variables import Variables
from scheduler.problem.chains import Chains, time_conflicts
from scheduler.problem.instance import SchedulingProblem

LateTerm = tuple[cp_model.IntVar, int]  # days late, weight


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


def lateness_terms(
    model: cp_model.CpModel, problem: SchedulingProblem, variables: Variables
) -> list[LateTerm]:
    """One variable per soft deadline: the days past it, at least 0."""
    terms = []
    horizon = problem.horizon
    for task, day, weight in problem.soft_deadlines:
        late = model.new_int_var(0, horizon, f"late_{task}")
        model.add(late >= variables.ends[task] - day)
        terms.append((late, weight))
    if problem.soft_project_deadline is not None:
        late = model.new_int_var(0, horizon, "late_project")
        model.add(late >= variables.makespan - problem.soft_project_deadline)
        terms.append((late, 1))
    return terms


def put_first(model: cp_model.CpModel, terms: Sequence[LateTerm]) -> None:
    """Add the lateness terms to the model's objective, each day late weighing
    more than the objective's whole span (from its variables' domains)."""
    proto = model.proto
    objective = (
        proto.floating_point_objective
        if proto.has_floating_point_objective()
        else proto.objective
    )
    span = 0.0
    for var, coeff in zip(objective.vars, objective.coeffs, strict=True):
        domain = list(proto.variables[var].domain)  # (no negative indexing on it)
        span += abs(coeff) * (domain[-1] - domain[0])
    scale = int(span) + 1
    for late, weight in terms:
        objective.vars.append(late.index)
        objective.coeffs.append(weight * scale)


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
