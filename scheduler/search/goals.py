"""What a search minimises: set on the model, and valued on a schedule.

Every goal is an objective of weighted terms (`scheduler.model.objectives.
WeightedTerms`): its value on a schedule is its terms' value there, each term
defined once (`scheduler.model.terms`). `Makespan` is the makespan term alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ortools.sat.python import cp_model

from domain.objectives import MAKESPAN
from scheduler.model.objectives import WeightedTerms
from scheduler.model.variables import Variables
from scheduler.plan.schedule import Schedule
from scheduler.problem.instance import SchedulingProblem


class Goal(Protocol):
    """What the search minimises: set on the model, and evaluated on a plan."""

    def add(self, model: cp_model.CpModel, variables: Variables) -> None: ...

    def value(self, schedule: Schedule) -> float: ...

    def task_weights(self) -> Sequence[int] | None:
        """Ranks for the greedy plan (higher first), or None for none."""

    def task_groups(self) -> list[set[int]]:
        """Groups (e.g. projects) the search may re-plan whole; [] for none."""


class Makespan(WeightedTerms):
    """The makespan term alone: the default goal."""

    def __init__(self, problem: SchedulingProblem) -> None:
        super().__init__(problem, {MAKESPAN: 1})

    def add(self, model: cp_model.CpModel, variables: Variables) -> None:
        """Nothing to add: the model already minimises the makespan
        (`scheduler.model.constraints.build_model`)."""
