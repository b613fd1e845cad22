"""Load per person (and equipment) per ISO week over the whole horizon, with
what each has available, so overbooking stands out, across projects too.

Load comes from `domain.loading.weekly_load` (the one computation of load);
what a resource has in a week is its capacity times the days of that week it
works (organisation calendar, its own calendar, absences).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from domain import Plan, Project, Resource
from domain.loading import every_week, weekly_load
from service.usecases import Planforge
from service.web.projectview import ProjectView


@dataclass(frozen=True)
class Cell:
    """`days` booked of `available` in `week`, split by project."""

    resource: str
    week: str
    days: int
    available: int
    projects: tuple[tuple[str, int], ...]

    @property
    def overbooked(self) -> bool:
        return self.days > self.available

    @property
    def across_projects(self) -> bool:
        return len(self.projects) > 1


@dataclass(frozen=True)
class Grid:
    weeks: list[str]
    rows: list[tuple[str, list[Cell]]]

    @property
    def overbooked(self) -> list[Cell]:
        return [cell for _, cells in self.rows for cell in cells if cell.overbooked]


Source = tuple[Project, Plan, str]
HIDDEN = "projects not shared with you"


def build_grid(sources: list[Source], only: set[str] | None = None) -> Grid:
    """Every week from the first to the last booking, a row per resource
    (those in `only`, when given), each cell with its project split."""
    booked: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: defaultdict(int)
    )
    definitions: dict[str, tuple[Resource, Project]] = {}
    for project, plan, label in sources:
        for resource in project.resources:
            definitions.setdefault(resource.id, (resource, project))
        for row in weekly_load(project, plan, _everything_to(label)):
            if only is None or row.resource in only:
                booked[row.resource, row.week][row.project] += row.days
    weeks = every_week({week for _, week in booked})
    names = sorted({resource for resource, _ in booked} | (only or set()), key=_natural)
    rows = []
    for name in names:
        resource, project = definitions[name]
        cells = [
            Cell(
                name,
                week,
                sum(booked.get((name, week), {}).values()),
                _available(resource, project, week),
                tuple(sorted(booked.get((name, week), {}).items())),
            )
            for week in weeks
        ]
        rows.append((resource.name or name, cells))
    return Grid(weeks, rows)


def _everything_to(label: str) -> Callable[[str], str]:
    """Every task of a plan counted for one project."""
    return lambda _task_id: label


def project_grid(
    planforge: Planforge, view: ProjectView, sees: Callable[[str], bool]
) -> Grid:
    """The shown plan's people, with other projects' committed plans (those
    the reader may not see are counted, not named)."""
    if view.shown is None:
        return Grid([], [])
    sources = [(view.project, view.shown.plan, view.project.name)]
    for project_id, project, plan in _committed(planforge, exclude=view.project_id):
        label = project.name if sees(str(project_id)) else HIDDEN
        sources.append((project, plan, label))
    return build_grid(sources, only={r.id for r in view.project.resources})


def portfolio_grid(planforge: Planforge) -> Grid:
    """Every committed plan's people."""
    return build_grid([(p, plan, p.name) for _, p, plan in _committed(planforge)])


def _committed(
    planforge: Planforge, exclude: UUID | None = None
) -> list[tuple[UUID, Project, Plan]]:
    """Each project's committed plan, read at the version it was made from."""
    sources = []
    for row in planforge.portfolio():
        project_id = UUID(row["id"])
        record = None if project_id == exclude else planforge.baseline(project_id)
        if record is not None:
            project = planforge.get_project(project_id, record.project_version).project
            sources.append((project_id, project, record.plan))
    return sources


def _natural(name: str) -> list[tuple[int, str]]:
    """p2 before p10: digits compare as numbers."""
    return [
        (int(part), "") if part.isdigit() else (0, part)
        for part in re.split(r"(\d+)", name)
    ]


def _available(resource: Resource, project: Project, week: str) -> int:
    """Capacity x the days of `week` the resource works (x the periods of a
    day, where the project counts them: loads count periods then)."""
    per_day = resource.capacity * project.calendar.periods_per_day
    if "-W" not in week:  # "week-N": a project without a start date
        return per_day * len(project.calendar.workdays)
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    days = (monday + timedelta(days=offset) for offset in range(7))
    axis = project.time_calendar
    return per_day * sum(resource.works_on(d, axis) for d in days)
