"""Resource loading: working days each resource is busy per ISO week, by project."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from domain.model import Project
from domain.plan import Plan


@dataclass(frozen=True)
class LoadRow:
    """`days` working days of `resource` in ISO `week` ("2027-W02") for `project`."""

    resource: str
    week: str
    project: str
    days: int


def weekly_load(
    project: Project, plan: Plan, project_of: Callable[[str], str] | None = None
) -> list[LoadRow]:
    """Per resource and week, the days it works (people assigned, equipment
    demanded), split by `project_of(task_id)` (default: the project's name).

    Empty when the project has no start date (weeks need calendar dates).
    """
    if project.start is None or not plan.tasks:
        return []
    name_of = project_of or (lambda _task_id: project.name)
    latest = max(task.finish for task in plan.tasks)
    dates = project.calendar.working_dates(project.start, latest)
    days: dict[tuple[str, str, str], int] = defaultdict(int)
    for scheduled in plan.tasks:
        users = [*project.task(scheduled.task_id).demands, *scheduled.assignees]
        owner = name_of(scheduled.task_id)
        for day in range(scheduled.start, scheduled.finish):
            year, week, _ = dates[day].isocalendar()
            for resource in users:
                days[resource, f"{year}-W{week:02d}", owner] += 1
    return [LoadRow(*key, count) for key, count in sorted(days.items())]
