"""Read models that span projects, built only from recorded events.

Each model is plain state (JSON-ready, so a checkpoint can store it), a list
of the event types it reads, and `apply(event)`; applying the same events in
the same order always gives the same state, so a rebuild from zero equals the
model kept current. `eventstore.projections` feeds them from the log, as
`LoggedEvent`s: event fields as plain JSON, cheap to decode by the million.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any, ClassVar, Protocol

from eventsourcing.domain import Aggregate

from domain import Project, Resource, Task
from domain.bookings import BusySpan, busy_spans
from domain.changes import Change, ChangeAction, EntityKind, apply_change_to_document
from domain.document import parse_calendar, parse_resource
from domain.loading import Booking, load_by_week
from eventstore.aggregate import ProjectAggregate
from eventstore.logged import LoggedEvent
from eventstore.records import JSONDict

Events = tuple[type[Aggregate.Event], ...]
Visible = Callable[[str], bool]  # a project id -> may the reader see it


def everything(project_id: str) -> bool:
    return True


class ReadModel(Protocol):
    """What `projections.Projection` needs of a read model."""

    name: ClassVar[str]
    reads: ClassVar[Events]
    state: JSONDict

    def apply(self, event: LoggedEvent) -> None: ...


class ProjectPlans:
    """Per project: name, deadline, calendar, the tasks' own calendars (they
    may add days to the time axis: `Project.time_calendar`), proposed plans
    (compact) and the committed one. Both read models below share this
    bookkeeping."""

    reads: ClassVar[Events] = (
        ProjectAggregate.ProjectCreated,
        ProjectAggregate.PlanProposed,
        ProjectAggregate.PlanCommitted,
        ProjectAggregate.ForecastRecorded,
        ProjectAggregate.ProjectFieldChanged,
        ProjectAggregate.TaskAdded,
        ProjectAggregate.TaskUpdated,
        ProjectAggregate.TaskRemoved,
    )

    def __init__(self, state: JSONDict | None = None) -> None:
        self.state: JSONDict = state if state is not None else {}

    def apply(self, event: LoggedEvent) -> None:
        """Fold one event into the state (events of other types are ignored)."""
        kind, data = event.type, event.data
        if kind is ProjectAggregate.ProjectCreated:
            self.state[event.project_id] = _new_project(data["document"])
        project = self.state.get(event.project_id)
        if project is None:
            return
        if kind is ProjectAggregate.PlanProposed:
            project["plans"][data["plan_id"]] = _compact_plan(project, data["plan"])
        elif kind is ProjectAggregate.PlanCommitted:
            project["committed"] = data["plan_id"]
        elif kind is ProjectAggregate.ForecastRecorded:
            plan = project["plans"].get(data["plan_id"])
            if plan is not None:
                plan["p80"] = data["summary"].get("duration", {}).get("p80")
        elif issubclass(kind, ProjectAggregate.EntityEvent):
            if kind.kind is EntityKind.TASK:
                _track_task_time(project, data)
                return  # as before tasks were read: not an update of the row
        elif kind is ProjectAggregate.ProjectFieldChanged and data["field"] in (
            "name",
            "start",
            "deadline",
            "calendar",
        ):
            project[data["field"]] = data["value"]
        project["updated"] = data["timestamp"]


class Portfolio(ProjectPlans):
    """Every project: status, committed finish, latest P80 of the baseline."""

    # v2: task calendars (a new name rebuilds from zero).
    # v3: elapsed tasks (their every day joins the time axis).
    name: ClassVar[str] = "portfolio_v3"

    def rows(self) -> list[JSONDict]:
        """One row per project, in creation order."""
        return [_portfolio_row(project_id, p) for project_id, p in self.state.items()]


class ResourceLoad(ProjectPlans):
    """Working days each person is assigned, per ISO week, across the
    committed plans of every project (`domain.loading.load_by_week`: days off
    inside a task do not count), and the runs of dates each person works
    (`domain.bookings.busy_spans`), so one project's plan can leave its
    people's work in other projects free. Each plan's load and runs are worked
    out when it is proposed, from the people's calendars and absences then."""

    # v3: runs of busy dates per plan too (a new name rebuilds from zero).
    # v4: task calendars (their days off are not booked).
    # v5: elapsed tasks (every day is theirs).
    name: ClassVar[str] = "resource_load_v5"
    reads: ClassVar[Events] = (
        *ProjectPlans.reads,
        ProjectAggregate.ResourceAdded,
        ProjectAggregate.ResourceUpdated,
        ProjectAggregate.ResourceRemoved,
        ProjectAggregate.AbsenceRecorded,
        ProjectAggregate.AbsenceRemoved,
    )

    def apply(self, event: LoggedEvent) -> None:
        """Track people's time; give each proposed plan its weekly load."""
        super().apply(event)
        project = self.state.get(event.project_id)
        if project is None:
            return
        kind, data = event.type, event.data
        if kind is ProjectAggregate.ProjectCreated:
            project["resources"] = copy.deepcopy(data["document"].get("resources", []))
        elif (
            issubclass(kind, ProjectAggregate.EntityEvent)
            and kind.kind is EntityKind.RESOURCE
        ):
            people = {"name": project["name"], "resources": project["resources"]}
            apply_change_to_document({**people, "tasks": []}, _change_of(kind, data))
        elif kind is ProjectAggregate.PlanProposed:
            plan = project["plans"][data["plan_id"]]
            plan["load"], plan["busy"] = _plan_load(project, data["plan"])

    def load(self, sees: Visible = everything) -> dict[str, dict[str, int]]:
        """{person: {"2027-W02": days}} summed over the projects `sees`
        (a project id -> bool) lets in, sorted."""
        totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for project_id, project in self.state.items():
            if not sees(project_id):
                continue
            plan = project["plans"].get(project.get("committed"))
            if plan is None:
                continue
            for person, weeks in plan["load"].items():
                for week, days in weeks.items():
                    totals[person][week] += days
        return {p: dict(sorted(w.items())) for p, w in sorted(totals.items())}

    def overbooked(self, sees: Visible = everything) -> dict[str, dict[str, list[str]]]:
        """{person: {"2027-W02": [dates]}}: the dates on which the committed
        plans of the projects `sees` lets in together give a person more tasks
        at once than their capacity (the least those projects state)."""
        held: dict[str, Counter[date]] = defaultdict(Counter)
        capacity: dict[str, int] = {}
        for project_id, project in self.state.items():
            if not sees(project_id):
                continue
            for resource in project.get("resources", []):
                rid, units = resource["id"], resource.get("capacity", 1)
                capacity[rid] = min(capacity.get(rid, units), units)
        spans = [span for span in self.busy(capacity) if sees(span.project)]
        for span in spans:
            for offset in range((span.end - span.start).days):
                held[span.person][span.start + timedelta(days=offset)] += span.units
        marked: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for person, days in sorted(held.items()):
            for day in sorted(
                d for d, units in days.items() if units > capacity[person]
            ):
                year, week, _ = day.isocalendar()
                marked[person][f"{year}-W{week:02d}"].append(day.isoformat())
        return {person: dict(weeks) for person, weeks in marked.items()}

    def busy_for(self, project_id: str) -> list[BusySpan]:
        """What the project's people work in other projects' committed plans."""
        project = self.state.get(project_id, {})
        people = [resource["id"] for resource in project.get("resources", [])]
        return self.busy(people, excluding=project_id)

    def busy(self, people: Iterable[str], excluding: str = "") -> list[BusySpan]:
        """The runs of dates `people` work in the committed plans of every
        project but `excluding` (a project id): cheap, one look per project."""
        wanted = set(people)
        spans = []
        for project_id, project in self.state.items():
            plan = project["plans"].get(project.get("committed"))
            if project_id == excluding or plan is None:
                continue
            for person, start, end, units in plan.get("busy", ()):
                if person in wanted:
                    spans.append(
                        BusySpan(
                            person,
                            date.fromisoformat(start),
                            date.fromisoformat(end),
                            units,
                            project_id,
                        )
                    )
        return spans


