"""Rules of people's time: calendars, absences, unsplittable tasks, load
limits, re-checked against calendar dates: a task with people is worked on
the first `duration` days from its start that all of them work
(`domain.worktime`), and its finish must leave room for them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from domain import Project
from domain.worktime import worked_days
from scheduler.plan.validator.placed import Schedule


def people_time_violations(project: Project, schedule: Schedule) -> Iterator[str]:
    """Every broken availability, splitting or load rule, as a sentence."""
    yield from working_day_violations(project, schedule)
    yield from load_violations(project, schedule)


def working_day_violations(project: Project, schedule: Schedule) -> Iterator[str]:
    """Tasks held on days their equipment or people do not work, or split
    though they may not be (each task on its own)."""
    if project.start is None:
        return
    latest = max((t.finish for t in schedule.values()), default=0)
    dates = project.time_calendar.working_dates(project.start, latest + 1)
    yield from _availability_violations(project, schedule, dates)
    yield from _work_day_violations(project, schedule, dates)
    yield from _split_violations(project, schedule, dates)


def _availability_violations(
    project: Project, schedule: Schedule, dates: list[date]
) -> Iterator[str]:
    """No equipment (a named demand) is held on a day it is off."""
    for task_id, scheduled in sorted(schedule.items()):
        for resource_id in project.task(task_id).demands:
            if resource_id not in project.resource_index:
                continue  # reported by the capacity and skill checks
            resource = project.resource(resource_id)
            if not resource.has_own_time:
                continue
            for day in range(scheduled.start, scheduled.finish):
                if not resource.works_on(dates[day], project.time_calendar):
                    yield (
                        f"task {task_id} uses {resource_id} on day {day} "
                        f"({dates[day].isoformat()}), when {resource_id} does not work"
                    )
                    break


def _work_day_violations(
    project: Project, schedule: Schedule, dates: list[date]
) -> Iterator[str]:
    """A task with people gets `duration` days all of them work within its
    span; a one-person task ends right after the last of them (a task of
    several people may keep them a little longer)."""
    for task_id, scheduled in sorted(schedule.items()):
        task = project.task(task_id)
        calendar = project.task_calendar(task)
        if not (scheduled.assignees or calendar):
            continue
        start, finish = scheduled.start, scheduled.finish
        duration = task.planned_duration
        days = worked_days(
            project, duration, start, scheduled.assignees, dates[:finish], calendar
        )
        who = ", ".join(scheduled.assignees) or "its calendar"
        if days and days[0] != start and not scheduled.assignees:
            yield f"task {task_id} starts on day {start}, a day off in its calendar"
        elif days and days[0] != start:
            yield f"task {task_id} starts on day {start}, when {who} do not all work"
        elif len(days) < duration:
            yield (
                f"task {task_id} needs {duration} working days of {who} but gets "
                f"{len(days)} from day {start} to day {finish}"
            )
        elif task.people <= 1 and finish != (days[-1] + 1 if days else start):
            yield (
                f"task {task_id} finishes on day {finish}, but its {duration} "
                f"working days by {who} end on day {days[-1] + 1}"
            )


def _split_violations(
    project: Project, schedule: Schedule, dates: list[date]
) -> Iterator[str]:
    """A non-splittable task's working days are consecutive calendar dates,
    all worked by its people."""
    for task_id, scheduled in sorted(schedule.items()):
        task = project.task(task_id)
        if task.splittable:
            continue
        start, duration = scheduled.start, task.planned_duration
        days = worked_days(
            project,
            duration,
            start,
            scheduled.assignees,
            dates,
            project.task_calendar(task),
        )
        if days != list(range(start, start + duration)):
            yield (
                f"task {task_id} is not splittable but its people do not work "
                f"every day from day {start} to day {start + duration}"
            )
            continue
        for day in range(scheduled.start + 1, scheduled.finish):
            if dates[day] - dates[day - 1] > timedelta(days=1):
                yield (
                    f"task {task_id} is not splittable but spans the non-working "
                    f"days before {dates[day].isoformat()} (day {day})"
                )
                break


def load_violations(project: Project, schedule: Schedule) -> Iterator[str]:
    """Assigned work days of a person stay within max_load x the plan's span."""
    span = max((t.finish for t in schedule.values()), default=0)
    worked: dict[str, int] = defaultdict(int)
    for task_id, scheduled in schedule.items():
        for person in scheduled.assignees:
            worked[person] += project.task(task_id).planned_duration
    for resource in project.resources:
        limit = resource.max_load
        if limit is None or worked[resource.id] == 0:
            continue
        # Same rounding as the solver: whole percents.
        if 100 * worked[resource.id] > round(limit * 100) * span:
            yield (
                f"resource {resource.id} works {worked[resource.id]} of {span} days, "
                f"over its max_load {limit}"
            )
