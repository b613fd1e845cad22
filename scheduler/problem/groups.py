"""Time constraints on single tasks and the project, as named groups.

Each group (one task's release, pin, actual start, deadline; the project
deadline) is one unit a planner recognises, so an infeasible plan can be
explained by the groups that conflict (`scheduler.problem.chains` finds them
from dependencies alone, `scheduler.model.timing` adds them to the model).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from scheduler.problem.windows import TaskWindow


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
