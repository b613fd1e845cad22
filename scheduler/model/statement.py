"""What a plan says it optimised, and a status true to it.

A plan reports the objective as stated in the request (its name with its
weights), that objective's value on the plan as returned (after the left
shift: its terms valued on the plan, `scheduler.model.objectives`), and a
bound on it that was proven; `optimal` only when the value
meets the bound (gap 0). Lexicographic objectives ("tardiness": then
makespan; "stability": days moved, then makespan) report their first term,
whose bound is proven only when CP-SAT proved the whole objective optimal;
so does a plan whose soft deadlines came first (their scale hides the
objective's own bound).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from domain import Plan, SolveStatus
from domain.objectives import BALANCE, CONTINUITY, COST, STAFFING_SCALE
from scheduler.model.objectives import WeightedTerms
from scheduler.options import SolveOptions
from scheduler.plan.result import SolveResult
from scheduler.plan.schedule import Schedule
from scheduler.problem.instance import SchedulingProblem

LABELS = {
    COST: "cost",
    BALANCE: "busiest person's days",
    CONTINUITY: "pairs kept by one person",
}


def stated(
    plan: Plan,
    problem: SchedulingProblem,
    options: SolveOptions,
    previous: Mapping[int, int],
    result: SolveResult,
) -> Plan:
    """The plan with the objective's name, value, proven bound and status."""
    name = objective_name(options, bool(previous))
    if not plan.has_schedule:
        return replace(plan, objective=name, objective_value=None)
    weights = options.term_weights(bool(previous))
    value = WeightedTerms(problem, weights, previous).value(schedule_of(plan, problem))
    bound = _bound(plan, problem, options, previous, result, value)
    status = SolveStatus.FEASIBLE
    if bound is not None and value <= bound:
        status = SolveStatus.OPTIMAL
    return replace(
        plan,
        objective=name,
        objective_value=value,
        objective_bound=bound,
        status=status,
    )


def objective_name(options: SolveOptions, previous: bool) -> str:
    """The objective as a formula a planner can read, e.g. "makespan + 2 x
    shift"; a lexicographic one by its name ("tardiness", "stability")."""
    own = options.objective.weighting.terms(options.stability_weight, previous, 1)
    if options.objective.weighting.first is not None:
        base = options.objective.value  # then the makespan, to break ties
    else:
        base = " + ".join(
            name if weight == 1 else f"{weight} x {name}"
            for name, weight in own.items()
        )
    staffing = options.staffing.terms()
    if not staffing:
        return base
    extra = [
        f"- {-weight:g} x {LABELS[name]}"
        if weight < 0
        else f"{weight:g} x {LABELS[name]}"
        for name, weight in staffing.items()
    ]
    return f"{STAFFING_SCALE} x ({base}) + " + " + ".join(extra)


def schedule_of(plan: Plan, problem: SchedulingProblem) -> Schedule:
    """A plan's starts, people (by index), makespan and finishes."""
    index = {resource: i for i, resource in enumerate(problem.resource_ids)}
    return Schedule(
        tuple(task.start for task in plan.tasks),
        tuple(tuple(index[p] for p in task.assignees) for task in plan.tasks),
        plan.makespan or 0,
        tuple(task.finish for task in plan.tasks),
    )


def _bound(
    plan: Plan,
    problem: SchedulingProblem,
    options: SolveOptions,
    previous: Mapping[int, int],
    result: SolveResult,
    value: int,
) -> int | None:
    proven_whole = result.status is SolveStatus.OPTIMAL
    lexicographic = options.objective.weighting.first is not None
    if problem.has_soft_deadlines or lexicographic or options.staffs:
        return value if proven_whole else None
    if options.plans_makespan(bool(previous)):
        return plan.lower_bound
    return result.objective_bound
