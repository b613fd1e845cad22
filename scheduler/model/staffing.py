"""Objectives beside time for staffing: cost, balanced load, continuity.

    minimise  makespan_weight * makespan
            + cost_weight * sum(cost_rate[p] * duration[t] over assignments)
            + balance_weight * (days of work of the busiest person)
            - continuity_weight * (dependent task pairs done by the same person)

Qualifications stay hard (candidates are the qualified people only). Planners
reach it through `SolveOptions` (`cost_weight`, `balance_weight`,
`continuity_weight`): `scheduler.solve` adds `terms` to any objective, and the
large-problem search minimises this objective; `people.solve_people(...,
weights=...)` takes the weights directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.model.variables import Variables
from scheduler.options import SolveOptions
from scheduler.plan.placement import Schedule
from scheduler.problem.instance import SchedulingProblem


@dataclass(frozen=True)
class StaffingWeights:
    """Integer weights of each term (cost is rounded to whole units)."""

    makespan: int = 1000
    cost: float = 0.0
    balance: int = 0
    continuity: int = 0

    @classmethod
    def of(cls, options: SolveOptions) -> StaffingWeights:
        """The weights a planner set on the solve options."""
        return cls(
            cost=options.cost_weight,
            balance=options.balance_weight,
            continuity=options.continuity_weight,
        )


class StaffingObjective:
    """The weighted staffing objective; see the module docstring."""

    def __init__(self, problem: SchedulingProblem, weights: StaffingWeights) -> None:
        self.problem, self.weights = problem, weights
        rates = problem.workforce.cost_rates
        self.price = {
            (t, p): round(
                weights.cost * (rates[p] if p < len(rates) else 0) * task.duration
            )
            for t, task in enumerate(problem.tasks)
            for p in task.candidates
        }
        self.pairs = [
            (c.predecessor, c.successor)
            for c in problem.precedences
            if problem.tasks[c.predecessor].people == 1
            and problem.tasks[c.successor].people == 1
            and set(problem.tasks[c.predecessor].candidates)
            & set(problem.tasks[c.successor].candidates)
        ]

    def add(self, model: cp_model.CpModel, variables: Variables) -> None:
        makespan = self.weights.makespan * variables.makespan
        terms = self.terms(model, variables)
        model.minimize(makespan + cp_model.LinearExpr.sum(terms))

    def terms(
        self, model: cp_model.CpModel, variables: Variables
    ) -> list[cp_model.LinearExprT]:
        """The weighted cost, balance and continuity terms (no makespan)."""
        w = self.weights
        terms: list[cp_model.LinearExprT] = []
        if w.cost:
            terms += [
                self.price[key] * literal for key, literal in variables.assigned.items()
            ]
        if w.balance:
            busiest = model.new_int_var(0, self.problem.horizon, "busiest")
            for work in self._work(variables).values():
                model.add(busiest >= sum(work))
            terms.append(w.balance * busiest)
        if w.continuity:
            for before, after in self.pairs:
                for person in set(self.problem.tasks[before].candidates) & set(
                    self.problem.tasks[after].candidates
                ):
                    same = model.new_bool_var(f"same_{before}_{after}_{person}")
                    model.add_implication(same, variables.assigned[before, person])
                    model.add_implication(same, variables.assigned[after, person])
                    terms.append(-w.continuity * same)
        return terms

    def value(self, schedule: Schedule) -> float:
        w, tasks = self.weights, self.problem.tasks
        worked: dict[int, int] = {}
        cost = 0
        for t, people in enumerate(schedule.assignees):
            for p in people:
                worked[p] = worked.get(p, 0) + tasks[t].duration
                cost += self.price.get((t, p), 0)
        same = sum(
            1
            for before, after in self.pairs
            if schedule.assignees[before] == schedule.assignees[after]
        )
        return (
            w.makespan * schedule.makespan
            + (cost if w.cost else 0)
            + w.balance * max(worked.values(), default=0)
            - w.continuity * same
        )

    def task_weights(self) -> Sequence[int] | None:
        return None

    def task_groups(self) -> list[set[int]]:
        return []

    def _work(self, variables: Variables) -> dict[int, list[cp_model.LinearExprT]]:
        work: dict[int, list[cp_model.LinearExprT]] = {}
        for (task, person), literal in variables.assigned.items():
            work.setdefault(person, []).append(
                self.problem.tasks[task].duration * literal
            )
        return work
