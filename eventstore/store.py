"""`ProjectStore`: record and read projects, plans and forecasts.

Each write is load, call the aggregate, save. With `expected_version`, a write
based on a stale read is refused up front; without it, a concurrent writer
that appended first still wins, and the loser gets ConcurrencyConflict with
the now-current version. Changes are never merged.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Self, TypeVar
from uuid import UUID

from eventsourcing.application import LocalNotificationLog

from domain import ConcurrencyConflict, Plan
from domain.changes import Change
from eventstore.aggregate import ProjectAggregate
from eventstore.application import ProjectApplication
from eventstore.persistence import persistence_environment
from eventstore.records import (
    AuditEntry,
    JSONDict,
    PlanRecord,
    ProjectState,
    audit_data,
    plan_from_json,
)

T = TypeVar("T")

# Event attributes that are bookkeeping, not the event's own data.
BOOKKEEPING = {
    "originator_id",
    "originator_version",
    "originator_topic",
    "timestamp",
    "actor",
}


class ProjectStore:
    """Projects as event streams in memory, SQLite or PostgreSQL.

    `database_url`: None (in memory), `sqlite:///path/to/file.db` or
    `postgresql://user:password@host:port/dbname`; tables are created on first
    use. Safe to share between threads; close it when done.
    """

    def __init__(self, database_url: str | None = None) -> None:
        environment = persistence_environment(database_url)
        self._app = ProjectApplication(env=environment)

    # -- projects --------------------------------------------------------------

    def create_project(self, document: Mapping[str, Any], actor: str) -> ProjectState:
        """Validate a project document and record it (one event: version 1)."""
        project = ProjectAggregate.create(document, actor)
        self._app.save(project)
        return _state(project)

    def get_project(self, project_id: UUID, version: int | None = None) -> ProjectState:
        """The project now, or as it was at `version`."""
        return _state(self._app.load(project_id, version))

    def change_project(
        self,
        project_id: UUID,
        change: Change,
        actor: str,
        expected_version: int | None = None,
    ) -> ProjectState:
        """Apply one validated change; raises ValidationError, NotFound or
        ConcurrencyConflict and records nothing when it does not apply."""
        project, _ = self._update(
            project_id, expected_version, lambda p: p.change(change, actor)
        )
        return _state(project)

    def record_absence(
        self,
        project_id: UUID,
        resource_id: str,
        absence: Mapping[str, Any],
        actor: str,
        expected_version: int | None = None,
    ) -> ProjectState:
        """Record a resource's absence (one AbsenceRecorded event)."""
        project, _ = self._update(
            project_id,
            expected_version,
            lambda p: p.record_absence(resource_id, absence, actor),
        )
        return _state(project)

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
    ) -> PlanRecord:
        """Record a plan computed from `project_version` (default: current)."""
        project, plan_id = self._update(
            project_id, None, lambda p: p.propose_plan(plan, actor, project_version)
        )
        return _plan_record(project, plan_id)

    def commit_plan(
        self,
        project_id: UUID,
        plan_id: UUID,
        actor: str,
        expected_version: int | None = None,
    ) -> ProjectState:
        """Make a proposed plan the baseline; NotFound for an unknown plan,
        ValidationError for a plan without a schedule."""
        project, _ = self._update(
            project_id, expected_version, lambda p: p.commit_plan(plan_id, actor)
        )
        return _state(project)

    def get_plan(self, project_id: UUID, plan_id: UUID) -> PlanRecord:
        """A proposed plan of the project; NotFound if there is none."""
        return _plan_record(self._app.load(project_id), plan_id)

    def committed_plan(
        self, project_id: UUID, version: int | None = None
    ) -> PlanRecord | None:
        """The baseline now, or at `version`; None if none was committed."""
        project = self._app.load(project_id, version)
        if project.committed_plan_id is None:
            return None
        return _plan_record(project, project.committed_plan_id)

    def record_forecast(
        self,
        project_id: UUID,
        plan_id: UUID,
        seed: int,
        samples: int,
        summary: JSONDict,
        actor: str,
    ) -> int:
        """Record a forecast of a plan (seed, samples, duration summary);
        returns the project's new version."""
        project, _ = self._update(
            project_id,
            None,
            lambda p: p.record_forecast(plan_id, seed, samples, summary, actor),
        )
        return project.version

    # -- audit and upkeep ------------------------------------------------------

    def events(self, project_id: UUID) -> list[AuditEntry]:
        """The project's audit trail, oldest first."""
        entries = []
        for stored in self._app.stored_events(project_id):
            fields = dict(vars(stored))
            entries.append(
                AuditEntry(
                    version=stored.originator_version,
                    type=type(stored).__name__,
                    timestamp=stored.timestamp,
                    actor=str(fields.get("actor", "")),
                    data=audit_data(
                        {k: v for k, v in fields.items() if k not in BOOKKEEPING}
                    ),
                )
            )
        return entries

    @property
    def notification_log(self) -> LocalNotificationLog:
        """Every event of every project in recording order (the library's
        log): for read models that span projects."""
        return self._app.notification_log

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

    def _update(
        self,
        project_id: UUID,
        expected_version: int | None,
        command: Callable[[ProjectAggregate], T],
    ) -> tuple[ProjectAggregate, T]:
        """Load, refuse a stale expected version, run the command, save."""
        project = self._app.load(project_id)
        loaded_version = project.version
        if expected_version is not None and expected_version != loaded_version:
            raise ConcurrencyConflict(expected_version, loaded_version)
        result = command(project)
        self._app.save_project(project, loaded_version)
        return project, result


def _state(project: ProjectAggregate) -> ProjectState:
    return ProjectState(
        id=project.id,
        version=project.version,
        project=project.project,
        document=copy.deepcopy(project.document),
        committed_plan_id=project.committed_plan_id,
    )


def _plan_record(project: ProjectAggregate, plan_id: UUID) -> PlanRecord:
    record = project.plan_record(plan_id)
    return PlanRecord(
        id=plan_id,
        plan=plan_from_json(record["plan"], plan_id),
        project_version=record["project_version"],
        committed=project.committed_plan_id == plan_id,
        proposed_at=record["proposed_at"],
        actor=record["actor"],
    )
