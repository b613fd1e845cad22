"""Solve a project whose tasks ask for people by skill, with the search of `lns`.

`solve_people` is `scheduler.solve` for staffing problems: the same model and
the same independent validation, but warm-started from a greedy plan and
improved by large-neighbourhood search (or the plain model for `Strategy.plain`),
optionally with cost, balance and continuity terms (`staffing`).
"""

from __future__ import annotations

from domain import Plan, Project, SolveStatus
from domain.objectives import StaffingWeights
from scheduler.errors import PlanValidationError
from scheduler.explain.infeasible import explained
from scheduler.model.objectives import staffing_goal
from scheduler.options import SolveOptions
from scheduler.plan.justified import movable_tasks
from scheduler.plan.result import SolveResult, to_plan
from scheduler.plan.validator import validate_plan
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.assignment import SearchOutcome, Strategy, improve
from scheduler.strategy import SEARCH_MIN_TASKS


def needs_search(problem: SchedulingProblem, options: SolveOptions) -> bool:
    """Whether `scheduler.solve` should use the search: a staffing problem large
    enough to need it, minimising the makespan without a previous plan (other
    objectives and stability stay with the plain model)."""
    staffed = sum(1 for task in problem.tasks if task.candidates)
    plain_goal = options.objective.weighting.makespan_alone
    plain_goal = plain_goal and not options.previous_starts
    return plain_goal and staffed >= SEARCH_MIN_TASKS


def solve_people(
    project: Project,
    options: SolveOptions,
    strategy: Strategy | None = None,
    weights: StaffingWeights | None = None,
) -> Plan:
    """A validated plan; raises PlanValidationError if the search returns a bad one.

    `weights` adds cost, balance and continuity to the makespan objective.
    """
    problem = SchedulingProblem.from_project(project, options.busy)
    goal = None if weights is None else staffing_goal(problem, weights)
    outcome = improve(problem, options, strategy or Strategy(), goal)
    plan = to_plan(problem, result_of(problem, options, outcome))
    violations = validate_plan(project, plan, options.busy)
    violations += movable_tasks(project, plan, options.busy)
    if violations:
        raise PlanValidationError(violations)
    return plan


def search(
    problem: SchedulingProblem, options: SolveOptions, strategy: Strategy
) -> SolveResult:
    """Run `lns.improve` (with the options' staffing terms, if any) and report
    it as a SolveResult."""
    goal = staffing_goal(problem, options.staffing) if options.staffs else None
    return result_of(problem, options, improve(problem, options, strategy, goal))


def result_of(
    problem: SchedulingProblem, options: SolveOptions, outcome: SearchOutcome
) -> SolveResult:
    """A search outcome as a SolveResult (status, makespan, bound, runtime)."""
    runtime = outcome.runtime_seconds
    critical_path = problem.critical_path_length() or 0
    if outcome.infeasible:
        result = SolveResult(SolveStatus.INFEASIBLE, None, None, runtime)
        return explained(problem, result, options.time_limit - runtime)
    bound = max(outcome.lower_bound, critical_path)
    best = outcome.schedule
    if best is None:
        message = f"no schedule found within {options.time_limit}s"
        return SolveResult(SolveStatus.UNKNOWN, None, bound, runtime, message=message)
    status = SolveStatus.OPTIMAL if outcome.optimal else SolveStatus.FEASIBLE
    bound = min(bound, best.makespan)
    return SolveResult(
        status,
        best.makespan,
        bound,
        runtime,
        best.starts,
        best.assignees,
        finishes=best.finishes,
    )
