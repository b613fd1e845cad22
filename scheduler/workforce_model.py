"""CP-SAT constraints for people's time: days off, unsplittable tasks, load.

Each function is one named rule over the `Workforce` of a `SchedulingProblem`
(see `scheduler.workforce`), used by `constraints`:

- `person_interval` — a person's optional interval on a task runs from the
                      task's start to the end of `duration` of the person's
                      working days (an element over `worktime` ends), so work
                      pauses over their days off; when present the task ends
                      there. A non-splittable task may not pause.
- `blocked_uses`    — a resource's blocked spans, as fixed intervals holding
                      its whole capacity, join the no-overlap / cumulative of
                      its named demands (equipment is not held on days off).
- `add_unsplittable` — a non-splittable task starts only where it straddles no
                      organisation break.
- `add_load_limits` — a person's assigned work days stay within `max_load` of
                      the makespan (the latest finish).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduler.problem import SchedulingProblem
from scheduler.worktime import Ends

if TYPE_CHECKING:
    from scheduler.constraints import Variables

PERCENT = 100
TaskVars = tuple[cp_model.IntVar, cp_model.IntVar, cp_model.IntVar]


def person_interval(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    key: tuple[int, int],
    task_vars: TaskVars,
    team_ends: dict[tuple[int, ...], tuple[cp_model.IntVar, cp_model.IntVar]],
) -> cp_model.IntervalVar:
    """The optional interval of `person` on `task` (key), given the task's
    (start, end, presence of the person). `team_ends` shares one element per
    team among a task's candidates."""
    index, person = key
    start, end, presence = task_vars
    duration = problem.tasks[index].duration
    name = f"works_{index}_{person}"
    team = problem.team(index, person)
    table = problem.spans.ends(team, duration)
    if table is None:
        if problem.stretches(index):
            model.add(end == start + duration).only_enforce_if(presence)
        return model.new_optional_fixed_size_interval_var(
            start, duration, presence, name
        )
    timed = problem.spans.timed(team)
    if timed not in team_ends:
        team_ends[timed] = _pausing_end(model, problem, (index, person), start, table)
    finish, span = team_ends[timed]
    model.add(end == finish).only_enforce_if(presence)
    if not problem.tasks[index].splittable:
        model.add(span == duration).only_enforce_if(presence)
    return model.new_optional_interval_var(start, span, finish, presence, name)


def _pausing_end(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    key: tuple[int, int],
    start: cp_model.IntVar,
    table: Ends,
) -> tuple[cp_model.IntVar, cp_model.IntVar]:
    """(finish, span) of the task's work by a team, from its `ends` table.

    After the team's last day off (`last`) work never pauses, so the element
    covers starts up to `last` only: index = min(start, last), and
    finish = table[index] + (start - index) with table[last] = last + duration.
    """
    index, person = key
    duration = problem.tasks[index].duration
    team = problem.spans.timed(problem.team(index, person))
    latest = problem.horizon - duration
    last = min(
        max(end for p in team for _, end in problem.workforce.blocked_of(p)), latest
    )
    values = [int(v) for v in table[:last]] + [last + duration]
    clipped = model.new_int_var(0, last, f"clip_{index}_{person}")
    model.add_min_equality(clipped, [start, last])
    looked_up = model.new_int_var(min(values), max(values), f"ends_{index}_{person}")
    model.add_element(clipped, values, looked_up)
    finish = model.new_int_var(
        duration, max(values) + latest, f"finish_{index}_{person}"
    )
    model.add(finish == looked_up + start - clipped)
    span = model.new_int_var(duration, max(values) + latest, f"span_{index}_{person}")
    model.add(span == finish - start)
    return finish, span


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
