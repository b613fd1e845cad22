"""What a plan optimises: makespan, weighted tardiness, stability, or a mix.

Each term is one named, integer expression over the model's variables:

- makespan:   the latest finish;
- tardiness:  sum over tasks with a due day of weight * max(0, finish - due);
- shift:      sum over tasks in the previous plan of |start - previous start|.

`TARDINESS` and `STABILITY` are lexicographic: their own term first, the
makespan only to break ties (scaled so one unit of the first term outweighs
any makespan). `WEIGHTED` adds makespan + tardiness + stability_weight * shift.
Any objective adds `stability_weight * shift` when a previous plan is given.
With staffing terms (`scheduler.model.staffing`), the objective above counts
`STAFFING_SCALE` per unit and the weighted cost, balance and continuity join it.
Soft deadlines (`scheduler.model.lateness`) come before all of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.model.lateness import lateness_terms, put_first
from scheduler.model.staffing import StaffingObjective
from scheduler.model.variables import Variables
from scheduler.options import Objective
from scheduler.problem.instance import SchedulingProblem

STAFFING_SCALE = 1000


@dataclass(frozen=True)
class Terms:
    """The objective's terms as model expressions (zero when absent)."""

    makespan: cp_model.IntVar
    tardiness: cp_model.LinearExpr
    shift: cp_model.LinearExpr


def add_objective(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    variables: Variables,
    objective: Objective,
    previous: Mapping[int, int],
    stability_weight: int,
    staffing: StaffingObjective | None = None,
) -> Terms:
    """Build the terms and set the model's objective; returns the terms."""
    terms = Terms(
        variables.makespan,
        _tardiness(model, problem, variables),
        _shift(model, problem, variables, previous),
    )
    scale = problem.horizon + 1
    stability = (
        stability_weight * terms.shift if previous else cp_model.LinearExpr.sum([])
    )
    match objective:
        case Objective.MAKESPAN:
            goal = terms.makespan + stability
        case Objective.TARDINESS:
            goal = scale * terms.tardiness + terms.makespan + stability
        case Objective.STABILITY:
            goal = scale * terms.shift + terms.makespan
        case Objective.WEIGHTED:
            goal = terms.makespan + terms.tardiness + stability
    if staffing is None:
        model.minimize(goal)
    else:
        extra = staffing.terms(model, variables)
        model.minimize(STAFFING_SCALE * goal + cp_model.LinearExpr.sum(extra))
    late = lateness_terms(model, problem, variables)
    if late:
        put_first(model, late)
    return terms


def _tardiness(
    model: cp_model.CpModel, problem: SchedulingProblem, variables: Variables
) -> cp_model.LinearExpr:
    late_days = []
    for task, window in enumerate(problem.windows):
        if window.due is None or window.tardiness_weight == 0:
            continue
        late = model.new_int_var(0, problem.horizon, f"late_{task}")
        model.add(late >= variables.ends[task] - window.due)
        late_days.append(window.tardiness_weight * late)
    return cp_model.LinearExpr.sum(late_days)


def _shift(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    variables: Variables,
    previous: Mapping[int, int],
) -> cp_model.LinearExpr:
    shifts = []
    for task, start in sorted(previous.items()):
        shift = model.new_int_var(0, problem.horizon + start, f"shift_{task}")
        model.add_abs_equality(shift, variables.starts[task] - start)
        shifts.append(shift)
    return cp_model.LinearExpr.sum(shifts)
