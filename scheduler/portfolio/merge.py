"""Many projects as one: task ids become "project/task", resources shared
by id (defined alike), one calendar working every day some project works,
and each project's release (working days from the earliest start)."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from domain import (
    Calendar,
    Dependency,
    DependencyType,
    Project,
    Resource,
    Task,
    ValidationError,
)

SEPARATOR = "/"


@dataclass(frozen=True)
class CrossDependency:
    """`to_task` of `to_project` depends on `from_task` of `from_project`."""

    from_project: str
    from_task: str
    to_project: str
    to_task: str
    type: DependencyType = DependencyType.FS
    lag: int = 0


def merge_projects(
    projects: Sequence[Project], links: Sequence[CrossDependency] = ()
) -> tuple[Project, dict[str, int]]:
    """One project holding all; and each project's release (working days from
    the earliest start). Project names must be unique; shared resource ids must
    be defined alike. The merged calendar works every day some project works
    (`Project.time_calendar`); a project on another calendar gives each of
    its tasks without one its calendar, so its tasks work only its days."""
    if not projects:
        raise ValidationError.at("projects", "at least one project is required")
    names = [p.name for p in projects]
    if len(set(names)) != len(names) or any(SEPARATOR in n for n in names):
        raise ValidationError.at("projects", "names must be unique, without '/'")
    calendar = functools.reduce(Calendar.union, (p.time_calendar for p in projects))
    starts = [p.start for p in projects if p.start is not None]
    start = min(starts) if starts else None
    releases = {
        p.name: 0
        if p.start is None or start is None
        else _working_days(calendar, start, p.start)
        for p in projects
    }
    tasks, dependencies = [], []
    for p in projects:
        tasks += [
            dataclasses.replace(
                t, id=_key(p.name, t.id), calendar=_task_calendar(p, t, calendar)
            )
            for t in p.tasks
        ]
        dependencies += [
            dataclasses.replace(
                d,
                predecessor=_key(p.name, d.predecessor),
                successor=_key(p.name, d.successor),
                id=_key(p.name, d.id),
            )
            for d in p.dependencies
        ]
    dependencies += [_link(link, projects) for link in links]
    merged = Project(
        name="portfolio",
        tasks=tuple(tasks),
        start=start,
        calendar=calendar,
        resources=_shared_resources(projects),
        dependencies=tuple(dependencies),
    )
    return merged, releases


def _key(project: str, item: str) -> str:
    return f"{project}{SEPARATOR}{item}"


def owner(task_id: str) -> str:
    return task_id.split(SEPARATOR, 1)[0]


def _working_days(calendar: Calendar, start: date, until: date) -> int:
    """Working days of `calendar` from `start` up to `until` (a project's start)."""
    day, count = start, 0
    while day < until:
        count += calendar.is_working(day)
        day += timedelta(days=1)
    return count


def _task_calendar(project: Project, task: Task, merged: Calendar) -> Calendar | None:
    """The days a task of `project` works on the merged calendar: its own
    (`Project.task_calendar`), else its project's time axis when that is not
    the merged one; an elapsed task none: it works every day (`Task.elapsed`)."""
    if task.elapsed:
        return None
    own = project.task_calendar(task)
    if own is None and project.time_calendar != merged:
        return project.time_calendar
    return own


def _link(link: CrossDependency, projects: Sequence[Project]) -> Dependency:
    known = {p.name: p for p in projects}
    for end, name, task in (
        ("from", link.from_project, link.from_task),
        ("to", link.to_project, link.to_task),
    ):
        if name not in known:
            raise ValidationError.at(
                f"links.{end}.project", f"unknown project {name!r}"
            )
        if task not in known[name].task_index:
            raise ValidationError.at(
                f"links.{end}.task", f"no task {task!r} in project {name!r}"
            )
    return Dependency(
        _key(link.from_project, link.from_task),
        _key(link.to_project, link.to_task),
        link.type,
        link.lag,
    )


def _shared_resources(projects: Sequence[Project]) -> tuple[Resource, ...]:
    """Each resource once; a resource defined differently by two projects is
    an error naming it."""
    shared: dict[str, Resource] = {}
    for project in projects:
        for resource in project.resources:
            known = shared.setdefault(resource.id, resource)
            if known != resource:
                raise ValidationError.at(
                    f"resources[{resource.id}]",
                    f"defined differently in project {project.name!r}",
                )
    return tuple(shared.values())
