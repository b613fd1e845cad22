"""The named objectives, each a weighting of terms: the one registry.

A term is one measure of a schedule, defined once in `scheduler.model.terms`
with its CP-SAT expression and its value on a finished schedule:

- makespan:   the latest finish;
- tardiness:  sum over tasks with a due day of priority x days past it;
- shift:      sum over tasks of a previous plan of |start - previous start|;
- cost:       cost rate x days per assignment (weighted, rounded per assignment);
- balance:    days of work of the busiest person;
- continuity: dependent task pairs done by the same person;
- lateness:   days past each soft deadline, by priority (`scheduler.model.lateness`);
- project_finish:    sum over a portfolio's projects of priority x its finish;
- project_tardiness: sum over a portfolio's projects of priority x days past
  its deadline (`scheduler.model.projects`).

A named objective (`Objective`) is a `Weighting`: weights on its own terms,
and optionally a term minimised first (lexicographic: scaled past the span of
the makespan, which then breaks ties), whose value the plan reports. A
request's stability weight adds `shift` when a previous plan is given; its
staffing weights add cost, balance and continuity, the objective's own terms
then counting `STAFFING_SCALE` per unit; soft deadlines put lateness before
all of it. `p80` and `p_deadline` weigh as the makespan: the service plans
candidates so and picks among them by a forecast figure (`chosen_by`,
`service.choosing`). The HTTP schema and the command line list these names.
A portfolio of projects planned together weighs `PORTFOLIO`, stated under
`PORTFOLIO_NAME`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

STAFFING_SCALE = 1000
MAKESPAN, TARDINESS, SHIFT = "makespan", "tardiness", "shift"
COST, BALANCE, CONTINUITY, LATENESS = "cost", "balance", "continuity", "lateness"
PROJECT_FINISH, PROJECT_TARDINESS = "project_finish", "project_tardiness"


class Objective(StrEnum):
    """What a plan optimises; its weighting is `WEIGHTINGS[objective]`."""

    MAKESPAN = "makespan"
    TARDINESS = "tardiness"
    STABILITY = "stability"
    WEIGHTED = "weighted"
    P80 = "p80"
    P_DEADLINE = "p_deadline"

    @property
    def weighting(self) -> Weighting:
        return WEIGHTINGS[self]


@dataclass(frozen=True)
class Weighting:
    """An objective's own terms with their weights; `first`, a term minimised
    before them (the plan then reports its value); `chosen_by`, the forecast
    figure the service chooses a plan by among candidates planned so."""

    weights: tuple[tuple[str, int], ...]
    first: str | None = None
    chosen_by: str | None = None

    @property
    def makespan_alone(self) -> bool:
        """Whether the objective's own terms are the makespan alone."""
        return self.weights == ((MAKESPAN, 1),) and self.first is None

    def terms(
        self, stability_weight: int, previous: bool, first_scale: int | None
    ) -> dict[str, int]:
        """Term -> weight: the own terms, `shift` at `stability_weight` when a
        previous plan is given, and the first term at `first_scale`; with
        `first_scale` None, the terms a plan states: the first term alone
        when there is one."""
        if self.first is not None and first_scale is None:
            return {self.first: 1}
        weights = dict(self.weights)
        if previous and stability_weight and self.first != SHIFT:
            weights[SHIFT] = weights.get(SHIFT, 0) + stability_weight
        if self.first is not None and first_scale is not None:
            weights[self.first] = first_scale
        return weights


WEIGHTINGS: dict[Objective, Weighting] = {
    Objective.MAKESPAN: Weighting(((MAKESPAN, 1),)),
    Objective.TARDINESS: Weighting(((MAKESPAN, 1),), first=TARDINESS),
    Objective.STABILITY: Weighting(((MAKESPAN, 1),), first=SHIFT),
    Objective.WEIGHTED: Weighting(((MAKESPAN, 1), (TARDINESS, 1))),
    Objective.P80: Weighting(((MAKESPAN, 1),), chosen_by="p80"),
    Objective.P_DEADLINE: Weighting(((MAKESPAN, 1),), chosen_by="p_deadline"),
}
OBJECTIVE_NAMES = tuple(objective.value for objective in Objective)
# A portfolio: a day late weighs a hundred days of finish, both by priority.
PORTFOLIO = Weighting(((PROJECT_TARDINESS, 100), (PROJECT_FINISH, 1)))
PORTFOLIO_NAME = "sum of priority x (100 x tardiness + finish) over projects"
CHOSEN_BY_FORECAST = tuple(o.value for o in Objective if o.weighting.chosen_by)


@dataclass(frozen=True)
class StaffingWeights:
    """Weights of the staffing terms (cost is rounded to whole units per
    assignment); with any of them, the objective's own terms count
    `STAFFING_SCALE` per unit."""

    cost: float = 0.0
    balance: int = 0
    continuity: int = 0

    def __bool__(self) -> bool:
        return bool(self.cost or self.balance or self.continuity)

    def terms(self) -> dict[str, float]:
        """Term -> weight (continuity counts against: pairs kept are a gain)."""
        weights = {COST: self.cost, BALANCE: self.balance, CONTINUITY: -self.continuity}
        return {name: weight for name, weight in weights.items() if weight}
