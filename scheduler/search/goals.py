"""What a search minimises: set on the model, and valued on a schedule."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ortools.sat.python import cp_model

from scheduler.model.variables import Variables
from scheduler.plan.placement import Schedule


class Goal(Protocol):
    """What the search minimises: set on the model, and evaluated on a plan."""

    def add(self, model: cp_model.CpModel, variables: Variables) -> None: ...

    def value(self, schedule: Schedule) -> float: ...

    def task_weights(self) -> Sequence[int] | None:
        """Ranks for the greedy plan (higher first), or None for none."""

    def task_groups(self) -> list[set[int]]:
        """Groups (e.g. projects) the search may re-plan whole; [] for none."""


class Makespan:
    """The default objective: the model already minimises the makespan."""

    def add(self, model: cp_model.CpModel, variables: Variables) -> None:
        return None

    def task_weights(self) -> Sequence[int] | None:
        return None

    def task_groups(self) -> list[set[int]]:
        return []

    def value(self, schedule: Schedule) -> float:
        return schedule.makespan
