"""Whether a plan is left-justified, re-checked without the solver.

A plan is left-justified when no task could start one day earlier with every
other task where the plan has it: the day before its start breaks one of its
dependencies, its window (release, pin, actual start), a resource's capacity,
its people's working days or its splitting rule. Like `validator`, this
knows only domain types; it moves each task a day earlier in turn and re-runs
the validator's own checks on that task (its people's worked days give its
new finish). An ALAP task is checked the other way: it may not start on the
next day it can work without breaking a dependency, its window, a
resource's capacity or the plan's finish (`scheduler.plan.rightshift`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date

from domain import Plan, Project, ScheduledTask, Task
from domain.bookings import BusySpan
from domain.constraint import ConstraintType
from domain.outline import leaf_project
from domain.worktime import may_stretch, worked_days, workers
from scheduler.plan.validator import (
    SHARE_TOLERANCE,
    Schedule,
    broken_dependency,
    load_violations,
    loads_by_resource,
    time_window_violations,
    working_day_violations,
)

Usage = dict[str, dict[int, float]]  # resource -> day -> units held


def movable_tasks(
    project: Project, plan: Plan, busy: Sequence[BusySpan] = ()
) -> list[str]:
    """A sentence for each task that could start a day earlier (`busy`: its
    people's committed work in other projects, which stays free)."""
    if not plan.has_schedule:
        return []
    project = leaf_project(project)  # summary tasks span their leaves
    schedule = {t.task_id: t for t in plan.tasks if t.task_id in project.task_index}
    latest = max((t.finish for t in schedule.values()), default=0)
    dates = (
        project.time_calendar.working_dates(project.start, latest + 1)
        if project.start is not None
        else []
    )
    usage = _daily_usage(project, schedule, busy)
    found = []
    for task_id, scheduled in sorted(schedule.items()):
        if as_late(project.task(task_id)):
            later = _delayable(project, schedule, usage, dates, scheduled)
            if later is not None:
                found.append(
                    f"task {task_id} is as late as possible (ALAP) but could "
                    f"start on day {later.start} without delaying anything"
                )
        elif _movable(project, schedule, usage, dates, scheduled):
            found.append(
                f"task {task_id} could start on day {scheduled.start - 1}: nothing "
                f"holds it at day {scheduled.start}"
            )
    return found


def as_late(task: Task) -> bool:
    """An unstarted task with the ALAP constraint."""
    constraint = task.timing.constraint
    return (
        task.timing.actual_start is None
        and constraint is not None
        and constraint.type is ConstraintType.ALAP
    )


def _delayable(
    project: Project,
    schedule: Schedule,
    usage: Usage,
    dates: list[date],
    scheduled: ScheduledTask,
) -> ScheduledTask | None:
    """The task at the next day it can work, if it fits there with every
    other task where it is and the plan's finish kept; else None."""
    span = max(t.finish for t in schedule.values())
    moved = _next_later(project, scheduled, dates, span)
    if moved is None or moved.finish > span:
        return None
    alone = {moved.task_id: moved}
    if any(time_window_violations(project, alone, soft=False)):
        return None
    if any(_dependency_breaks(project, schedule, moved)):
        return None
    if not _fits(project, usage, scheduled, moved):
        return None
    if any(working_day_violations(project, alone)):
        return None
    return moved


def _next_later(
    project: Project, scheduled: ScheduledTask, dates: list[date], span: int
) -> ScheduledTask | None:
    """The task at the first later start its people and calendar work (its
    worked days give its finish), within the plan's span."""
    task = project.task(scheduled.task_id)
    calendar = project.task_calendar(task)
    team = workers(task, scheduled.assignees)
    if not may_stretch(project, task, scheduled.assignees) or project.start is None:
        shift = 1
        return replace(
            scheduled, start=scheduled.start + shift, finish=scheduled.finish + shift
        )
    duration = task.planned_duration
    for start in range(scheduled.start + 1, span):
        days = worked_days(project, duration, start, team, dates, calendar, task.pauses)
        if days and days[0] == start:
            if len(days) < duration:
                return None  # runs past the plan's span
            return replace(scheduled, start=start, finish=days[-1] + 1)
    return None


def _movable(
    project: Project,
    schedule: Schedule,
    usage: Usage,
    dates: list[date],
    scheduled: ScheduledTask,
) -> bool:
    moved = _one_day_earlier(project, scheduled, dates)
    if moved is None:
        return False
    alone = {moved.task_id: moved}
    if any(time_window_violations(project, alone, soft=True)):  # lateness aside
        return False
    if any(_dependency_breaks(project, schedule, moved)):
        return False
    if not _fits(project, usage, scheduled, moved):
        return False
    if any(working_day_violations(project, alone)):
        return False
    span = max(t.finish for t in schedule.values())
    if scheduled.finish < span:
        return True
    return not any(load_violations(project, {**schedule, moved.task_id: moved}))


def _one_day_earlier(
    project: Project, scheduled: ScheduledTask, dates: list[date]
) -> ScheduledTask | None:
    """The task started a day earlier, finishing when its people's worked days
    say (None: day 0, or a day its people do not all work)."""
    start = scheduled.start - 1
    if start < 0:
        return None
    task = project.task(scheduled.task_id)
    calendar = project.task_calendar(task)
    team = workers(task, scheduled.assignees)
    if not may_stretch(project, task, scheduled.assignees) or project.start is None:
        return replace(scheduled, start=start, finish=scheduled.finish - 1)
    duration = task.planned_duration
    days = worked_days(project, duration, start, team, dates, calendar, task.pauses)
    if not days or days[0] != start or len(days) < duration:
        return None
    return replace(scheduled, start=start, finish=days[-1] + 1)


def _dependency_breaks(
    project: Project, schedule: Schedule, moved: ScheduledTask
) -> Iterator[str]:
    """Dependencies of the moved task it would break (the others as planned)."""
    for dependency in project.dependencies:
        ends = (dependency.predecessor, dependency.successor)
        if moved.task_id not in ends or ends[0] not in schedule:
            continue
        if ends[1] not in schedule:
            continue
        before = moved if ends[0] == moved.task_id else schedule[ends[0]]
        after = moved if ends[1] == moved.task_id else schedule[ends[1]]
        broken = broken_dependency(dependency, before, after)
        if broken:
            yield broken


def _fits(
    project: Project, usage: Usage, was: ScheduledTask, moved: ScheduledTask
) -> bool:
    """Whether every resource the task holds has room on its new days, with
    the task itself taken off its old ones."""
    held = dict(project.task(was.task_id).demands)
    for person in was.assignees:
        held[person] = held.get(person, 0) + 1
    for resource_id, units in held.items():
        if not units or resource_id not in project.resource_index:
            continue
        capacity = project.resource(resource_id).capacity
        days = usage[resource_id]
        for day in range(moved.start, moved.finish):
            own = units if was.start <= day < was.finish else 0
            if days.get(day, 0) - own + units > capacity + SHARE_TOLERANCE:
                return False
    return True


def _daily_usage(
    project: Project, schedule: Schedule, busy: Sequence[BusySpan]
) -> Usage:
    usage: Usage = defaultdict(lambda: defaultdict(float))
    for resource_id, loads in loads_by_resource(project, schedule, busy).items():
        for start, finish, units, _task in loads:
            for day in range(start, finish):
                usage[resource_id][day] += units
    return usage
