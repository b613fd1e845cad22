"""The plan as a whole: every task once, the makespan, and `validate_plan`,
which runs every rule of the other modules on a plan."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from functools import partial

from domain import DeadlineMode, Plan, Project
from domain.bookings import BusySpan
from domain.honoured import Relaxation, link_relaxations, relaxed
from domain.outline import leaf_project
from domain.status import as_of_status
from scheduler.plan.validator.placed import Schedule
from scheduler.plan.validator.resources import capacity_violations, skill_violations
from scheduler.plan.validator.timing import (
    dependency_violations,
    duration_violations,
    lateness_violations,
    progress_violations,
    time_window_violations,
)
from scheduler.plan.validator.worktime import people_time_violations


def validate_plan(
    project: Project, plan: Plan, busy: Sequence[BusySpan] = ()
) -> list[str]:
    """Every rule the plan breaks, as a sentence naming tasks, resources, days.

    An empty list means the plan is valid. A plan without a schedule
    (infeasible or unknown) is valid when it carries no tasks and no makespan.
    `busy`: the people's committed work in other projects, which the plan
    must leave free (`domain.bookings`).
    """
    if not plan.has_schedule:
        return list(_unscheduled_violations(plan))
    # Links kept short for a date, as the solver finds them (`domain.honoured`).
    relaxations = link_relaxations(as_of_status(project))
    project = leaf_project(project)  # summary tasks span their leaves
    project = as_of_status(project)  # dependencies work already done has met
    violations = list(_coverage_violations(project, plan))
    violations.extend(_unwarned_relaxations(relaxations, plan))
    project = relaxed(project, relaxations)
    schedule = {
        task.task_id: task for task in plan.tasks if task.task_id in project.task_index
    }
    checks: tuple[Callable[[Project, Schedule], Iterator[str]], ...] = (
        duration_violations,
        dependency_violations,
        skill_violations,
        partial(time_window_violations, soft=plan.deadlines == DeadlineMode.SOFT),
        people_time_violations,
        progress_violations,
    )
    for check in checks:
        violations.extend(check(project, schedule))
    violations.extend(capacity_violations(project, schedule, busy))
    violations.extend(_makespan_violations(plan))
    violations.extend(lateness_violations(project, plan))
    return violations


def _unwarned_relaxations(
    relaxations: Sequence[Relaxation], plan: Plan
) -> Iterator[str]:
    """A link kept short for a date constraint is a warning of the plan."""
    for relaxation in relaxations:
        if relaxation.sentence not in plan.warnings:
            link = relaxation.dependency
            days = f"{relaxation.days} day{'s' if relaxation.days != 1 else ''}"
            yield (
                f"link {link.id} may be broken by {days} for task "
                f"{link.successor}'s date, but no warning says so"
            )


def _unscheduled_violations(plan: Plan) -> Iterator[str]:
    if plan.tasks:
        yield f"a plan with status {plan.status} must not schedule tasks"
    if plan.makespan is not None:
        yield f"a plan with status {plan.status} must not have a makespan"


def _coverage_violations(project: Project, plan: Plan) -> Iterator[str]:
    """Each project task appears exactly once, and nothing else appears."""
    counts: dict[str, int] = defaultdict(int)
    for scheduled in plan.tasks:
        counts[scheduled.task_id] += 1
    for task in project.tasks:
        if counts[task.id] == 0:
            yield f"task {task.id} is not scheduled"
        elif counts[task.id] > 1:
            yield f"task {task.id} is scheduled {counts[task.id]} times"
    for task_id in counts.keys() - project.task_index.keys():
        yield f"task {task_id} is scheduled but not in the project"


def _makespan_violations(plan: Plan) -> Iterator[str]:
    """The makespan is the latest finish, and no bound exceeds it."""
    latest = max((task.finish for task in plan.tasks), default=0)
    if plan.makespan != latest:
        yield f"makespan is {plan.makespan}, but the latest finish is day {latest}"
    if plan.lower_bound is not None and plan.lower_bound > latest:
        yield f"lower bound {plan.lower_bound} exceeds the makespan {latest}"
