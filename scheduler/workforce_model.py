"""CP-SAT constraints for people's time: blocked days, unsplittable tasks, load.

Each function is one named rule over the `Workforce` of a `SchedulingProblem`
(see `scheduler.workforce`), added by `constraints.build_model`:

- `blocked_uses`    — a resource's blocked spans, as fixed intervals holding
                      its whole capacity, join its no-overlap / cumulative.
- `add_unsplittable` — a non-splittable task starts only where it straddles no
                      organisation break.
- `add_load_limits` — a person's assigned work days stay within `max_load` of
                      the makespan (the latest finish).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduler.problem import SchedulingProblem

if TYPE_CHECKING:
    from scheduler.constraints import Variables

PERCENT = 100


def blocked_uses(
    model: cp_model.CpModel, problem: SchedulingProblem, resource: int
) -> list[tuple[cp_model.IntervalVar, int]]:
    """Fixed intervals holding all of `resource` while it may not work."""
    capacity = problem.capacities[resource]
    return [
        (
            model.new_fixed_size_interval_var(
                start, end - start, f"off_{resource}_{start}"
            ),
            capacity,
        )
        for start, end in problem.workforce.blocked_of(resource)
        if capacity > 0
    ]


def add_unsplittable(
    model: cp_model.CpModel, problem: SchedulingProblem, variables: Variables
) -> None:
    """A task that is not splittable lies wholly between two breaks."""
    horizon = problem.horizon
    for index, task in enumerate(problem.tasks):
        if task.splittable or task.duration <= 1 or not problem.workforce.breaks:
            continue
        allowed = problem.workforce.allowed_starts(task.duration, horizon)
        domain = cp_model.Domain.from_intervals([list(span) for span in allowed])
        model.add_linear_expression_in_domain(variables.starts[index], domain)


def add_load_limits(
    model: cp_model.CpModel, problem: SchedulingProblem, variables: Variables
) -> None:
    """100 x (days assigned to p) <= max_load_percent[p] x makespan."""
    worked: dict[int, list[cp_model.LinearExpr]] = {}
    for (task, person), presence in variables.assigned.items():
        duration = problem.tasks[task].duration
        worked.setdefault(person, []).append(duration * presence)
    limited = [
        (person, percent)
        for person, percent in enumerate(problem.workforce.max_load_percent)
        if percent is not None and person in worked
    ]
    if not limited:
        return
    # The span is the latest finish, not merely a bound on it.
    model.add_max_equality(variables.makespan, variables.ends)
    for person, percent in limited:
        model.add(PERCENT * sum(worked[person]) <= percent * variables.makespan)
