"""The CP-SAT model, one named constraint per function, added in this order.

1. `add_precedences`     — FS/SS/FF/SF dependencies with (possibly negative) lags.
2. `add_assignments`     — a task asking for skills gets exactly `people` people.
3. `add_resource_limits` — at no time does a resource hold more than its capacity
                           (named demands plus assigned people, one unit each).
4. `add_makespan`        — the makespan is the latest finish; it is minimised.
5. `add_unsplittable`, `add_load_limits` — people's time (`scheduler.workforce_model`);
   blocked days join the resource limits of 3.

Each function reads only the `SchedulingProblem` and the `Variables` made by
`create_variables`; none depends on another having run.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from domain import DependencyType
from scheduler.problem import SchedulingProblem
from scheduler.workforce_model import add_load_limits, add_unsplittable, blocked_uses


@dataclass(frozen=True)
class Variables:
    """Decision variables: one interval per task, one presence per candidate.

    `assigned[(task, person)]` is true when `person` works on `task`; its
    optional interval `person_intervals[(task, person)]` shares the task's start.
    """

    starts: list[cp_model.IntVar]
    ends: list[cp_model.IntVar]
    intervals: list[cp_model.IntervalVar]
    assigned: dict[tuple[int, int], cp_model.IntVar]
    person_intervals: dict[tuple[int, int], cp_model.IntervalVar]
    makespan: cp_model.IntVar


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
        intervals.append(
            model.new_interval_var(start, task.duration, end, f"task_{index}")
        )
        for person in task.candidates:
            presence = model.new_bool_var(f"assigned_{index}_{person}")
            assigned[index, person] = presence
            person_intervals[index, person] = (
                model.new_optional_fixed_size_interval_var(
                    start, task.duration, presence, f"works_{index}_{person}"
                )
            )
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
        uses = _resource_uses(problem, variables, resource)
        if uses:
            uses += blocked_uses(model, problem, resource)
        if not uses:
            continue
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
    problem: SchedulingProblem, variables: Variables, resource: int
) -> list[tuple[cp_model.IntervalVar, int]]:
    """(interval, units) pairs that load `resource`: demands, then assignments."""
    uses = [
        (variables.intervals[task], units) for task, units in problem.uses_of(resource)
    ]
    for (_task, person), interval in variables.person_intervals.items():
        if person == resource:
            uses.append((interval, 1))
    return uses
