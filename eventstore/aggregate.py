"""The event-sourced project: its document, its plans, and the events that built it.

Public methods validate first (they parse, run `domain.validation`, make ids)
and only then trigger an event; event bodies only assign state, so replaying
stored events never raises and never reads the clock. Edits share one logic
with what-if scenarios: `domain.changes.apply_change`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from domain import NotFound, Plan, Project, ValidationError
from domain.changes import Change, ChangeAction, EntityKind, apply_change
from domain.document import (
    parse_absence,
    parse_project,
    project_from_document,
    project_to_document,
)
from domain.validation import validate_project
from eventstore.records import JSONDict, plain_json, plan_to_json

PAST_TENSE = {
    ChangeAction.ADD: "Added",
    ChangeAction.UPDATE: "Updated",
    ChangeAction.REMOVE: "Removed",
}


class ProjectAggregate(Aggregate):
    """One project: the v1 document as plain JSON, plus its plan records.

    `plans` maps str(plan id) to a record: plan JSON, the project version it
    was computed from, who proposed it and when, and the forecasts made of it.
    """

    # -- creation --------------------------------------------------------------

    @classmethod
    def create(cls, document: Mapping[str, Any], actor: str) -> ProjectAggregate:
        """Validate a whole project document and record it as one event."""
        _check_actor(actor)
        project = project_from_document(plain_json(document, "document"))
        return cls(document=project_to_document(project), actor=actor)

    class ProjectCreated(Aggregate.Created):
        document: JSONDict
        actor: str

    @event(ProjectCreated)
    def __init__(self, document: JSONDict, actor: str) -> None:
        self.document = document
        self.plans: dict[str, JSONDict] = {}
        self.committed_plan_id: UUID | None = None

    @property
    def project(self) -> Project:
        """The project at this version (the document was valid when recorded)."""
        return parse_project(self.document)

    # -- edits -----------------------------------------------------------------

    def change(self, change: Change, actor: str) -> None:
        """Apply an add/update/remove of a task, resource, dependency or risk.

        Raises ValidationError or NotFound, recording nothing, if the change
        does not apply or leaves the project breaking a rule.
        """
        _check_actor(actor)
        fields = plain_json(dict(change.fields), "fields")
        change = Change(change.action, change.kind, change.id, fields)
        validate_project(apply_change(self.project, change))
        name = change.kind.value.capitalize() + PAST_TENSE[change.action]
        event_class: type[ProjectAggregate.EntityEvent] = getattr(self, name)
        values: JSONDict = {"entity_id": change.id, "actor": actor}
        if change.action is not ChangeAction.REMOVE:
            values["fields"] = fields
        self.trigger_event(event_class, **values)

    def record_absence(
        self, resource_id: str, absence: Mapping[str, Any], actor: str
    ) -> None:
        """Add an absence (`{"start", "end", "reason"}`) to a resource.

        Recorded as AbsenceRecorded carrying the resource's whole new absence
        list, so replay is the same structural update as ResourceUpdated.
        """
        _check_actor(actor)
        absence_json = plain_json(dict(absence), "absence")
        parse_absence(absence_json, "absence")
        resources = {r["id"]: r for r in self.document.get("resources", [])}
        if resource_id not in resources:
            raise NotFound(f"no resource {resource_id!r} in project {self.id}")
        absences = [*resources[resource_id].get("absences", []), absence_json]
        fields: JSONDict = {"absences": absences}
        change = Change(ChangeAction.UPDATE, EntityKind.RESOURCE, resource_id, fields)
        validate_project(apply_change(self.project, change))
        self.trigger_event(
            self.AbsenceRecorded, entity_id=resource_id, fields=fields, actor=actor
        )

    def _assign_change(self, change: Change) -> None:
        """Event body shared by the edit events: structural, never validates."""
        self.document = project_to_document(apply_change(self.project, change))

    class EntityEvent(Aggregate.Event):
        """Base of the edit events; `kind` says which collection is edited."""

        kind: ClassVar[EntityKind]
        entity_id: str
        actor: str

        def as_change(self) -> Change:
            raise NotImplementedError

        def apply(self, aggregate: ProjectAggregate) -> None:
            aggregate._assign_change(self.as_change())

    class EntityAdded(EntityEvent):
        fields: JSONDict

        def as_change(self) -> Change:
            return Change(ChangeAction.ADD, self.kind, self.entity_id, self.fields)

    class EntityUpdated(EntityEvent):
        fields: JSONDict

        def as_change(self) -> Change:
            return Change(ChangeAction.UPDATE, self.kind, self.entity_id, self.fields)

    class EntityRemoved(EntityEvent):
        def as_change(self) -> Change:
            return Change(ChangeAction.REMOVE, self.kind, self.entity_id)

    class TaskAdded(EntityAdded):
        kind = EntityKind.TASK

    class TaskUpdated(EntityUpdated):
        kind = EntityKind.TASK

    class TaskRemoved(EntityRemoved):
        kind = EntityKind.TASK

    class ResourceAdded(EntityAdded):
        kind = EntityKind.RESOURCE

    class ResourceUpdated(EntityUpdated):
        kind = EntityKind.RESOURCE

    class ResourceRemoved(EntityRemoved):
        kind = EntityKind.RESOURCE

    class AbsenceRecorded(EntityUpdated):
        """A person's absence (vacation, sick days) was recorded."""

        kind = EntityKind.RESOURCE

    class DependencyAdded(EntityAdded):
        kind = EntityKind.DEPENDENCY

    class DependencyUpdated(EntityUpdated):
        kind = EntityKind.DEPENDENCY

    class DependencyRemoved(EntityRemoved):
        kind = EntityKind.DEPENDENCY

    class RiskAdded(EntityAdded):
        kind = EntityKind.RISK

    class RiskUpdated(EntityUpdated):
        kind = EntityKind.RISK

    class RiskRemoved(EntityRemoved):
        kind = EntityKind.RISK

    # -- plans and forecasts ---------------------------------------------------

    def propose_plan(
        self, plan: Plan, actor: str, project_version: int | None = None
    ) -> UUID:
        """Record a plan computed from `project_version` (default: this version).

        Returns the new plan's id.
        """
        _check_actor(actor)
        computed_from = self.version if project_version is None else project_version
        if not 1 <= computed_from <= self.version:
            raise ValidationError.at(
                "project_version", f"must be within 1..{self.version}"
            )
        plan_json = plain_json(plan_to_json(plan), "plan")
        _check_plan_tasks(plan_json)
        plan_id = uuid4()
        self.trigger_event(
            self.PlanProposed,
            plan_id=plan_id,
            plan=plan_json,
            project_version=computed_from,
            actor=actor,
        )
        return plan_id

    def commit_plan(self, plan_id: UUID, actor: str) -> None:
        """Make a proposed plan with a schedule the committed baseline."""
        _check_actor(actor)
        plan = self.plan_record(plan_id)["plan"]
        if plan["status"] not in ("optimal", "feasible"):
            raise ValidationError.at(
                "plan_id", f"plan {plan_id} has no schedule (status {plan['status']})"
            )
        self.trigger_event(self.PlanCommitted, plan_id=plan_id, actor=actor)

    def record_forecast(
        self, plan_id: UUID, seed: int, samples: int, summary: JSONDict, actor: str
    ) -> None:
        """Record a Monte Carlo forecast of a proposed plan, with what it takes
        to reproduce it (seed and sample count)."""
        _check_actor(actor)
        self.plan_record(plan_id)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ValidationError.at("seed", f"expected an integer, got {seed!r}")
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
            raise ValidationError.at("samples", f"must be an integer >= 1: {samples!r}")
        if not isinstance(summary, Mapping):
            raise ValidationError.at("summary", "expected a JSON object")
        self.trigger_event(
            self.ForecastRecorded,
            plan_id=plan_id,
            seed=seed,
            samples=samples,
            summary=plain_json(dict(summary), "summary"),
            actor=actor,
        )

    def plan_record(self, plan_id: UUID) -> JSONDict:
        """The recorded plan (JSON, version, actor, time, forecasts); NotFound
        if this project has no such plan."""
        record = self.plans.get(str(plan_id))
        if record is None:
            raise NotFound(f"no plan {plan_id} in project {self.id}")
        return record

    class PlanProposed(Aggregate.Event):
        plan_id: UUID
        plan: JSONDict
        project_version: int
        actor: str

        def apply(self, aggregate: ProjectAggregate) -> None:
            aggregate.plans[str(self.plan_id)] = {
                "plan": self.plan,
                "project_version": self.project_version,
                "proposed_at": self.timestamp,
                "actor": self.actor,
                "forecasts": [],
            }

    class PlanCommitted(Aggregate.Event):
        plan_id: UUID
        actor: str

        def apply(self, aggregate: ProjectAggregate) -> None:
            aggregate.committed_plan_id = self.plan_id

    class ForecastRecorded(Aggregate.Event):
        plan_id: UUID
        seed: int
        samples: int
        summary: JSONDict
        actor: str

        def apply(self, aggregate: ProjectAggregate) -> None:
            aggregate.plans[str(self.plan_id)]["forecasts"].append(
                {
                    "seed": self.seed,
                    "samples": self.samples,
                    "summary": self.summary,
                    "recorded_at": self.timestamp,
                }
            )


def _check_actor(actor: str) -> None:
    if not isinstance(actor, str) or not actor.strip():
        raise ValidationError.at("actor", "required, a non-empty string")


def _check_plan_tasks(plan: JSONDict) -> None:
    """Rules a plan must meet on its own; the scheduler's validator checks it
    against the project (precedence, capacity, skills) before it gets here."""
    seen: set[str] = set()
    for task in plan["tasks"]:
        where = f"plan.tasks[{task['task_id']}]"
        if task["task_id"] in seen:
            raise ValidationError.at(where, "scheduled more than once")
        if task["finish"] < task["start"]:
            raise ValidationError.at(where, "finishes before it starts")
        seen.add(task["task_id"])
