"""An objective on the model: weighted terms, set as CP-SAT's objective and
valued on a schedule by the same terms.

`TERMS` maps each term's name (`domain.objectives`) to its one
definition (`scheduler.model.terms`, `scheduler.model.staffing`).
`WeightedTerms` is an objective made of them: what `add_objective` minimises
for a solve, what the search minimises and compares schedules by
(`scheduler.search.goals.Goal`), and what a plan states as its value
(`scheduler.model.statement`, `scheduler.portfolio`). Over a portfolio's
projects (`SchedulingProblem.projects`) it also ranks each task by its
project's priority and hands the search the projects as groups. Soft
deadlines come before all of it: lateness is scaled past the span of the
rest, so no gain there can buy a day late.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from domain.objectives import (
    BALANCE,
    CONTINUITY,
    COST,
    LATENESS,
    MAKESPAN,
    PROJECT_FINISH,
    PROJECT_TARDINESS,
    SHIFT,
    STAFFING_SCALE,
    TARDINESS,
    StaffingWeights,
)
from scheduler.model.projects import ProjectFinish, ProjectTardiness
from scheduler.model.staffing import Balance, Continuity, Cost
from scheduler.model.terms import Lateness, Makespan, Shift, Tardiness, Term
from scheduler.model.variables import Variables
from scheduler.plan.schedule import Schedule
from scheduler.problem.instance import SchedulingProblem

TERMS: dict[str, type[Term]] = {
    MAKESPAN: Makespan,
    TARDINESS: Tardiness,
    SHIFT: Shift,
    COST: Cost,
    BALANCE: Balance,
    CONTINUITY: Continuity,
    LATENESS: Lateness,
    PROJECT_FINISH: ProjectFinish,
    PROJECT_TARDINESS: ProjectTardiness,
}


class WeightedTerms:
    """sum over terms of weight x term; zero weights leave a term out."""

    def __init__(
        self,
        problem: SchedulingProblem,
        weights: Mapping[str, float],
        previous: Mapping[int, int] | None = None,
    ) -> None:
        self.problem, self.weights = problem, dict(weights)
        self.previous = previous or {}
        self.parts = [
            (TERMS[name](problem, self.previous), weight)
            for name, weight in weights.items()
            if weight
        ]

    def expression(
        self, model: cp_model.CpModel, variables: Variables
    ) -> cp_model.LinearExprT:
        return cp_model.LinearExpr.sum(
            [term.weighted_expression(model, variables, w) for term, w in self.parts]
        )

    def add(self, model: cp_model.CpModel, variables: Variables) -> None:
        """Minimise the weighted terms on `model`."""
        model.minimize(self.expression(model, variables))

    def value(self, schedule: Schedule) -> int:
        """The weighted terms on a finished schedule."""
        return sum(term.weighted_value(schedule, w) for term, w in self.parts)

    def task_weights(self) -> Sequence[int] | None:
        """In a portfolio, each task ranks by its project's priority (higher
        projects first); else None."""
        if not self.problem.projects:
            return None
        ranks = [1] * self.problem.num_tasks
        for group in self.problem.projects:
            for task in group.tasks:
                ranks[task] = group.priority
        return ranks

    def task_groups(self) -> list[set[int]]:
        """A portfolio's projects: the search re-plans a couple of them whole."""
        return [set(group.tasks) for group in self.problem.projects]

    def on(self, sub: SchedulingProblem) -> WeightedTerms:
        """The same terms over a sub-problem of some free tasks (`scheduler.
        search.subproblem`: the fixed rest is in its windows, reservations and
        project floors); terms that need a previous plan cannot follow."""
        if self.previous:
            raise ValueError("a previous plan's shift has no sub-problem form")
        return WeightedTerms(sub, self.weights)


def staffing_goal(
    problem: SchedulingProblem, weights: StaffingWeights
) -> WeightedTerms:
    """The makespan at `STAFFING_SCALE` per day with the staffing terms: what
    the search minimises for a staffing problem weighted so."""
    return WeightedTerms(problem, {MAKESPAN: STAFFING_SCALE, **weights.terms()})


def add_objective(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    variables: Variables,
    weights: Mapping[str, float],
    previous: Mapping[int, int],
) -> None:
    """Minimise the weighted terms, soft deadlines' lateness first."""
    objective = WeightedTerms(problem, weights, previous)
    rest = objective.expression(model, variables)
    model.minimize(rest)
    if problem.has_soft_deadlines:
        late = Lateness(problem, previous).expression(model, variables)
        scale = _span(model) + 1
        model.minimize(cp_model.LinearExpr.weighted_sum([late, rest], [scale, 1]))


def _span(model: cp_model.CpModel) -> int:
    """How far the model's objective can range, from its variables' domains."""
    proto = model.proto
    span = 0
    for var, coeff in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        domain = list(proto.variables[var].domain)  # (no negative indexing on it)
        span += abs(coeff) * (domain[-1] - domain[0])
    return span
