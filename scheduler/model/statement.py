"""What a plan says it optimised, and a status true to it.

A plan reports the objective as stated in the request (its name with its
weights), that objective's value on the plan as returned (after the left
shift), and a bound on it that was proven; `optimal` only when the value
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
from scheduler.model.objectives import STAFFING_SCALE
from scheduler.model.staffing import StaffingObjective, StaffingWeights
from scheduler.options import Objective, SolveOptions
from scheduler.plan.placement import Schedule
from scheduler.plan.result import SolveResult
from scheduler.problem.instance import SchedulingProblem

FIRST_TERMS = {Objective.TARDINESS: "tardiness", Objective.STABILITY: "shift"}


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
    value = _value(plan, problem, options, previous)
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
    shift"; a lexicographic one by its first term ("tardiness")."""
    shift = f" + {options.stability_weight} x shift"
    shift = shift if previous and options.stability_weight else ""
    match options.objective:
        case Objective.MAKESPAN:
            base = "makespan" + shift
        case Objective.TARDINESS:
            base = "tardiness"  # then makespan and shift, to break ties
        case Objective.STABILITY:
            base = "stability"  # days moved; then makespan
        case Objective.WEIGHTED:
            base = "makespan + tardiness" + shift
    if not options.staffs:
        return base
    extra = [
        f"{options.cost_weight:g} x cost" if options.cost_weight else "",
        f"{options.balance_weight} x busiest person's days"
        if options.balance_weight
        else "",
        f"- {options.continuity_weight} x pairs kept by one person"
        if options.continuity_weight
        else "",
    ]
    return f"{STAFFING_SCALE} x ({base}) + " + " + ".join(e for e in extra if e)


def _value(
    plan: Plan,
    problem: SchedulingProblem,
    options: SolveOptions,
    previous: Mapping[int, int],
) -> int:
    """The stated objective (its first term, when lexicographic) on the plan;
    staffing terms as `scheduler.model.staffing` counts them (rounded)."""
    starts = [task.start for task in plan.tasks]
    finishes = [task.finish for task in plan.tasks]
    makespan = plan.makespan or 0
    tardiness = sum(
        window.tardiness_weight * max(finishes[task] - window.due, 0)
        for task, window in enumerate(problem.windows)
        if window.due is not None
    )
    shift = sum(abs(starts[task] - start) for task, start in previous.items())
    weighted = options.stability_weight * shift if previous else 0
    match options.objective:
        case Objective.TARDINESS:
            base = tardiness
        case Objective.STABILITY:
            base = shift
        case Objective.WEIGHTED:
            base = makespan + tardiness + weighted
        case _:
            base = makespan + weighted
    if not options.staffs:
        return base
    staffing = StaffingObjective(problem, StaffingWeights.of(options))
    index = {resource: i for i, resource in enumerate(problem.resource_ids)}
    schedule = Schedule(
        tuple(starts),
        tuple(tuple(index[p] for p in task.assignees) for task in plan.tasks),
        makespan,
        tuple(finishes),
    )
    people_terms = staffing.value(schedule) - staffing.weights.makespan * makespan
    return round(STAFFING_SCALE * base + people_terms)


def _bound(
    plan: Plan,
    problem: SchedulingProblem,
    options: SolveOptions,
    previous: Mapping[int, int],
    result: SolveResult,
    value: int,
) -> int | None:
    proven_whole = result.status is SolveStatus.OPTIMAL
    lexicographic = options.objective in FIRST_TERMS
    if problem.has_soft_deadlines or lexicographic or options.staffs:
        return value if proven_whole else None
    if options.objective is Objective.MAKESPAN and not (
        previous and options.stability_weight
    ):
        return plan.lower_bound
    return result.objective_bound
