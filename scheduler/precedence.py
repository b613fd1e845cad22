"""Plans that need no search: nothing but dependencies and time windows, or
another plan's order and teams kept.

When no task holds a resource or needs a person, every task starting as
early as its dependencies and windows allow (longest paths from its floor)
gives the least makespan, so the plan is optimal with a gap of 0 and no
solver is loaded. Anything else goes to CP-SAT (`scheduler.solver`): a
resource or a person, a task that must not span a break, a latest start,
actual start, deadline or project deadline the earliest schedule breaks
(CP-SAT then explains the conflict), and any objective but the makespan, a
previous plan to stay close to or staffing weights.

`retimed` keeps a plan's starts and people for a project whose durations
differ (e.g. a plan made for pessimistic durations, re-timed for the most
likely ones): every task then moves as early as the others allow.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from domain import Plan, Project, SolveStatus
from domain.bookings import BusySpan
from scheduler.options import SolveOptions, SolveProgress
from scheduler.plan.result import SolveResult, to_plan
from scheduler.plan.validator import validate_plan
from scheduler.problem.instance import SchedulingProblem

MESSAGE = "no resources or people: the earliest start of every task is optimal"


DEFAULT_OPTIONS = SolveOptions()


def solve(project: Project, options: SolveOptions = DEFAULT_OPTIONS) -> Plan:
    """A makespan-minimal, resource-feasible plan with people assigned, from
    the earliest starts when they suffice and the independent validator
    passes them (a rule they miss, e.g. of recorded progress, sends the
    project to CP-SAT, loaded on first use, whose plans it re-checks too)."""
    plan = earliest_plan(project, options)
    if plan is not None and not validate_plan(project, plan, options.busy):
        _report(plan, options)
        return plan
    from scheduler.solver import solve as solve_with_cp_sat

    return solve_with_cp_sat(project, options)


def _report(plan: Plan, options: SolveOptions) -> None:
    """The progress a solve reports: one solution, proven optimal."""
    length = float(plan.makespan or 0)
    progress = SolveProgress(length, length, plan.runtime_seconds, 1)
    if options.log_progress:
        options.log_progress(str(progress))
        options.log_progress(
            f"{plan.status}: makespan {plan.makespan}, bound {plan.lower_bound}, "
            f"{plan.runtime_seconds:.2f}s"
        )
    if options.on_progress:
        options.on_progress(progress)


def earliest_plan(project: Project, options: SolveOptions) -> Plan | None:
    """The earliest-start plan, or None when it might not be optimal or valid."""
    began = time.perf_counter()
    plain = options.plans_makespan(False) and not options.previous_starts
    if not plain:
        return None
    problem = SchedulingProblem.from_project(project, options.busy)
    if any(
        t.demands or t.people or not t.splittable or t.calendar is not None
        for t in problem.tasks
    ):
        return None
    starts = problem.earliest_starts([w.earliest for w in problem.windows])
    if starts is None or not _within_windows(problem, starts):
        return None
    tasks = problem.tasks
    makespan = max(
        (s + t.duration for s, t in zip(starts, tasks, strict=True)), default=0
    )
    if problem.deadline is not None and makespan > problem.deadline:
        return None
    result = SolveResult(
        SolveStatus.OPTIMAL,
        makespan,
        makespan,
        time.perf_counter() - began,
        starts=tuple(starts),
        assignees=((),) * problem.num_tasks,
        message=MESSAGE,
        objective_value=makespan,
        objective_bound=makespan,
    )
    return to_plan(problem, result)


def _within_windows(problem: SchedulingProblem, starts: list[int]) -> bool:
    """Whether the starts keep every actual start, latest start and deadline."""
    for start, task, window in zip(starts, problem.tasks, problem.windows, strict=True):
        if window.actual_start is not None and start != window.actual_start:
            return False
        if window.pin_latest is not None and start > window.pin_latest:
            return False
        if window.deadline is not None and start + task.duration > window.deadline:
            return False
    return True


def retimed(project: Project, plan: Plan, busy: Sequence[BusySpan] = ()) -> Plan | None:
    """`plan`'s starts and people with `project`'s durations, left-justified
    (`to_plan`), so its order on every resource and its teams are kept; None
    when that breaks a rule of `project` (the validator decides)."""
    began = time.perf_counter()
    problem = SchedulingProblem.from_project(project, busy)
    scheduled = {task.task_id: task for task in plan.tasks}
    resource = {resource_id: k for k, resource_id in enumerate(problem.resource_ids)}
    try:
        rows = [scheduled[task_id] for task_id in problem.task_ids]
        assignees = tuple(tuple(resource[p] for p in row.assignees) for row in rows)
    except KeyError:
        return None
    starts = tuple(row.start for row in rows)
    tasks = problem.tasks
    finishes = [start + t.duration for start, t in zip(starts, tasks, strict=True)]
    # The plan may have been made for longer durations: room for its starts.
    problem = replace(problem, min_horizon=max(finishes, default=0))
    result = SolveResult(
        SolveStatus.FEASIBLE,
        max(finishes, default=0),
        None,
        time.perf_counter() - began,
        starts=starts,
        assignees=assignees,
        message=f"plan {plan.id or ''} re-timed: its order and people kept".strip(),
    )
    candidate = to_plan(problem, result)
    return None if validate_plan(project, candidate, busy) else candidate
