"""A domain.Project read as a problem's parts: each task's data, the days
its people are booked elsewhere, a first horizon, and the ids it refers to
but does not define."""

from __future__ import annotations

from collections.abc import Sequence

from domain import Calendar, Problem, Project, Task
from domain.bookings import BusySpan, reserved_days
from domain.pauses import paused_days
from domain.worktime import paused_by, team_of
from scheduler.problem.data import TaskData
from scheduler.problem.units import scaled
from scheduler.problem.windows import TaskWindow

Reserved = tuple[int, int, int, int]  # resource, first day, end, units


def reserved_units(
    project: Project, busy: Sequence[BusySpan], scales: dict[str, int]
) -> tuple[Reserved, ...]:
    """(resource, first day, end, units) the people's work elsewhere takes."""
    return tuple(
        (project.resource_index[person], first, end, units * scales[person])
        for person, first, end, units in reserved_days(project, busy)
    )


def base_horizon(
    project: Project, windows: Sequence[TaskWindow], reserved: Sequence[Reserved]
) -> int:
    """Every task in sequence after the latest release, with every positive
    lag and the last booked day elsewhere: a latest finish that is enough."""
    return (
        sum(
            t.planned_duration + paused_days(t.pauses, t.planned_duration)
            for t in project.tasks
        )
        + sum(max(d.lag, 0) for d in project.dependencies)
        + max((w.earliest for w in windows), default=0)
        + max((end for _, _, end, _ in reserved), default=0)
    )


def reference_problems(project: Project) -> list[Problem]:
    """Ids a project refers to but does not define."""
    problems = []
    for task in project.tasks:
        for resource_id in task.demands:
            if resource_id not in project.resource_index:
                problems.append(
                    Problem(
                        f"tasks.{task.id}.demands", f"unknown resource {resource_id}"
                    )
                )
    for dep in project.dependencies:
        for task_id in (dep.predecessor, dep.successor):
            if task_id not in project.task_index:
                problems.append(
                    Problem(f"dependencies.{dep.id}", f"unknown task {task_id}")
                )
    return problems


def task_data(
    project: Project, task: Task, scales: dict[str, int], calendars: list[Calendar]
) -> TaskData:
    """Resolve one task; people who cannot work (capacity 0) are not candidates;
    its own calendar is its row among `calendars` (`workforce.task_calendars`)."""
    demands = tuple(
        (project.resource_index[resource_id], scaled(units, scales[resource_id]))
        for resource_id, units in task.demands.items()
        if units != 0
    )
    calendar = None
    own = project.task_calendar(task)
    if own is not None and project.start is not None:
        calendar = len(project.resources) + calendars.index(own)
    paused = paused_days(task.pauses, task.planned_duration)
    duration = task.planned_duration + paused
    held = tuple(  # only resources of their own time shape its span (team_of)
        project.resource_index[r.id] for r in team_of(project, paused_by(task))
    )
    if not task.needs_people:
        return TaskData(
            duration,
            demands,
            splittable=task.splittable,
            calendar=calendar,
            paused=paused,
            held=held,
        )
    candidates = tuple(
        project.resource_index[person.id]
        for person in project.qualified_people(task)
        if person.capacity >= 1
    )
    return TaskData(
        duration,
        demands,
        task.people,
        candidates,
        task.splittable,
        calendar,
        paused,
        held,
    )
