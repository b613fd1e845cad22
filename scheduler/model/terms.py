"""The terms of time an objective weighs, each defined once: its CP-SAT
expression over the model's variables and its value on a finished schedule.

`makespan`, `tardiness`, `shift` and `lateness` as `domain.objectives`
defines them; the staffing terms are in `scheduler.model.staffing`. A term's
value on the schedule a solve returns equals its expression there (the
consistency test re-checks every named objective on validated plans).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

from ortools.sat.python import cp_model

from scheduler.model.variables import Variables
from scheduler.plan.schedule import Schedule
from scheduler.problem.instance import SchedulingProblem

Expression = cp_model.LinearExprT


class Term(ABC):
    """One measure of a schedule, minimised with a weight.

    `previous`: a previous plan's starts by task index (for `shift`)."""

    def __init__(self, problem: SchedulingProblem, previous: Mapping[int, int]):
        self.problem, self.previous = problem, previous

    @abstractmethod
    def expression(self, model: cp_model.CpModel, variables: Variables) -> Expression:
        """The term over the model's variables (new variables as needed)."""

    @abstractmethod
    def value(self, schedule: Schedule) -> int:
        """The term on a finished schedule."""

    def weighted_expression(
        self, model: cp_model.CpModel, variables: Variables, weight: float
    ) -> Expression:
        return whole(weight) * self.expression(model, variables)

    def weighted_value(self, schedule: Schedule, weight: float) -> int:
        return whole(weight) * self.value(schedule)

    def finishes(self, schedule: Schedule) -> list[int]:
        return [schedule.finish(self.problem, t) for t in range(len(schedule.starts))]


def whole(weight: float) -> int:
    """A weight CP-SAT can use: terms other than cost take whole weights."""
    if weight != int(weight):
        raise ValueError(f"weight {weight} of a whole-unit term is not whole")
    return int(weight)


class Makespan(Term):
    """The latest finish."""

    def expression(self, model: cp_model.CpModel, variables: Variables) -> Expression:
        return variables.makespan

    def value(self, schedule: Schedule) -> int:
        return schedule.makespan


class Tardiness(Term):
    """Sum over tasks with a due day of tardiness weight x days past it."""

    def expression(self, model: cp_model.CpModel, variables: Variables) -> Expression:
        late_days = []
        for task, due, weight in self._due():
            late = model.new_int_var(0, self.problem.horizon, f"tardy_{task}")
            model.add(late >= variables.ends[task] - due)
            late_days.append(weight * late)
        return cp_model.LinearExpr.sum(late_days)

    def value(self, schedule: Schedule) -> int:
        finishes = self.finishes(schedule)
        return sum(w * max(finishes[t] - due, 0) for t, due, w in self._due())

    def _due(self) -> list[tuple[int, int, int]]:
        return [
            (task, window.due, window.tardiness_weight)
            for task, window in enumerate(self.problem.windows)
            if window.due is not None and window.tardiness_weight
        ]


class Shift(Term):
    """Days moved: sum over tasks of the previous plan of |start - its start|."""

    def expression(self, model: cp_model.CpModel, variables: Variables) -> Expression:
        shifts = []
        for task, start in sorted(self.previous.items()):
            bound = self.problem.horizon + start
            shift = model.new_int_var(0, bound, f"shift_{task}")
            model.add_abs_equality(shift, variables.starts[task] - start)
            shifts.append(shift)
        return cp_model.LinearExpr.sum(shifts)

    def value(self, schedule: Schedule) -> int:
        starts = schedule.starts
        return sum(abs(starts[task] - start) for task, start in self.previous.items())


class Lateness(Term):
    """Days past each soft deadline by its weight (the task's priority, at
    least 1), plus days past the project's (`scheduler.model.lateness`)."""

    def expression(self, model: cp_model.CpModel, variables: Variables) -> Expression:
        horizon, days = self.problem.horizon, []
        for task, day, weight in self.problem.soft_deadlines:
            late = model.new_int_var(0, horizon, f"late_{task}")
            model.add(late >= variables.ends[task] - day)
            days.append(weight * late)
        deadline = self.problem.soft_project_deadline
        if deadline is not None:
            late = model.new_int_var(0, horizon, "late_project")
            model.add(late >= variables.makespan - deadline)
            days.append(late)
        return cp_model.LinearExpr.sum(days)

    def value(self, schedule: Schedule) -> int:
        finishes = self.finishes(schedule)
        late = sum(
            weight * max(finishes[task] - day, 0)
            for task, day, weight in self.problem.soft_deadlines
        )
        deadline = self.problem.soft_project_deadline
        if deadline is not None:
            late += max(schedule.makespan - deadline, 0)
        return late
