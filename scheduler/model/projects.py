"""The terms of a portfolio: each project's finish and tardiness, by priority.

A portfolio's projects are `SchedulingProblem.projects` (`scheduler.
portfolio` sets them): a project finishes with its last task, and no earlier
than its `floor` (its tasks outside a sub-problem, `scheduler.search.
subproblem`). `domain.objectives.PORTFOLIO` weighs these two terms.
"""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from scheduler.model.terms import Expression, Term
from scheduler.model.variables import Variables
from scheduler.plan.schedule import Schedule
from scheduler.problem.data import ProjectGroup


class ProjectFinish(Term):
    """Sum over projects of priority x finish."""

    def expression(self, model: cp_model.CpModel, variables: Variables) -> Expression:
        finishes = [
            group.priority * _finish(model, variables, group, self.problem.horizon)
            for group in self.problem.projects
        ]
        return cp_model.LinearExpr.sum(finishes)

    def value(self, schedule: Schedule) -> int:
        ends = self.finishes(schedule)
        return sum(
            group.priority * project_finish(group, ends)
            for group in self.problem.projects
        )


class ProjectTardiness(Term):
    """Sum over projects with a due day of priority x days past it."""

    def expression(self, model: cp_model.CpModel, variables: Variables) -> Expression:
        late_days = []
        for group in self.problem.projects:
            if group.due is None:
                continue
            horizon = max(self.problem.horizon, group.floor)
            late = model.new_int_var(
                max(group.floor - group.due, 0), horizon, f"late_{group.name}"
            )
            for task in group.tasks:
                model.add(late >= variables.ends[task] - group.due)
            late_days.append(group.priority * late)
        return cp_model.LinearExpr.sum(late_days)

    def value(self, schedule: Schedule) -> int:
        ends = self.finishes(schedule)
        return sum(
            group.priority * project_tardiness(group, project_finish(group, ends))
            for group in self.problem.projects
        )


def project_finish(group: ProjectGroup, ends: Sequence[int]) -> int:
    """The project's finish: its last task's end, at least its floor."""
    return max([group.floor, *(ends[task] for task in group.tasks)])


def project_tardiness(group: ProjectGroup, finish: int) -> int:
    """Days the project finishes past its due day (0 without one)."""
    return 0 if group.due is None else max(finish - group.due, 0)


def _finish(
    model: cp_model.CpModel, variables: Variables, group: ProjectGroup, horizon: int
) -> cp_model.IntVar:
    finish = model.new_int_var(0, max(horizon, group.floor), f"finish_{group.name}")
    ends = [variables.ends[task] for task in group.tasks]
    model.add_max_equality(finish, [group.floor, *ends])
    return finish
