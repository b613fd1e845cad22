"""The CP-SAT decision variables of one problem, shared by every model rule."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Variables:
    """Decision variables: one interval per task, one presence per candidate.

    `assigned[(task, person)]` is true when `person` works on `task`; its
    optional interval `person_intervals[(task, person)]` shares the task's start
    and, when present, its end. A task whose people have days off may span more
    days than its duration (it pauses over them).
    """

    starts: list[cp_model.IntVar]
    ends: list[cp_model.IntVar]
    intervals: list[cp_model.IntervalVar]
    assigned: dict[tuple[int, int], cp_model.IntVar]
    person_intervals: dict[tuple[int, int], cp_model.IntervalVar]
    makespan: cp_model.IntVar
