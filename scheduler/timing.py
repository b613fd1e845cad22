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
from dataclasses import dataclass
from enum import StrEnum

from ortools.sat.python import cp_model

from scheduler.constraints import Variables
from scheduler.windows import TaskWindow


class GroupKind(StrEnum):
    RELEASE = "release"
    PIN = "pin"
    ACTUAL = "actual start"
    DEADLINE = "deadline"
    PROJECT_DEADLINE = "project deadline"


@dataclass(frozen=True)
class ConstraintGroup:
    """A named time constraint: its kind, its task (None: the project), a day."""

    kind: GroupKind
    task: int | None
    day: int


def groups(
    windows: tuple[TaskWindow, ...], deadline: int | None
) -> Iterator[ConstraintGroup]:
    """Every time constraint group of a problem, task by task, then the project."""
    for task, window in enumerate(windows):
        if window.release is not None:
            yield ConstraintGroup(GroupKind.RELEASE, task, window.release)
        if window.pin_earliest is not None or window.pin_latest is not None:
            day = window.pin_earliest if window.pin_earliest is not None else 0
            yield ConstraintGroup(GroupKind.PIN, task, day)
        if window.actual_start is not None:
            yield ConstraintGroup(GroupKind.ACTUAL, task, window.actual_start)
        if window.deadline is not None:
            yield ConstraintGroup(GroupKind.DEADLINE, task, window.deadline)
    if deadline is not None:
        yield ConstraintGroup(GroupKind.PROJECT_DEADLINE, None, deadline)


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
