"""MSPDI resources and assignments -> planforge resources and task demands.

Work resources become resources: `MaxUnits` the capacity (whole units; a
fraction rounds up and is reported), `StandardRate` (per hour) the cost per
working day, their calendar (over the project's) their own. Material and cost
resources have no place in a schedule of time and are reported. An
assignment's `Units` become the task's demand on the resource (0.5: half).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from lxml import etree

from domain import Calendar, Resource, Task
from formats.mspdi_xml import Q, flag, number, text
from formats.report import ImportReport

UNASSIGNED = "-65535"
WORK = "1"


def read_resources(
    root: etree._Element,
    calendars: dict[str, Calendar],
    project_calendar: Calendar,
    minutes_per_day: float,
    report: ImportReport,
) -> dict[str, Resource]:
    """Resource UID -> resource, for work resources with a name."""
    resources: dict[str, Resource] = {}
    taken: set[str] = set()
    for element in root.iterfind(f"{Q}Resources/{Q}Resource"):
        uid, name = text(element, "UID"), text(element, "Name")
        if flag(element, "IsNull") or not name or uid == "0":
            continue
        if text(element, "Type", WORK) != WORK:
            report.unmapped["material and cost resources (not scheduled)"] += 1
            continue
        units = number(element, "MaxUnits", 1.0)
        if units != int(units):
            report.unmapped["fractional max units (rounded up to whole units)"] += 1
        calendar = calendars.get(text(element, "CalendarUID"))
        resource_id = _identifier(name, uid, taken)
        resources[uid] = Resource(
            id=resource_id,
            name=name,
            capacity=max(math.ceil(units - 1e-9), 1),
            cost_rate=number(element, "StandardRate") * minutes_per_day / 60,
            calendar=None if calendar in (None, project_calendar) else calendar,
        )
    report.mapped["resources"] = len(resources)
    return resources


def read_assignments(
    root: etree._Element,
    tasks: dict[str, Task],
    resources: dict[str, Resource],
    report: ImportReport,
) -> dict[str, Task]:
    """The tasks with each assignment's units as a demand."""
    demands: dict[str, dict[str, float]] = {}
    summaries = {task.parent for task in tasks.values()}
    for element in root.iterfind(f"{Q}Assignments/{Q}Assignment"):
        task_id, resource_uid = text(element, "TaskUID"), text(element, "ResourceUID")
        if resource_uid == UNASSIGNED or task_id not in tasks:
            continue
        if resource_uid not in resources:
            report.unmapped["assignments of material or cost resources"] += 1
            continue
        if task_id in summaries:
            report.unmapped["assignments on summary tasks (not scheduled)"] += 1
            continue
        resource = resources[resource_uid]
        units = round(number(element, "Units", 1.0), 2)
        if units > resource.capacity:
            report.unmapped["assignments above the resource's max units (capped)"] += 1
            units = resource.capacity
        demands.setdefault(task_id, {})[resource.id] = units
        report.mapped["assignments"] += 1
    return {
        task_id: replace(task, demands=demands[task_id]) if task_id in demands else task
        for task_id, task in tasks.items()
    }


def _identifier(name: str, uid: str, taken: set[str]) -> str:
    """A readable resource id: the name in lower case with dashes, unique."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or f"r{uid}"
    if slug in taken:
        slug = f"{slug}-{uid}"
    taken.add(slug)
    return slug
