"""`solve`: a project to a validated plan.

The project as of its status date becomes a `SchedulingProblem`, solved by
`scheduler.solver.solving.solve_problem` (or the staffing search,
`scheduler.people`) within its deadlines (soft ones, when they stand in the
way, as lateness: `scheduler.model.lateness`); a solve that found nothing in
time falls back to the greedy plan; tasks competing for a resource go in
priority order where that costs nothing (`scheduler.search.priority`). The
plan states its objective (`scheduler.model.statement`), and the independent
validator re-checks it before it is returned.
"""

from __future__ import annotations

import time
from dataclasses import replace

from domain import DeadlineMode, Plan, Project, SolveStatus
from domain.honoured import link_relaxations, relaxed
from domain.objectives import SHIFT
from domain.status import as_of_status
from scheduler.errors import PlanValidationError
from scheduler.model.lateness import (
    deadlines_out_of_reach,
    has_deadlines,
    missed_deadlines,
    soften,
)
from scheduler.model.statement import stated
from scheduler.options import SolveOptions
from scheduler.people import needs_search, search
from scheduler.plan.fallback import fallback_warning
from scheduler.plan.justified import movable_tasks
from scheduler.plan.result import SolveResult, to_plan
from scheduler.plan.validator import validate_plan
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.assignment import Strategy
from scheduler.search.greedy import fallback_result
from scheduler.search.priority import by_priority
from scheduler.solver.solving import previous_starts, solve_problem
from scheduler.strategy import SOFT_SHARE

DEFAULT_OPTIONS = SolveOptions()


def solve(project: Project, options: SolveOptions = DEFAULT_OPTIONS) -> Plan:
    """Find a makespan-minimal, resource-feasible plan with people assigned.

    Raises domain.ValidationError for input the model cannot represent, and
    SchedulerError if the solver rejects the model or returns an invalid plan.
    Work already done or under way is planned from the status date
    (`domain.status.as_of_status`); in a project whose date constraints win
    over links, the links that would break them are kept short, each a
    warning (`domain.honoured`).
    """
    project = as_of_status(project)
    planned_links = relaxed(project, link_relaxations(project))
    problem = SchedulingProblem.from_project(planned_links, options.busy)
    result, planned = _solve_within_deadlines(problem, options)
    if result.status is SolveStatus.UNKNOWN:  # nothing within the limit
        fallback = _fallback(project, problem, planned, result, options)
        if fallback is not None:
            return fallback
    plan, violations = _checked_plan(project, problem, planned, result, options)
    if violations:
        raise PlanValidationError(violations)
    return _prioritised(project, problem, planned, result, options) or plan


def _prioritised(
    project: Project,
    problem: SchedulingProblem,
    planned: SchedulingProblem,
    result: SolveResult,
    options: SolveOptions,
) -> Plan | None:
    """The plan with competing tasks in priority order, when that costs it
    nothing (`scheduler.search.priority`; makespan objective, no previous plan,
    no staffing terms) and the validator finds nothing wrong; else None."""
    if options.previous_starts or not options.plans_makespan(previous=False):
        return None
    ranked = by_priority(planned, result)
    if ranked is result:
        return None
    plan, violations = _checked_plan(project, problem, planned, ranked, options)
    return None if violations else plan


def _fallback(
    project: Project,
    problem: SchedulingProblem,
    planned: SchedulingProblem,
    result: SolveResult,
    options: SolveOptions,
) -> Plan | None:
    """The greedy plan of a solve that found none in time (`scheduler.
    fallback`), labelled as such; None when it cannot place every task or
    the validator finds it breaks a rule (the answer stays `unknown`)."""
    if options.deadlines is DeadlineMode.SOFT and has_deadlines(problem):
        planned = soften(problem)  # a late greedy plan says how late it is
    greedy = fallback_result(planned, result, options.time_limit)
    if greedy is result:
        return None
    plan, violations = _checked_plan(project, problem, planned, greedy, options)
    if violations:
        return None
    warning = fallback_warning(options.time_limit)
    return replace(plan, message=warning, warnings=(warning, *plan.warnings))


def _checked_plan(
    project: Project,
    problem: SchedulingProblem,
    planned: SchedulingProblem,
    result: SolveResult,
    options: SolveOptions,
) -> tuple[Plan, list[str]]:
    """The plan of `result` (of `planned`: `problem` or its softened twin)
    with its stated objective and missed deadlines, and what the
    independent validator finds wrong with it."""
    previous = previous_starts(problem, options) if _weighs_stability(options) else {}
    plan = to_plan(planned, result, previous)
    plan = stated(plan, planned, options, previous, result)
    plan = replace(plan, deadlines=options.deadlines.value)
    if plan.has_schedule:
        relaxations = link_relaxations(project)
        sentences = tuple(relaxation.sentence for relaxation in relaxations)
        plan = replace(plan, warnings=sentences + plan.warnings)
    if planned is not problem and plan.has_schedule:
        finishes = [task.finish for task in plan.tasks]
        missed = missed_deadlines(problem, finishes, plan.makespan or 0)
        plan = replace(plan, warnings=plan.warnings + tuple(missed))
    violations = validate_plan(project, plan, options.busy)
    if not previous:
        violations += movable_tasks(project, plan, options.busy)
    return plan, violations


def _solve_within_deadlines(
    problem: SchedulingProblem, options: SolveOptions
) -> tuple[SolveResult, SchedulingProblem]:
    """The result, and the problem it solves: with soft deadlines, when the
    deadlines are out of reach or the plan with them hard is infeasible, the
    least late plan of the problem with deadlines as lateness
    (`scheduler.model.lateness`), in the time left (at least SOFT_SHARE of it)."""
    soft = options.deadlines is DeadlineMode.SOFT and has_deadlines(problem)
    started = time.perf_counter()
    hard: SolveResult | None = None
    if not (soft and deadlines_out_of_reach(problem)):
        if needs_search(problem, options):  # large staffing problems: greedy + LNS
            hard = search(problem, options, Strategy())
        else:
            hard = solve_problem(problem, options)
        if not (soft and hard.status is SolveStatus.INFEASIBLE):
            return hard, problem
    left = options.time_limit - (time.perf_counter() - started)
    limited = replace(options, time_limit=max(left, SOFT_SHARE * options.time_limit))
    softened = soften(problem)
    late = solve_problem(softened, limited)
    if late.status is SolveStatus.INFEASIBLE:  # not the deadlines after all
        return hard or solve_problem(problem, limited), problem
    return late, softened


def _weighs_stability(options: SolveOptions) -> bool:
    """Whether the plan must stay near a previous one (its tasks then keep
    their distance to it rather than move as early as they could)."""
    weights = options.term_weights(previous=True, first_scale=1)
    return bool(options.previous_starts) and SHIFT in weights
