"""Which days a task is worked: its own calendar, people's and demanded
resources' own calendars and absences.

A task works only on days every resource on it works: the people assigned
and the resources it demands (`workers`; the intersection of their calendars
within the organisation's, and within the task's own calendar when it has
one). A splittable task pauses over their days off and resumes after, as MS
Project pauses work over a resource's holiday, so its elapsed span may exceed
its duration; a task that is not splittable must fit between them. Times
are days of the project's time axis from its start (`Project.time_calendar`:
the organisation's working days, plus any its task calendars add); resources
without their own calendar work the days their task works.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.calendar import Calendar
from domain.model import Project, Resource, Task
from domain.pauses import Pause, skipped


def workers(task: Task, assignees: Sequence[str]) -> tuple[str, ...]:
    """The resources whose days the task works: its assignees and the
    resources it demands (`paused_by`)."""
    return (*assignees, *(r for r in paused_by(task) if r not in assignees))


def paused_by(task: Task) -> tuple[str, ...]:
    """The resources it demands whose days off the task pauses over: all of
    them until it starts; a task under way or done spans what its progress
    says (`domain.status`)."""
    if task.timing.actual_start is not None:
        return ()
    return tuple(resource for resource, units in task.demands.items() if units)


def team_of(project: Project, assignees: Sequence[str]) -> list[Resource]:
    """The assignees whose own calendar or absences narrow the days they work
    (unknown ids are left out; the validator reports them elsewhere)."""
    return [
        project.resource(person)
        for person in assignees
        if person in project.resource_index and project.resource(person).has_own_time
    ]


def may_stretch(project: Project, task: Task, assignees: Sequence[str]) -> bool:
    """Whether the days `task` works need working out (`worked_days`): it has
    people, its own calendar, demanded resources of their own time or
    pauses; else it works every day of its span."""
    if assignees or task.pauses or project.task_calendar(task) is not None:
        return True
    return bool(team_of(project, paused_by(task)))


def worked_days(
    project: Project,
    duration: int,
    start: int,
    assignees: Sequence[str],
    dates: Sequence[date],
    calendar: Calendar | None = None,
    pauses: Sequence[Pause] = (),
) -> list[int]:
    """The first `duration` working days from `start` on which every assignee
    works (and the task's `calendar`, if any: `Project.task_calendar`), as
    indices into `dates` (the time axis's dates from the project start),
    leaving out the days of its stated `pauses` (`domain.pauses`); fewer when
    `dates` ends first."""
    team = team_of(project, assignees)
    steps = skipped(pauses, duration)
    days: list[int] = []
    for day in range(max(start, 0), len(dates)):
        if len(days) >= duration:
            break
        when = dates[day]
        if calendar is not None and not calendar.is_working(when):
            continue
        works = (person.works_on(when, project.time_calendar) for person in team)
        if all(works) and not next(steps, 0):
            days.append(day)
    return days
