"""Rules of people's time: calendars, absences, unsplittable tasks, load
limits, re-checked against calendar dates: a task with people or demanded
resources of their own time is worked on the first `duration` days from its
start that all of them work, leaving out its stated pauses
(`domain.worktime`), and its finish must leave room for them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from domain import Project
from domain.worktime import may_stretch, worked_days, workers
from scheduler.plan.validator.placed import Schedule


def people_time_violations(project: Project, schedule: Schedule) -> Iterator[str]:
    """Every broken availability, splitting or load rule, as a sentence."""
    yield from working_day_violations(project, schedule)
    yield from load_violations(project, schedule)


def working_day_violations(project: Project, schedule: Schedule) -> Iterator[str]:
    """Tasks worked on days their equipment or people do not work, or split
    though they may not be (each task on its own)."""
    if project.start is None:
        return
    latest = max((t.finish for t in schedule.values()), default=0)
    dates = project.time_calendar.working_dates(project.start, latest + 1)
    yield from _work_day_violations(project, schedule, dates)
    yield from _split_violations(project, schedule, dates)


def _work_day_violations(
    project: Project, schedule: Schedule, dates: list[date]
) -> Iterator[str]:
    """A task with people or demanded resources of their own time gets
    `duration` days all of them work within its span, starting on one, and
    leaving out its stated pauses; a one-person task ends right after the
    last of them (a task of several people may keep them a little longer)."""
    for task_id, scheduled in sorted(schedule.items()):
        task = project.task(task_id)
        calendar = project.task_calendar(task)
        if not may_stretch(project, task, scheduled.assignees):
            continue
        team = workers(task, scheduled.assignees)
        start, finish = scheduled.start, scheduled.finish
        duration = task.planned_duration
        days = worked_days(
            project, duration, start, team, dates[:finish], calendar, task.pauses
        )
        who = ", ".join(team) or "its calendar"
        if days and days[0] != start:
            off = "a day off " + (f"for {who}" if len(team) == 1 else "in its calendar")
            if len(team) > 1:
                off = f"when not all of {who} work"
            yield f"task {task_id} starts on day {start}, {off}"
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
            workers(task, scheduled.assignees),
            dates,
            project.task_calendar(task),
        )
        if days != list(range(start, start + duration)):
            yield (
                f"task {task_id} is not splittable but its resources do not work "
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
