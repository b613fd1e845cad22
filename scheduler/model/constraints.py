"""The CP-SAT model, one named constraint per function, added in this order.

1. `add_precedences`     — FS/SS/FF/SF dependencies with (possibly negative) lags.
2. `add_assignments`     — a task asking for skills gets exactly `people` people.
3. `add_resource_limits` — at no time does a resource hold more than its capacity
                           (named demands plus assigned people, one unit each).
4. `add_makespan`        — the makespan is the latest finish; it is minimised.
5. `add_unsplittable`, `add_load_limits` — people's time (`scheduler.model.workforce`);
   equipment's blocked days join the resource limits of 3; a person's days off
   shape the elapsed span of their tasks (`workforce_model.person_interval`).

Each function reads only the `SchedulingProblem` and the `Variables` made by
`create_variables`; none depends on another having run.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from domain import DependencyType
from scheduler.model.variables import Variables
from scheduler.model.workforce import (
    add_load_limits,
    add_team_spans,
    add_unsplittable,
)
from scheduler.problem.instance import SchedulingProblem


def create_variables(model: cp_model.CpModel, problem: SchedulingProblem) -> Variables:
    """Make the variables; every start and end lies within the problem horizon."""
    horizon = problem.horizon
    starts, ends, intervals = [], [], []
    assigned: dict[tuple[int, int], cp_model.IntVar] = {}
    person_intervals: dict[tuple[int, int], cp_model.IntervalVar] = {}
    for index, task in enumerate(problem.tasks):
        start = model.new_int_var(0, horizon - task.duration, f"start_{index}")
        end = model.new_int_var(task.duration, horizon, f"end_{index}")
        starts.append(start)
        ends.append(end)
        stretches = problem.stretches(index)
        size: cp_model.LinearExprT = task.duration
        if stretches:
            size = model.new_int_var(task.duration, horizon, f"span_{index}")
        intervals.append(model.new_interval_var(start, size, end, f"task_{index}"))
        for person in task.candidates:
            presence = model.new_bool_var(f"assigned_{index}_{person}")
            assigned[index, person] = presence
            person_intervals[index, person] = model.new_optional_interval_var(
                start, size, end, presence, f"works_{index}_{person}"
            )
        if stretches:
            add_team_spans(model, problem, index, (start, end), assigned)
    lowest = problem.critical_path_length() or 0
    makespan = model.new_int_var(min(lowest, horizon), horizon, "makespan")
    return Variables(starts, ends, intervals, assigned, person_intervals, makespan)


def add_precedences(
    model: cp_model.CpModel, problem: SchedulingProblem, variables: Variables
) -> None:
    """Each dependency holds with its lag.

    FS: start[j] >= finish[i] + lag    SS: start[j] >= start[i] + lag
    FF: finish[j] >= finish[i] + lag   SF: finish[j] >= start[i] + lag
    """
    starts, ends = variables.starts, variables.ends
    for precedence in problem.precedences:
        before, after = precedence.predecessor, precedence.successor
        lag = precedence.lag
        match precedence.type:
            case DependencyType.FS:
                model.add(starts[after] >= ends[before] + lag)
            case DependencyType.SS:
                model.add(starts[after] >= starts[before] + lag)
            case DependencyType.FF:
                model.add(ends[after] >= ends[before] + lag)
            case DependencyType.SF:
                model.add(ends[after] >= starts[before] + lag)


def add_assignments(
    model: cp_model.CpModel, problem: SchedulingProblem, variables: Variables
) -> None:
    """A task that asks for skills is done by exactly `people` qualified people.

    Candidates are the qualified people only, so qualification needs no
    constraint of its own; distinctness follows from one literal per person.
    """
    for index, task in enumerate(problem.tasks):
        if task.candidates:
            presences = [variables.assigned[index, p] for p in task.candidates]
            model.add(sum(presences) == task.people)


def add_resource_limits(
    model: cp_model.CpModel, problem: SchedulingProblem, variables: Variables
) -> None:
    """At every time a resource's load stays within its capacity.

    The load is the named demands of the tasks running then, plus one unit for
    each task the resource (a person) is assigned to. A capacity of one becomes
    a no-overlap constraint, which propagates more strongly than a cumulative.
    """
    for resource, capacity in enumerate(problem.capacities):
        uses = _resource_uses(model, problem, variables, resource)
        _add_capacity(model, uses, capacity)


def _add_capacity(
    model: cp_model.CpModel,
    uses: list[tuple[cp_model.IntervalVar, int]],
    capacity: int,
) -> None:
    if not uses:
        return
    intervals = [interval for interval, _ in uses]
    if capacity == 1:
        model.add_no_overlap(intervals)
    else:
        model.add_cumulative(intervals, [units for _, units in uses], capacity)


def add_makespan(
    model: cp_model.CpModel, problem: SchedulingProblem, variables: Variables
) -> None:
    """The makespan is at least every task's finish, and is minimised."""
    for end in variables.ends:
        model.add(variables.makespan >= end)
    model.minimize(variables.makespan)


def build_model(problem: SchedulingProblem) -> tuple[cp_model.CpModel, Variables]:
    """The whole model: variables, then each named constraint in order."""
    model = cp_model.CpModel()
    model.name = problem.name
    variables = create_variables(model, problem)
    for add_constraint in (
        add_precedences,
        add_assignments,
        add_resource_limits,
        add_makespan,
        add_unsplittable,
        add_load_limits,
    ):
        add_constraint(model, problem, variables)
    return model, variables


def _resource_uses(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    variables: Variables,
    resource: int,
) -> list[tuple[cp_model.IntervalVar, int]]:
    """(interval, units) pairs that load `resource`: demands, assignments,
    then the time reserved for work outside the problem."""
    uses = [
        (variables.intervals[task], units) for task, units in problem.uses_of(resource)
    ]
    for (_task, person), interval in variables.person_intervals.items():
        if person == resource:
            uses.append((interval, 1))
    if uses:
        uses += [
            (model.new_fixed_size_interval_var(start, end - start, "taken"), units)
            for taken, start, end, units in problem.reserved
            if taken == resource and end > start
        ]
    return uses