def _change_of(kind: type[Aggregate.Event], data: JSONDict) -> Change:
    """The resource edit a logged entity event records."""
    if issubclass(kind, ProjectAggregate.EntityAdded):
        action = ChangeAction.ADD
    elif issubclass(kind, ProjectAggregate.EntityUpdated):
        action = ChangeAction.UPDATE
    else:
        action = ChangeAction.REMOVE
    return Change(
        action, EntityKind.RESOURCE, data["entity_id"], data.get("fields", {})
    )


def _plan_load(project: JSONDict, plan: JSONDict) -> tuple[JSONDict, list[Any]]:
    """{person: {week: days}} of one plan and its people's runs of busy dates
    ([person, first date, end date, units]), with the people's time as it is."""
    stub = _time_axis(
        project,
        tuple(parse_resource(r, "resources") for r in project.get("resources", [])),
    )
    bookings = [
        Booking(
            task["start"],
            task["finish"],
            tuple(task["assignees"]),
            calendar=stub.task_calendar(
                stub.task(task["task_id"])
                if task["task_id"] in stub.task_index
                else Task(task["task_id"])
            ),
        )
        for task in plan["tasks"]
        if task["assignees"]
    ]
    load: dict[str, dict[str, int]] = defaultdict(dict)
    for (person, week, _), days in load_by_week(stub, bookings).items():
        load[person][week] = days
    busy = [
        [span.person, span.start.isoformat(), span.end.isoformat(), span.units]
        for span in busy_spans(stub, bookings)
    ]
    return dict(load), busy


