"""Time constraints on single tasks and the project, as named groups.

Each group (one task's release, pin, actual start, deadline; the project
deadline) is one unit a planner recognises, so an infeasible plan can be
explained by the groups that conflict. `add_time_limits` adds them plainly;
with `literals=True` each group is enforced by its own Boolean, which the
explanation solve passes to CP-SAT as an assumption.

    release:  start >= release            pin:      earliest <= start <= latest
    actual:   start == actual_start       deadline: finish <= deadline
    project deadline: makespan <= deadline
"""

from __future__ import annotations

from collections.abc import Iterator

from ortools.sat.python import cp_model

from scheduler.model.variables import Variables
from scheduler.problem.groups import ConstraintGroup, GroupKind, groups
from scheduler.problem.windows import TaskWindow


def add_time_limits(
    model: cp_model.CpModel,
    windows: tuple[TaskWindow, ...],
    deadline: int | None,
    variables: Variables,
    literals: bool = False,
) -> dict[ConstraintGroup, cp_model.IntVar]:
    """Add every group; with `literals`, each enforced by its returned Boolean."""
    enforcers: dict[ConstraintGroup, cp_model.IntVar] = {}
    for group in groups(windows, deadline):
        constraints = list(_constraints(model, windows, group, variables))
        if literals:
            enforcer = model.new_bool_var(f"{group.kind}_{group.task}")
            for constraint in constraints:
                constraint.only_enforce_if(enforcer)
            enforcers[group] = enforcer
    return enforcers


def _constraints(
    model: cp_model.CpModel,
    windows: tuple[TaskWindow, ...],
    group: ConstraintGroup,
    variables: Variables,
) -> Iterator[cp_model.Constraint]:
    if group.task is None:
        yield model.add(variables.makespan <= group.day)
        return
    start, end = variables.starts[group.task], variables.ends[group.task]
    window = windows[group.task]
    match group.kind:
        case GroupKind.RELEASE:
            yield model.add(start >= group.day)
        case GroupKind.PIN:
            if window.pin_earliest is not None:
                yield model.add(start >= window.pin_earliest)
            if window.pin_latest is not None:
                yield model.add(start <= window.pin_latest)
        case GroupKind.ACTUAL:
            yield model.add(start == group.day)
        case GroupKind.DEADLINE:
            yield model.add(end <= group.day)
