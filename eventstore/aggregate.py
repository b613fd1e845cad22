"""The event-sourced project: its document, its plans, and the events that built it.

Public methods validate first (they parse, run `domain.validation`, make ids)
and only then trigger an event; event bodies only assign state, so replaying
stored events never raises and never reads the clock. Edits share one
definition with what-if scenarios: `domain.changes.apply_change_to_document`
edits the stored dict in place, so replay costs about the same per event
whatever the project's size.

Extending: a new event subclasses `ProjectEvent` (so it carries actor and
reason) and is nested here, since its topic names this class. A new state
attribute needs `class_version` on the aggregate raised with an
`upcast_vN_vN+1` static method that fills it in, because snapshots hold the
state as it was when taken.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from domain import NotFound, Plan, Project, ValidationError
from domain.changes import Change, ChangeAction, EntityKind, apply_change_to_document
from domain.document import (
    Parsed,
    parse_absence,
    parse_project,
    project_from_document,
)
from domain.document_writer import project_to_document
from domain.gates import approvable, check_new_actuals
from domain.health import StaleTask
from domain.progress import day_ref_to_document
from domain.reports import (
    field_edits,
    report_changes,
    touches_actuals,
    with_dated_actuals,
    with_working_days,
)
from domain.slips import Slip
from domain.validation import validate_project
from eventstore.drafts import draft_for, json_copy
from eventstore.records import JSONDict, plain_changes, plain_json, plan_to_json
from eventstore.rules import check_actor, check_forecast, check_plan_tasks, check_reason

PAST_TENSE = {
    ChangeAction.ADD: "Added",
    ChangeAction.UPDATE: "Updated",
    ChangeAction.REMOVE: "Removed",
}


class Audited:
    """What every project event records beyond its data: who and why (the
    library adds when). Version 2 added `reason`; older events read as None."""

    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: JSONDict) -> None:
        state.setdefault("reason", None)


class ProjectAggregate(Aggregate):
    """One project: the v1 document as plain JSON, plus its plan records.

    `plans` maps str(plan id) to a record: plan JSON, the project version it
    was computed from, who proposed it and when, and the forecasts made of it.
    """

    class ProjectEvent(Aggregate.Event, Audited):
        """Base of every event after creation."""

        actor: str
        reason: str | None

    # -- creation --------------------------------------------------------------

    @classmethod
    def create(
        cls, document: Mapping[str, Any], actor: str, reason: str | None = None
    ) -> ProjectAggregate:
        """Validate a whole project document and record it as one event."""
        check_actor(actor)
        plain = with_dated_actuals(plain_json(document, "document"))
        project = project_from_document(plain)
        return cls(
            document=project_to_document(project),
            actor=actor,
            reason=check_reason(reason),
        )

    class ProjectCreated(Aggregate.Created, Audited):
        document: JSONDict
        actor: str
        reason: str | None

    @event(ProjectCreated)
    def __init__(self, document: JSONDict, actor: str, reason: str | None) -> None:
        # A copy: later edits change the state in place, never the event.
        self.document = copy.deepcopy(document)
        self.plans: dict[str, JSONDict] = {}
        self.committed_plan_id: UUID | None = None

    @property
    def project(self) -> Project:
        """The project at this version (the document was valid when recorded)."""
        return parse_project(self.document)

    def __deepcopy__(self, memo: dict[int, Any]) -> ProjectAggregate:
        """A copy for a command (the library copies cached aggregates): the
        document, most of the state, by a JSON round trip (eventstore.drafts)."""
        clone = object.__new__(type(self))
        for name, value in self.__dict__.items():
            copied = (
                json_copy(value) if name == "document" else copy.deepcopy(value, memo)
            )
            clone.__dict__[name] = copied
        return clone

    # -- edits -----------------------------------------------------------------

    def change(
        self,
        change: Change,
        actor: str,
        reason: str | None = None,
        like: Parsed | None = None,
    ) -> None:
        """Apply an add/update/remove of a task, resource, dependency or risk.

        Raises ValidationError or NotFound, recording nothing, if the change
        does not apply or leaves the project breaking a rule. `like`: this
        version's document and project if already parsed (parse_project).
        """
        self._record_changes([change], actor, reason, name_index=False, like=like)

    def change_all(
        self,
        changes: Sequence[Change],
        actor: str,
        reason: str | None = None,
        like: Parsed | None = None,
    ) -> None:
        """Apply several changes as one unit: every event or none. The project
        is judged once, after the last change; errors name `changes[i]`."""
        if not changes:
            raise ValidationError.at("changes", "expected at least one change")
        self._record_changes(changes, actor, reason, name_index=True, like=like)

    def record_absence(
        self,
        resource_id: str,
        absence: Mapping[str, Any],
        actor: str,
        reason: str | None = None,
    ) -> None:
        """Add an absence (`{"start", "end", "reason"}`) to a resource.

        Recorded as AbsenceRecorded carrying the resource's whole new absence
        list, so replay is the same structural update as ResourceUpdated.
        """
        absence_json = plain_json(dict(absence), "absence")
        parse_absence(absence_json, "absence")
        absences = [*self._absences_of(resource_id), absence_json]
        self._record_absences(
            self.AbsenceRecorded, resource_id, absences, actor, reason
        )

    def remove_absence(
        self, resource_id: str, start: str, actor: str, reason: str | None = None
    ) -> None:
        """Drop the resource's absence that starts on `start` (ISO date).

        Recorded as AbsenceRemoved with the resource's remaining absences;
        NotFound when no absence of the resource starts that day.
        """
        absences = self._absences_of(resource_id)
        kept = [a for a in absences if a.get("start") != start]
        if len(kept) == len(absences):
            raise NotFound(f"resource {resource_id!r} has no absence from {start!r}")
        self._record_absences(self.AbsenceRemoved, resource_id, kept, actor, reason)

    def _absences_of(self, resource_id: str) -> list[JSONDict]:
        resources = {r["id"]: r for r in self.document.get("resources", [])}
        if resource_id not in resources:
            raise NotFound(f"no resource {resource_id!r} in project {self.id}")
        return list(resources[resource_id].get("absences", []))

    def _record_absences(
        self,
        event_class: type[EntityUpdated],
        resource_id: str,
        absences: list[JSONDict],
        actor: str,
        reason: str | None,
    ) -> None:
        """Validate the resource with its new absence list, then record it."""
        check_actor(actor)
        reason = check_reason(reason)
        fields: JSONDict = {"absences": absences}
        change = Change(ChangeAction.UPDATE, EntityKind.RESOURCE, resource_id, fields)
        draft = copy.deepcopy(self.document)
        apply_change_to_document(draft, change)
        validate_project(parse_project(draft))
        self.trigger_event(
            event_class,
            entity_id=resource_id,
            fields=fields,
            actor=actor,
            reason=reason,
        )

    def _record_changes(
        self,
        changes: Sequence[Change],
        actor: str,
        reason: str | None,
        name_index: bool,
        like: Parsed | None,
    ) -> None:
        """Judge the changes on a draft, then record them.

        Each change is applied to the draft once, by the same function its
        event body runs on replay, so the draft after the last change is the
        state those events produce; it becomes the state, instead of running
        every body again (which would parse each edited entity a second time).
        """
        check_actor(actor)
        reason = check_reason(reason)
        plain = plain_changes(changes, name_index)
        # Parsing the whole project is most of a plain edit's cost: only
        # changes to actuals and progress reports need it.
        if not any(map(touches_actuals, plain)):
            project = None
        else:
            project = self.project if like is None else like[1]
        checked = [
            change if project is None else with_working_days(project, change)
            for change in plain
        ]
        draft = draft_for(self.document, checked)
        for index, change in enumerate(checked):
            try:
                apply_change_to_document(draft, change)
            except NotFound as error:
                if not name_index:
                    raise
                raise ValidationError.at(f"changes[{index}].id", str(error)) from None
        after = parse_project(draft, like)
        validate_project(after)
        if project is not None:  # no change dates work otherwise
            check_new_actuals(project, after)
        for change in checked:
            name = change.kind.value.capitalize() + PAST_TENSE[change.action]
            values: JSONDict = {"entity_id": change.id}
            if change.action is not ChangeAction.REMOVE:
                values["fields"] = change.fields
            self._append_applied(
                getattr(self, name), actor=actor, reason=reason, **values
            )
        self.document = draft

    def change_fields(
        self, fields: Mapping[str, Any], actor: str, reason: str | None = None
    ) -> None:
        """Change project fields (name, deadline, calendar, status date...):
        one ProjectFieldChanged each, all or none (domain.reports)."""
        check_actor(actor)
        reason = check_reason(reason)
        edits = field_edits(self.project, plain_json(dict(fields), "fields"))
        draft = self._with_fields(copy.deepcopy(self.document), edits)
        self._record_drafted(draft, [key for key, _ in edits], [], actor, reason)

    def record_progress(
        self,
        status_date: Any,
        reports: Any,
        actor: str,
        reason: str | None = None,
    ) -> list[str]:
        """Move the status date (when given) and record each task's report:
        one ProjectFieldChanged and one ProgressReported per task, all or none.
        Returns the ids of the reported tasks."""
        check_actor(actor)
        reason = check_reason(reason)
        if status_date is None and not reports:
            raise ValidationError.at("reports", "expected a status_date or reports")
        edits = []
        if status_date is not None:
            fields = plain_json({"status_date": status_date}, "status_date")
            edits = field_edits(self.project, fields)
        draft = self._with_fields(copy.deepcopy(self.document), edits)
        changes = report_changes(parse_project(draft), plain_json(reports, "reports"))
        for change in changes:
            apply_change_to_document(draft, change)
        keys = [key for key, _ in edits]
        self._record_drafted(draft, keys, changes, actor, reason)
        return [change.id for change in changes]

    @staticmethod
    def _with_fields(draft: JSONDict, edits: list[tuple[str, Any]]) -> JSONDict:
        for key, value in edits:
            if value is None:
                draft.pop(key, None)
            else:
                draft[key] = value
        return draft

    def _record_drafted(
        self,
        draft: JSONDict,
        field_keys: list[str],
        reports: Sequence[Change],
        actor: str,
        reason: str | None,
    ) -> None:
        """Judge the draft whole, then record its field edits (normalised as
        the document writes them) and its progress reports."""
        project = parse_project(draft)
        validate_project(project)
        check_new_actuals(self.project, project)
        normalised = project_to_document(project)
        for key in field_keys:
            self._append_applied(
                self.ProjectFieldChanged,
                field=key,
                value=normalised.get(key),
                actor=actor,
                reason=reason,
            )
        for change in reports:
            self._append_applied(
                self.ProgressReported,
                entity_id=change.id,
                fields=change.fields,
                actor=actor,
                reason=reason,
            )
        for key in field_keys:
            self._with_fields(draft, [(key, normalised.get(key))])
        self.document = draft

    def approve_gate(self, gate_id: str, actor: str, reason: str | None) -> int:
        """Approve a stage gate whose stage has finished (domain.gates): it is
        done at the status time, so the work behind it may start. Returns
        that time."""
        check_actor(actor)
        reason = check_reason(reason)
        approved_at = approvable(self.project, gate_id)
        self.trigger_event(
            self.GateApproved,
            task_id=gate_id,
            approved_at=approved_at,
            actor=actor,
            reason=reason,
        )
        return approved_at

    class GateApproved(ProjectEvent):
        """A stage gate was approved: it is done at `approved_at` (a
        working-day time) and the work behind it may start."""

        task_id: str
        approved_at: int

        def apply(self, aggregate: ProjectAggregate) -> None:
            day = self.approved_at
            fields: JSONDict = {"actual_start": day, "actual_finish": day}
            change = Change(ChangeAction.UPDATE, EntityKind.TASK, self.task_id, fields)
            apply_change_to_document(aggregate.document, change)

    class ProjectFieldChanged(ProjectEvent):
        """A project field (name, deadline, status date...) got a new value;
        None removes it."""

        field: str
        value: Any

        def apply(self, aggregate: ProjectAggregate) -> None:
            value = copy.deepcopy(self.value)
            ProjectAggregate._with_fields(aggregate.document, [(self.field, value)])

    def _append_applied(self, event_class: type[ProjectEvent], **values: Any) -> None:
        """`trigger_event` for an event whose effect is already in the state:
        the next version, stamped now, pending for the save; its body not run."""
        recorded = event_class(
            originator_id=self.id,
            originator_version=self.version + 1,
            timestamp=event_class.create_timestamp(),
            **values,
        )
        self.version = recorded.originator_version
        self.modified_on = recorded.timestamp
        self._pending_events.append(recorded)

    class EntityEvent(ProjectEvent):
        """Base of the edit events: `kind` says which collection is edited,
        `action` how; the removals carry no fields."""

        kind: ClassVar[EntityKind]
        action: ClassVar[ChangeAction]
        entity_id: str

        def as_change(self) -> Change:
            fields: JSONDict = getattr(self, "fields", {})
            return Change(self.action, self.kind, self.entity_id, fields)

        def apply(self, aggregate: ProjectAggregate) -> None:
            apply_change_to_document(aggregate.document, self.as_change())

    class EntityAdded(EntityEvent):
        action = ChangeAction.ADD
        fields: JSONDict

    class EntityUpdated(EntityEvent):
        action = ChangeAction.UPDATE
        fields: JSONDict

    class EntityRemoved(EntityEvent):
        action = ChangeAction.REMOVE

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

    class AbsenceRemoved(EntityUpdated):
        """A person's absence was withdrawn (it carries the remaining ones)."""

        kind = EntityKind.RESOURCE

    class ProgressReported(EntityUpdated):
        """A progress report on a task: actual dates, percent complete,
        remaining duration, actual cost, as of `reported_on`."""

        kind = EntityKind.TASK

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
        self,
        plan: Plan,
        actor: str,
        project_version: int | None = None,
        reason: str | None = None,
    ) -> UUID:
        """Record a plan computed from `project_version` (default: this version).

        Returns the new plan's id.
        """
        check_actor(actor)
        computed_from = self.version if project_version is None else project_version
        if not 1 <= computed_from <= self.version:
            raise ValidationError.at(
                "project_version", f"must be within 1..{self.version}"
            )
        plan_json = plain_json(plan_to_json(plan), "plan")
        check_plan_tasks(plan_json)
        plan_id = uuid4()
        self.trigger_event(
            self.PlanProposed,
            plan_id=plan_id,
            plan=plan_json,
            project_version=computed_from,
            actor=actor,
            reason=check_reason(reason),
        )
        return plan_id

    def commit_plan(self, plan_id: UUID, actor: str, reason: str | None = None) -> None:
        """Make a proposed plan with a schedule the committed baseline."""
        check_actor(actor)
        plan = self.plan_record(plan_id)["plan"]
        if plan["status"] not in ("optimal", "feasible"):
            raise ValidationError.at(
                "plan_id", f"plan {plan_id} has no schedule (status {plan['status']})"
            )
        self.trigger_event(
            self.PlanCommitted,
            plan_id=plan_id,
            actor=actor,
            reason=check_reason(reason),
        )

    def record_forecast(
        self,
        plan_id: UUID,
        seed: int,
        samples: int,
        summary: JSONDict,
        actor: str,
        reason: str | None = None,
    ) -> None:
        """Record a Monte Carlo forecast of a proposed plan, with what it takes
        to reproduce it (seed and sample count)."""
        check_actor(actor)
        self.plan_record(plan_id)
        check_forecast(seed, samples, summary)
        self.trigger_event(
            self.ForecastRecorded,
            plan_id=plan_id,
            seed=seed,
            samples=samples,
            summary=plain_json(dict(summary), "summary"),
            actor=actor,
            reason=check_reason(reason),
        )

    def record_alerts(
        self,
        plan_id: UUID | None,
        slip: Slip | None,
        stale: Sequence[StaleTask],
        actor: str,
    ) -> None:
        """Record the nightly job's findings: a ForecastSlipped for a slipped
        forecast of `plan_id`, a TaskStale per stale task (outbound webhooks
        read these)."""
        check_actor(actor)
        if slip is not None:
            if plan_id is None:
                raise ValidationError.at("plan_id", "a slip names its plan")
            self.plan_record(plan_id)
            self.trigger_event(
                self.ForecastSlipped,
                plan_id=plan_id,
                baseline_p80=slip.baseline_p80,
                p80=slip.p80,
                deadline=slip.deadline,
                reasons=list(slip.reasons),
                actor=actor,
                reason=None,
            )
        status = self.project.status_date
        for task in stale:
            self.trigger_event(
                self.TaskStale,
                task_id=task.task_id,
                last_report=task.last_report,
                days_silent=task.days_silent,
                status_date=None if status is None else day_ref_to_document(status),
                actor=actor,
                reason=None,
            )

    class ForecastSlipped(ProjectEvent):
        """A forecast's P80 moved past the baseline's by more than the slip
        threshold, or past the deadline; `reasons` say why in words."""

        plan_id: UUID
        baseline_p80: float | None
        p80: float
        deadline: int | None
        reasons: list[str]

    class TaskStale(ProjectEvent):
        """A started, unfinished task with no report for more than the
        project's `stale_after` working days before the status date."""

        task_id: str
        last_report: int
        days_silent: int
        status_date: str | int | None

    def plan_record(self, plan_id: UUID) -> JSONDict:
        """The recorded plan (JSON, version, actor, time, forecasts); NotFound
        if this project has no such plan."""
        record = self.plans.get(str(plan_id))
        if record is None:
            raise NotFound(f"no plan {plan_id} in project {self.id}")
        return record

    class PlanProposed(ProjectEvent):
        plan_id: UUID
        plan: JSONDict
        project_version: int

        def apply(self, aggregate: ProjectAggregate) -> None:
            aggregate.plans[str(self.plan_id)] = {
                "plan": self.plan,
                "project_version": self.project_version,
                "proposed_at": self.timestamp,
                "actor": self.actor,
                "forecasts": [],
            }

    class PlanCommitted(ProjectEvent):
        plan_id: UUID

        def apply(self, aggregate: ProjectAggregate) -> None:
            aggregate.committed_plan_id = self.plan_id

    class ForecastRecorded(ProjectEvent):
        plan_id: UUID
        seed: int
        samples: int
        summary: JSONDict

        def apply(self, aggregate: ProjectAggregate) -> None:
            aggregate.plans[str(self.plan_id)]["forecasts"].append(
                {
                    "seed": self.seed,
                    "samples": self.samples,
                    "summary": self.summary,
                    "recorded_at": self.timestamp,
                }
            )
