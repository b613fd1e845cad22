"""The staffing terms an objective may weigh: cost, balance, continuity.

    cost_weight * sum(cost_rate[p] * work[t] over assignments)
    + balance_weight * (days of work of the busiest person)
    - continuity_weight * (dependent task pairs done by the same person)

Qualifications stay hard (candidates are the qualified people only).
Planners reach them through `SolveOptions` (`cost_weight`, `balance_weight`,
`continuity_weight`, see `domain.objectives`); each term is defined once
here, with its CP-SAT expression and its value on a schedule.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.terms import Expression, Term
from scheduler.model.variables import Variables
from scheduler.plan.schedule import Schedule


class Cost(Term):
    """Cost rate x days per assignment. Weighted and rounded per assignment
    (CP-SAT counts whole units), so its weighted forms are its own."""

    def expression(self, model: cp_model.CpModel, variables: Variables) -> Expression:
        return self.weighted_expression(model, variables, 1.0)

    def value(self, schedule: Schedule) -> int:
        return self.weighted_value(schedule, 1.0)

    def weighted_expression(
        self, model: cp_model.CpModel, variables: Variables, weight: float
    ) -> Expression:
        return cp_model.LinearExpr.sum(
            [
                self._price(task, person, weight) * literal
                for (task, person), literal in variables.assigned.items()
            ]
        )

    def weighted_value(self, schedule: Schedule, weight: float) -> int:
        return sum(
            self._price(task, person, weight)
            for task, people in enumerate(schedule.assignees)
            for person in people
        )

    def _price(self, task: int, person: int, weight: float) -> int:
        rates = self.problem.workforce.cost_rates
        rate = rates[person] if person < len(rates) else 0
        return round(weight * rate * self.problem.tasks[task].work)


class Balance(Term):
    """Days of work assigned to the busiest person."""

    def expression(self, model: cp_model.CpModel, variables: Variables) -> Expression:
        work: dict[int, list[Expression]] = {}
        for (task, person), literal in variables.assigned.items():
            days = self.problem.tasks[task].work
            work.setdefault(person, []).append(days * literal)
        busiest = model.new_int_var(0, self.problem.horizon, "busiest")
        for load in work.values():
            model.add(busiest >= cp_model.LinearExpr.sum(load))
        return busiest

    def value(self, schedule: Schedule) -> int:
        worked: dict[int, int] = {}
        for task, people in enumerate(schedule.assignees):
            for person in people:
                days = self.problem.tasks[task].work
                worked[person] = worked.get(person, 0) + days
        return max(worked.values(), default=0)


class Continuity(Term):
    """Dependent pairs of one-person tasks done by the same person (weighted
    negatively: a pair kept is a gain)."""

    def expression(self, model: cp_model.CpModel, variables: Variables) -> Expression:
        kept = []
        tasks = self.problem.tasks
        for before, after in self._pairs():
            for person in set(tasks[before].candidates) & set(tasks[after].candidates):
                same = model.new_bool_var(f"same_{before}_{after}_{person}")
                model.add_implication(same, variables.assigned[before, person])
                model.add_implication(same, variables.assigned[after, person])
                kept.append(same)
        return cp_model.LinearExpr.sum(kept)

    def value(self, schedule: Schedule) -> int:
        people = schedule.assignees
        return sum(
            1 for before, after in self._pairs() if people[before] == people[after]
        )

    def _pairs(self) -> list[tuple[int, int]]:
        tasks = self.problem.tasks
        return [
            (c.predecessor, c.successor)
            for c in self.problem.precedences
            if tasks[c.predecessor].people == 1
            and tasks[c.successor].people == 1
            and set(tasks[c.predecessor].candidates)
            & set(tasks[c.successor].candidates)
        ]
