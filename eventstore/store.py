"""`ProjectStore`: record and read projects, plans and forecasts.

Each write is load, call the aggregate, save. With `expected_version`, a write
based on a stale read is refused (ConcurrencyConflict with the now-current
version); without it (a blind write), losing a race to a concurrent writer
means load, apply and save again, so blind writes never fail for a race.
With an `IdempotencyKey`, a retried write appends nothing and answers as the
first one did.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    LocalNotificationLog,
    LRUCache,
)

from domain import ConcurrencyConflict, NotFound, Plan, ValidationError
from domain.changes import Change
from domain.diff import diff_documents
from domain.document import Parsed, parse_project
from domain.health import StaleTask
from domain.slips import Slip
from eventstore import audit
from eventstore.access_store import AccessStore
from eventstore.aggregate import ProjectAggregate
from eventstore.application import ProjectApplication
from eventstore.audit import AuditQuery, TrailPage
from eventstore.drafts import json_copy
from eventstore.idempotency import IdempotencyKey, Receipt
from eventstore.persistence import (
    AGGREGATE_CACHE_SIZE,
    persistence_environment,
    tune_connections,
)
from eventstore.portfolio_plans import PortfolioPlans
from eventstore.project_index import ProjectIndex
from eventstore.projections import Projection
from eventstore.readmodels import Portfolio, ResourceLoad
from eventstore.records import AuditEntry, JSONDict, PlanRecord, ProjectState
from eventstore.schema import checkpoints_of, documents_of, migrate
from eventstore.templates import ProjectTemplate
from eventstore.views import plan_record, project_state

Command = Callable[[ProjectAggregate], object]
AUDIT_SCAN = 10_000
AUDIT_PAGE = 500  # events decoded at a time for a filtered trail
TRAIL_PAGES = 256  # trail pages kept in memory (each up to `limit` entries)
# Blind writes retried on a version conflict: 8 writers on one project each
# needed at most a handful (tests/integration/test_eventstore_races.py).
BLIND_ATTEMPTS = 50


class ProjectStore:
    """Projects as event streams in memory, SQLite or PostgreSQL.

    `database_url`: None (in memory), `sqlite:///path/to/file.db` or
    `postgresql://user:password@host:port/dbname`. Tables are created on
    first use unless `create_tables=False` (workers started after
    `migrate()`). `max_tasks` bounds a project's size (a write past it is
    refused whole). Safe to share between threads; close it when done.
    """

    def __init__(
        self,
        database_url: str | None = None,
        create_tables: bool = True,
        max_tasks: int | None = None,
    ):
        self.database_url = database_url
        self.max_tasks = max_tasks
        environment = persistence_environment(database_url, create_tables)
        self._app = ProjectApplication(env=environment)
        tune_connections(self._app.recorder, environment)
        checkpoints = checkpoints_of(self._app)
        self.checkpoints = checkpoints
        self.documents = documents_of(self._app)
        if create_tables:
            checkpoints.create_table()
            self.documents.create_table()
        self.portfolio = Projection(self._app, checkpoints, Portfolio)
        self.resource_load = Projection(self._app, checkpoints, ResourceLoad)
        self.project_index = Projection(self._app, checkpoints, ProjectIndex)
        self.access = AccessStore(self._app)
        self.portfolio_plans = PortfolioPlans(self._app)
        # Each project's state at its head as last read or written here:
        # reads of an unchanged project skip the load and its deep copy.
        self._heads: LRUCache[UUID, ProjectState] = LRUCache(AGGREGATE_CACHE_SIZE)
        # Pages of projects' trails as last read (see `events`).
        self._pages: LRUCache[tuple[UUID, AuditQuery], TrailPage]
        self._pages = LRUCache(TRAIL_PAGES)

    def migrate(self) -> None:
        """Create every table this store needs, if missing; never drops or
        rewrites events, so it is safe on a live database and on every upgrade."""
        migrate(self._app)

    # -- projects --------------------------------------------------------------

    def create_project(
        self,
        document: Mapping[str, Any],
        actor: str,
        reason: str | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> ProjectState:
        """Validate a project document and record it (one event: version 1)."""
        done = self._replayed(idempotency)
        if done is not None:
            return project_state(done[0])
        self._check_size(document.get("tasks"))  # before validating them all
        project = ProjectAggregate.create(document, actor, reason)
        return project_state(self._save(project, 0, None, idempotency)[0])

    def get_project(
        self,
        project_id: UUID,
        version: int | None = None,
        as_of: datetime | None = None,
        shared: bool = False,
    ) -> ProjectState:
        """The project now, or as it was at `version` or at the moment `as_of`.

        The head is served from memory while the database holds no newer
        event of it (one indexed read), so several processes stay in step.
        `shared`: the kept head itself, not a copy, for callers that only
        read it (an answer serialising it); it must not be changed.
        """
        if version is None and as_of is None:
            try:
                known = self._heads.get(project_id)
            except KeyError:
                pass
            else:
                if known.version == self._app.head_version(project_id):
                    if shared:
                        return known
                    return replace(known, document=json_copy(known.document))
            project = self._app.load(project_id)
            self._remember(project)
            return project_state(project)
        return project_state(self._load(project_id, version, as_of))

    def change_project(
        self,
        project_id: UUID,
        change: Change,
        actor: str,
        expected_version: int | None = None,
        reason: str | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> ProjectState:
        """Apply one validated change; raises ValidationError, NotFound or
        ConcurrencyConflict and records nothing when it does not apply."""
        project, _ = self._update(
            project_id,
            expected_version,
            lambda p: p.change(change, actor, reason, self._parsed_head(p)),
            idempotency,
        )
        return project_state(project)

    def apply_changes(
        self,
        project_id: UUID,
        changes: Sequence[Change],
        actor: str,
        expected_version: int | None = None,
        reason: str | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> ProjectState:
        """Apply several changes atomically: one event each, all saved in one
        transaction, or nothing at all."""
        project, _ = self._update(
            project_id,
            expected_version,
            lambda p: p.change_all(changes, actor, reason, self._parsed_head(p)),
            idempotency,
        )
        return project_state(project)

    def change_fields(
        self,
        project_id: UUID,
        fields: Mapping[str, Any],
        actor: str,
        expected_version: int | None = None,
        reason: str | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> ProjectState:
        """Change project fields: one ProjectFieldChanged each, all or none."""
        project, _ = self._update(
            project_id,
            expected_version,
            lambda p: p.change_fields(fields, actor, reason),
            idempotency,
        )
        return project_state(project)

    def record_progress(
        self,
        project_id: UUID,
        status_date: Any,
        reports: Any,
        actor: str,
        expected_version: int | None = None,
        reason: str | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> ProjectState:
        """Move the status date and record progress reports in one transaction."""
        project, _ = self._update(
            project_id,
            expected_version,
            lambda p: p.record_progress(status_date, reports, actor, reason),
            idempotency,
        )
        return project_state(project)

    def diff(self, project_id: UUID, from_version: int, to_version: int) -> JSONDict:
        """What changed from one version to another (see `domain.diff`)."""
        before = self._app.load(project_id, from_version).document
        after = self._app.load(project_id, to_version).document
        return {"from": from_version, "to": to_version, **diff_documents(before, after)}

    def record_absence(
        self,
        project_id: UUID,
        resource_id: str,
        absence: Mapping[str, Any],
        actor: str,
        expected_version: int | None = None,
        reason: str | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> ProjectState:
        """Record a resource's absence (one AbsenceRecorded event)."""
        project, _ = self._update(
            project_id,
            expected_version,
            lambda p: p.record_absence(resource_id, absence, actor, reason),
            idempotency,
        )
        return project_state(project)

    def remove_absence(
        self,
        project_id: UUID,
        resource_id: str,
        start: str,
        actor: str,
        expected_version: int | None = None,
        reason: str | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> ProjectState:
        """Withdraw the resource's absence starting on `start` (AbsenceRemoved)."""
        project, _ = self._update(
            project_id,
            expected_version,
            lambda p: p.remove_absence(resource_id, start, actor, reason),
            idempotency,
        )
        return project_state(project)

    def create_template(self, document: Mapping[str, Any], actor: str) -> UUID:
        """Record a project template (TemplateCreated); returns its id."""
        template = ProjectTemplate.create(document, actor)
        self._app.save(template)
        return template.id

    def template_document(self, template_id: UUID) -> JSONDict:
        """A copy of a template's document; NotFound if there is none."""
        try:
            template: object = self._app.repository.get(template_id)
        except AggregateNotFoundError:
            raise NotFound(f"no template {template_id}") from None
        if not isinstance(template, ProjectTemplate):
            raise NotFound(f"no template {template_id}")
        return copy.deepcopy(template.document)

    def approve_gate(
        self,
        project_id: UUID,
        gate_id: str,
        actor: str,
        expected_version: int | None = None,
        reason: str | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> ProjectState:
        """Approve a stage gate (GateApproved)."""
        project, _ = self._update(
            project_id,
            expected_version,
            lambda p: p.approve_gate(gate_id, actor, reason),
            idempotency,
        )
        return project_state(project)

    def project_ids(self) -> list[UUID]:
        """Every project's id, oldest first."""
        return self._app.created_project_ids()

    # -- plans and forecasts ---------------------------------------------------

    def propose_plan(
        self,
        project_id: UUID,
        plan: Plan,
        actor: str,
        project_version: int | None = None,
        reason: str | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> PlanRecord:
        """Record a plan computed from `project_version` (default: current)."""
        _project, plan_id = self._update(
            project_id,
            None,
            lambda p: p.propose_plan(plan, actor, project_version, reason),
            idempotency,
        )
        return plan_record(self._app.load(project_id), UUID(str(plan_id)))

    def commit_plan(
        self,
        project_id: UUID,
        plan_id: UUID,
        actor: str,
        expected_version: int | None = None,
        reason: str | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> ProjectState:
        """Make a proposed plan the baseline; NotFound for an unknown plan,
        ValidationError for a plan without a schedule."""
        project, _ = self._update(
            project_id,
            expected_version,
            lambda p: p.commit_plan(plan_id, actor, reason),
            idempotency,
        )
        return project_state(project)

    def get_plan(self, project_id: UUID, plan_id: UUID) -> PlanRecord:
        """A proposed plan of the project; NotFound if there is none."""
        return plan_record(self._app.load(project_id), plan_id)

    def committed_plan(
        self,
        project_id: UUID,
        version: int | None = None,
        as_of: datetime | None = None,
    ) -> PlanRecord | None:
        """The baseline (with its forecasts so far) now, at `version` or at
        `as_of`; None if none was committed by then."""
        project = self._load(project_id, version, as_of)
        if project.committed_plan_id is None:
            return None
        return plan_record(project, project.committed_plan_id)

    def record_alerts(
        self,
        project_id: UUID,
        plan_id: UUID | None,
        slip: Slip | None,
        stale: Sequence[StaleTask],
        actor: str,
    ) -> ProjectState:
        """Record a ForecastSlipped and a TaskStale per stale task, together."""
        project, _ = self._update(
            project_id, None, lambda p: p.record_alerts(plan_id, slip, stale, actor)
        )
        return project_state(project)

    def latest_forecast(self, project_id: UUID) -> JSONDict | None:
        """The most recently recorded forecast of any of the project's plans
        (seed, samples, summary, recorded_at), or None."""
        project = self._app.load(project_id)
        forecasts = [f for r in project.plans.values() for f in r["forecasts"]]
        return max(forecasts, key=lambda f: f["recorded_at"], default=None)

    def record_forecast(
        self,
        project_id: UUID,
        plan_id: UUID,
        seed: int,
        samples: int,
        summary: JSONDict,
        actor: str,
        reason: str | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> int:
        """Record a forecast of a plan (seed, samples, duration summary);
        returns the project's new version."""
        project, _ = self._update(
            project_id,
            None,
            lambda p: p.record_forecast(plan_id, seed, samples, summary, actor, reason),
            idempotency,
        )
        return project.version

    # -- audit and upkeep ------------------------------------------------------

    def events(
        self, project_id: UUID, query: AuditQuery | None = None
    ) -> list[AuditEntry]:
        """The project's audit trail, oldest first: all of it, or the page
        `query` asks for (by task, by actor, after a version). Pages are kept
        in memory with the version read up to: events are only ever appended,
        so a full page (`limit` entries) never changes and a partial one is
        continued with the events recorded since (one read, only the new
        events decoded). Entries are shared: do not change them."""
        if query is None:
            return [audit.audit_entry(e) for e in self._app.stored_events(project_id)]
        try:
            page, known = self._pages.get((project_id, query)), True
        except KeyError:  # not read yet: the project may not exist
            page, known = TrailPage((), query.after), False
        if len(page.entries) == query.limit:
            return list(page.entries)
        # Read a page at a time: a filter may skip events, none skips none.
        entries = list(page.entries)
        filtered = query.task is not None or query.actor is not None
        missing = query.limit - len(entries)
        page_size = max(query.limit, AUDIT_PAGE) if filtered else missing
        after = page.read_up_to
        while True:
            stored = self._app.stored_events(project_id, after, page_size, known)
            wanted = replace(query, limit=query.limit - len(entries))
            entries += audit.select(audit.unpositioned(stored), wanted)
            after, known = stored[-1].originator_version if stored else after, True
            if len(entries) == query.limit or len(stored) < page_size:
                self._pages.put((project_id, query), TrailPage(tuple(entries), after))
                return entries

    def all_events(self, query: AuditQuery) -> tuple[list[AuditEntry], int]:
        """Audit entries across projects after log position `query.after`, and
        the position to continue from (each call scans at most AUDIT_SCAN)."""
        return audit.store_wide(self._app, query, AUDIT_SCAN)

    def take_snapshot(self, project_id: UUID) -> None:
        """Snapshot the project now (they are also taken every 100 events)."""
        self._app.take_snapshot(project_id)

    @property
    def notification_log(self) -> LocalNotificationLog:
        """Every event of every project in recording order (the library's
        log): for read models that span projects."""
        return self._app.notification_log

    def log_end(self) -> int:
        """The position of the last event in the store-wide log (0: none)."""
        return self._app.recorder.max_notification_id() or 0

    def ping(self) -> None:
        """Raise if the database is unreachable (for health checks)."""
        self._app.ping()

    def close(self) -> None:
        """Release database connections."""
        self._app.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- internals -------------------------------------------------------------

    def _load(
        self, project_id: UUID, version: int | None, as_of: datetime | None
    ) -> ProjectAggregate:
        if as_of is not None:
            if version is not None:
                raise ValidationError.at("as_of", "give a version or a time, not both")
            version = self._app.version_at(project_id, as_of)
        return self._app.load(project_id, version)

    def _update(
        self,
        project_id: UUID,
        expected_version: int | None,
        command: Command,
        idempotency: IdempotencyKey | None = None,
    ) -> tuple[ProjectAggregate, object]:
        """Load, refuse a stale expected version, run the command, save.

        A blind write (no expected version) that loses a race to another
        writer is run again on the new state (load, apply, append), up to
        BLIND_ATTEMPTS times with a short random pause: it was never based on
        what the other writer changed. A write with an expected version is not.
        """
        for attempt in range(BLIND_ATTEMPTS):
            project = self._app.load(project_id)
            # After the load: a request with this key saved before it is seen
            # here, one saved after it makes this save fail, seen in `_save`.
            done = self._replayed(idempotency)
            if done is not None:
                return done
            loaded_version = project.version
            if expected_version is not None and expected_version != loaded_version:
                raise ConcurrencyConflict(expected_version, loaded_version)
            result = command(project)
            try:
                return self._save(project, loaded_version, result, idempotency)
            except ConcurrencyConflict:
                if expected_version is not None or attempt + 1 == BLIND_ATTEMPTS:
                    raise
                time.sleep(random.uniform(0, min(0.05, 0.002 * (attempt + 1))))
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def _save(
        self,
        project: ProjectAggregate,
        loaded_version: int,
        result: object,
        idempotency: IdempotencyKey | None,
    ) -> tuple[ProjectAggregate, object]:
        """Save the events and the request's receipt together. If the save
        lost a race to a request with the same key, answer as that one did."""
        self._check_size(project.document["tasks"])
        receipt = None
        if idempotency is not None:
            text = None if result is None else str(result)
            receipt = Receipt.issue(idempotency, project.id, project.version, text)
        try:
            self._app.save_project(project, loaded_version, receipt)
        except ConcurrencyConflict:
            done = self._replayed(idempotency)
            if done is None:
                raise
            return done
        self._remember(project)
        return project, result

    def _remember(self, project: ProjectAggregate) -> None:
        """Keep a copy of a just loaded or saved project's state as its head
        (unless a newer one is kept): what callers get is theirs to change.
        When the head it replaces was parsed, the new one is parsed like it
        at once (only what changed in between is parsed)."""
        try:
            kept: ProjectState | None = self._heads.get(project.id)
        except KeyError:
            kept = None
        if kept is not None and kept.version > project.version:
            return
        state = project_state(project)
        copied = replace(state, document=json_copy(state.document))
        if kept is not None and "project" in kept.__dict__:  # parsed already
            like = (kept.document, kept.project)
            copied.__dict__["project"] = parse_project(copied.document, like)
        self._heads.put(project.id, copied)

    def _parsed_head(self, project: ProjectAggregate) -> Parsed | None:
        """The document and parsed project of the kept head, if it is at the
        aggregate's version (then equal to its document): edits are judged
        like it, parsing only what they change."""
        try:
            head = self._heads.get(project.id)
        except KeyError:
            return None
        if head.version != project.version:
            return None
        return head.document, head.project

    def _check_size(self, tasks: object) -> None:
        count = len(tasks) if isinstance(tasks, list) else 0
        if self.max_tasks is not None and count > self.max_tasks:
            raise ValidationError.at(
                "tasks", f"at most {self.max_tasks} tasks per project, got {count}"
            )

    def answered(self, idempotency: IdempotencyKey) -> tuple[bool, str | None]:
        """Whether a request with this key was made, and what it answered
        (e.g. the new plan's id); nothing is written. A resumed batch asks
        this before it repeats work."""
        receipt = self._app.receipt(idempotency)
        return (False, None) if receipt is None else (True, receipt.result)

    def _replayed(
        self, idempotency: IdempotencyKey | None
    ) -> tuple[ProjectAggregate, object] | None:
        """The outcome of an earlier request with this key, if there was one."""
        if idempotency is None:
            return None
        receipt = self._app.receipt(idempotency)
        if receipt is None:
            return None
        project = self._app.load(receipt.project_id, receipt.project_version)
        return project, receipt.result
