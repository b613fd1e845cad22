"""Read models that span projects, built only from recorded events.

Each model is plain state (JSON-ready, so a checkpoint can store it), a list
of the event types it reads, and `apply(event)`; applying the same events in
the same order always gives the same state, so a rebuild from zero equals the
model kept current. `eventstore.projections` feeds them from the log.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any, ClassVar, Protocol

from eventsourcing.domain import Aggregate

from domain.document import parse_calendar
from eventstore.aggregate import ProjectAggregate
from eventstore.records import JSONDict

Events = tuple[type[Aggregate.Event], ...]


class ReadModel(Protocol):
    """What `projections.Projection` needs of a read model."""

    name: ClassVar[str]
    reads: ClassVar[Events]
    state: JSONDict

    def apply(self, event: Aggregate.Event) -> None: ...


class ProjectPlans:
    """Per project: name, deadline, calendar, proposed plans (compact) and
    the committed one. Both read models below share this bookkeeping."""

    reads: ClassVar[Events] = (
        ProjectAggregate.ProjectCreated,
        ProjectAggregate.PlanProposed,
        ProjectAggregate.PlanCommitted,
        ProjectAggregate.ForecastRecorded,
    )

    def __init__(self, state: JSONDict | None = None) -> None:
        self.state: JSONDict = state if state is not None else {}

    def apply(self, event: Aggregate.Event) -> None:
        """Fold one event into the state (events of other types are ignored)."""
        key = str(event.originator_id)
        if isinstance(event, ProjectAggregate.ProjectCreated):
            self.state[key] = _new_project(event)
        project = self.state.get(key)
        if project is None:
            return
        if isinstance(event, ProjectAggregate.PlanProposed):
            project["plans"][str(event.plan_id)] = _compact_plan(event.plan)
        elif isinstance(event, ProjectAggregate.PlanCommitted):
            project["committed"] = str(event.plan_id)
        elif isinstance(event, ProjectAggregate.ForecastRecorded):
            plan = project["plans"].get(str(event.plan_id))
            if plan is not None:
                plan["p80"] = event.summary.get("duration", {}).get("p80")
        project["updated"] = event.timestamp.isoformat()


class Portfolio(ProjectPlans):
    """Every project: status, committed finish, latest P80 of the baseline."""

    name: ClassVar[str] = "portfolio"

    def rows(self) -> list[JSONDict]:
        """One row per project, in creation order."""
        return [_portfolio_row(project_id, p) for project_id, p in self.state.items()]


class ResourceLoad(ProjectPlans):
    """Working days each person is assigned, per ISO week, across the
    committed plans of every project."""

    name: ClassVar[str] = "resource_load"

    def load(self) -> dict[str, dict[str, int]]:
        """{person: {"2027-W02": days}} summed over projects, sorted."""
        totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for project in self.state.values():
            plan = project["plans"].get(project.get("committed"))
            if plan is None:
                continue
            weeks = _week_keys(project, plan["makespan"])
            for start, finish, people in plan["tasks"]:
                for day in range(start, finish):
                    for person in people:
                        totals[person][weeks[day]] += 1
        return {p: dict(sorted(w.items())) for p, w in sorted(totals.items())}


def _new_project(event: Any) -> JSONDict:
    document = event.document
    return {
        "name": document["name"],
        "start": document.get("start"),
        "deadline": document.get("deadline"),
        "calendar": document.get("calendar", {}),
        "plans": {},
        "committed": None,
    }


def _compact_plan(plan: JSONDict) -> JSONDict:
    """What the read models need of a plan: makespan, and who works when."""
    return {
        "makespan": plan["makespan"],
        "p80": None,
        "tasks": [
            [task["start"], task["finish"], task["assignees"]]
            for task in plan["tasks"]
            if task["assignees"] and task["finish"] > task["start"]
        ],
    }


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
        "committed_finish_date": _finish_date(project, makespan),
        "latest_p80": p80,
        "p80_finish_date": _finish_date(project, p80),
        "updated": project["updated"],
    }


def _finish_date(project: JSONDict, finish: float | None) -> str | None:
    if finish is None or project["start"] is None:
        return None
    calendar = parse_calendar(project["calendar"], "calendar")
    return calendar.finish_date(
        date.fromisoformat(project["start"]), finish
    ).isoformat()


def _week_keys(project: JSONDict, days: int) -> list[str]:
    """The ISO week of each working day 0..days-1; without a start date, the
    week's number counted from the start."""
    calendar = parse_calendar(project["calendar"], "calendar")
    if project["start"] is None:
        per_week = len(calendar.workdays)
        return [f"week-{day // per_week + 1}" for day in range(days)]
    current = calendar.date_of(date.fromisoformat(project["start"]), 0)
    keys: list[str] = []
    while len(keys) < days:
        if calendar.is_working(current):
            year, week, _ = current.isocalendar()
            keys.append(f"{year}-W{week:02d}")
        current += timedelta(days=1)
    return keys
