"""Which days a task is worked: its own calendar, people's own calendars and
absences.

A task done by people works only on days every one of them works (the
intersection of their calendars within the organisation's, and within the
task's own calendar when it has one); a splittable task
pauses over their days off and resumes after, so its elapsed span may exceed
its duration. Times are days of the project's time axis from its start
(`Project.time_calendar`: the organisation's working days, plus any its task
calendars add); people without their own calendar work the days their task
works.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.calendar import Calendar
from domain.model import Project, Resource


def team_of(project: Project, assignees: Sequence[str]) -> list[Resource]:
    """The assignees whose own calendar or absences narrow the days they work
    (unknown ids are left out; the validator reports them elsewhere)."""
    return [
        project.resource(person)
        for person in assignees
        if person in project.resource_index and project.resource(person).has_own_time
    ]


def worked_days(
    project: Project,
    duration: int,
    start: int,
    assignees: Sequence[str],
    dates: Sequence[date],
    calendar: Calendar | None = None,
) -> list[int]:
    """The first `duration` working days from `start` on which every assignee
    works (and the task's `calendar`, if any: `Project.task_calendar`), as
    indices into `dates` (the time axis's dates from the project start);
    fewer when `dates` ends first."""
    team = team_of(project, assignees)
    days: list[int] = []
    for day in range(max(start, 0), len(dates)):
        if len(days) >= duration:
            break
        when = dates[day]
        if calendar is not None and not calendar.is_working(when):
            continue
        if all(person.works_on(when, project.time_calendar) for person in team):
            days.append(day)
    return days
