"""Rules of resources: no resource over its capacity on any day (people's
committed work in other projects counted), and tasks staffed with enough
distinct qualified people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from domain import Project
from domain.bookings import BusySpan, reserved_days
from scheduler.plan.validator.placed import Schedule

BOOKED_ELSEWHERE = "committed work in other projects"
Load = tuple[int, int, float, str]  # start, finish, units, task id
SHARE_TOLERANCE = 1e-9


def capacity_violations(
    project: Project, schedule: Schedule, busy: Sequence[BusySpan]
) -> Iterator[str]:
    """At no day does a resource hold more units than its capacity (counting
    its people's committed work in other projects)."""
    loads = loads_by_resource(project, schedule, busy)
    for resource_id, resource_loads in sorted(loads.items()):
        if resource_id not in project.resource_index:
            tasks = ", ".join(sorted({load[3] for load in resource_loads}))
            yield f"resource {resource_id} used by task(s) {tasks} does not exist"
            continue
        capacity = project.resource(resource_id).capacity
        yield from _overloads(resource_id, capacity, resource_loads)


def loads_by_resource(
    project: Project, schedule: Schedule, busy: Sequence[BusySpan] = ()
) -> dict[str, list[Load]]:
    """Named demands, plus one unit per assigned person, for every task; and
    the days people of the plan work in other projects."""
    loads: dict[str, list[Load]] = defaultdict(list)
    assigned = {person for task in schedule.values() for person in task.assignees}
    for person, first, end, days_units in reserved_days(project, busy):
        if person in assigned:
            loads[person].append((first, end, days_units, BOOKED_ELSEWHERE))
    for task_id, scheduled in schedule.items():
        span = (scheduled.start, scheduled.finish)
        for resource_id, units in project.task(task_id).demands.items():
            if units:
                loads[resource_id].append((*span, units, task_id))
        for person in scheduled.assignees:
            loads[person].append((*span, 1, task_id))
    return loads


def _overloads(resource_id: str, capacity: int, loads: list[Load]) -> Iterator[str]:
    """Sweep the load's change points; report each day the load goes over."""
    changes: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for start, finish, units, task_id in loads:
        if finish > start:  # a zero-length task occupies no day
            changes[start].append((units, task_id))
            changes[finish].append((-units, task_id))
    held: dict[str, float] = defaultdict(float)
    for day in sorted(changes):
        for units, task_id in changes[day]:
            held[task_id] += units
            if abs(held[task_id]) < SHARE_TOLERANCE:
                del held[task_id]
        total = sum(held.values())
        if total > capacity + SHARE_TOLERANCE:  # shares such as 0.3 add inexactly
            tasks = ", ".join(f"{t} ({u:g})" for t, u in sorted(held.items()))
            yield (
                f"resource {resource_id} over capacity from day {day}: "
                f"{total:g} units in use, capacity {capacity} (tasks {tasks})"
            )


def skill_violations(project: Project, schedule: Schedule) -> Iterator[str]:
    """Tasks asking for skills get `people` distinct qualified people; others none."""
    for task_id, scheduled in schedule.items():
        task = project.task(task_id)
        assignees = scheduled.assignees
        if not task.skills:
            if assignees:
                yield f"task {task_id} needs no people but has {', '.join(assignees)}"
            continue
        if len(set(assignees)) != len(assignees):
            yield f"task {task_id} lists a person twice: {', '.join(assignees)}"
        if len(set(assignees)) != task.people:
            yield (
                f"task {task_id} needs {task.people} people, has {len(set(assignees))}"
            )
        for person in sorted(set(assignees)):
            if person not in project.resource_index:
                yield f"task {task_id} is assigned unknown resource {person}"
            elif not project.resource(person).qualifies_for(task):
                yield f"task {task_id} is assigned {person}, who lacks its skills"