def _new_project(document: JSONDict) -> JSONDict:
    return {
        "name": document["name"],
        "start": document.get("start"),
        "deadline": document.get("deadline"),
        "calendar": document.get("calendar", {}),
        "task_calendars": {
            task["id"]: task["calendar"]
            for task in document.get("tasks", [])
            if task.get("calendar")
        },
        "elapsed_tasks": [
            task["id"] for task in document.get("tasks", []) if task.get("elapsed")
        ],
        "plans": {},
        "committed": None,
    }


def _compact_plan(project: JSONDict, plan: JSONDict) -> JSONDict:
    """What the read models need of a plan: its makespan, whether an elapsed
    task ends it (its clock time runs on to the next day:
    `Project.task_finish_date`), and later its P80."""
    elapsed = set(project.get("elapsed_tasks", []))
    ends_elapsed = any(
        task["task_id"] in elapsed
        and task["start"] < task["finish"] == plan["makespan"]
        for task in plan.get("tasks", [])
    )
    return {"makespan": plan["makespan"], "p80": None, "elapsed_end": ends_elapsed}


def _portfolio_row(project_id: str, project: JSONDict) -> JSONDict:
    plan = project["plans"].get(project.get("committed"))
    makespan = None if plan is None else plan["makespan"]
    p80 = None if plan is None else plan["p80"]
    deadline = project["deadline"]
    if plan is None:
        status = "draft"
    elif deadline is not None and max(plan["makespan"], p80 or 0) > deadline:
        status = "at_risk"
    else:
        status = "committed"
    return {
        "id": project_id,
        "name": project["name"],
        "status": status,
        "deadline": deadline,
        "committed_plan_id": project.get("committed"),
        "committed_makespan": makespan,
        "committed_finish_date": _finish_date(
            project, makespan, plan is not None and plan.get("elapsed_end", False)
        ),
        "latest_p80": p80,
        "p80_finish_date": _finish_date(project, p80),
        "updated": project["updated"],
    }


def _finish_date(
    project: JSONDict, finish: float | None, elapsed: bool = False
) -> str | None:
    if finish is None or project["start"] is None:
        return None
    day = _time_axis(project).task_finish_date(0, finish, elapsed)
    return None if day is None else day.isoformat()


def _track_task_time(project: JSONDict, data: JSONDict) -> None:
    """Keep a task's own calendar and whether it is elapsed (or forget them)
    as an edit of it says: the days of the time axis depend on both."""
    calendars = project.setdefault("task_calendars", {})
    elapsed = project.setdefault("elapsed_tasks", [])
    task_id, fields = data["entity_id"], data.get("fields", {})
    removed = "fields" not in data
    if "calendar" in fields or removed:  # set, cleared, removed
        calendars.pop(task_id, None)
    if fields.get("calendar"):
        calendars[task_id] = fields["calendar"]
    if ("elapsed" in fields or removed) and task_id in elapsed:
        elapsed.remove(task_id)
    if fields.get("elapsed"):
        elapsed.append(task_id)


def _time_axis(project: JSONDict, resources: tuple[Resource, ...] = ()) -> Project:
    """The project as far as dates go: start, calendar, its tasks' own
    calendars and elapsed tasks (`Project.time_calendar`) and the given
    resources."""
    start = project["start"]
    calendars = project.get("task_calendars", {})
    elapsed = [t for t in project.get("elapsed_tasks", []) if t not in calendars]
    return Project(
        name=project["name"],
        tasks=tuple(
            Task(task_id, calendar=parse_calendar(calendar, "calendar"))
            for task_id, calendar in calendars.items()
        )
        + tuple(Task(task_id, elapsed=True) for task_id in elapsed),
        start=None if start is None else date.fromisoformat(start),
        calendar=parse_calendar(project["calendar"], "calendar", axis=True),
        resources=resources,
    )
