"""The eventsourcing application behind `ProjectStore`: load and save projects.

It turns the library's errors into domain errors (unknown project or version:
NotFound; a concurrent writer got there first: ConcurrencyConflict) so nothing
above it needs to know the library.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain import ConcurrencyConflict, NotFound
from eventstore.aggregate import ProjectAggregate


class ProjectApplication(Application[UUID]):
    """Stores ProjectAggregate events in the configured database."""

    # Pinned: the name prefixes table names (projectstore_events), so renaming
    # the class must not move the data.
    name = "ProjectStore"
    # Notifications fetched per query when scanning the log.
    log_section_size = 500

    def load(self, project_id: UUID, version: int | None = None) -> ProjectAggregate:
        """The project at `version` (default: current); NotFound if there is no
        such project or no such version."""
        if version is not None and version < 1:
            raise NotFound(f"project {project_id} has no version {version}")
        try:
            aggregate: object = self.repository.get(project_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(f"no project {project_id}") from None
        if not isinstance(aggregate, ProjectAggregate):
            raise NotFound(f"no project {project_id}")
        if version is not None and aggregate.version != version:
            raise NotFound(
                f"project {project_id} has no version {version} "
                f"(current version is {aggregate.version})"
            )
        return aggregate

    def save_project(self, project: ProjectAggregate, loaded_version: int) -> None:
        """Append the project's new events; ConcurrencyConflict if another
        writer appended first (the store refuses a duplicate version)."""
        try:
            self.save(project)
        except IntegrityError as error:
            current = self.load(project.id).version
            raise ConcurrencyConflict(loaded_version, current) from error

    def stored_events(self, project_id: UUID) -> list[Aggregate.Event]:
        """Every event of a project, oldest first; NotFound if there are none."""
        stored = [
            e for e in self.events.get(project_id) if isinstance(e, Aggregate.Event)
        ]
        if not stored:
            raise NotFound(f"no project {project_id}")
        return stored

    def created_project_ids(self) -> list[UUID]:
        """Ids of every project, in creation order, from the notification log.

        Pages by the last id seen, since notification ids may have gaps.
        """
        topics = [get_topic(ProjectAggregate.ProjectCreated)]
        project_ids: list[UUID] = []
        start: int | None = None
        while True:
            page = self.notification_log.select(
                start, self.log_section_size, topics=topics, inclusive_of_start=False
            )
            if not page:
                return project_ids
            project_ids.extend(_as_uuid(n.originator_id) for n in page)
            start = page[-1].id

    def ping(self) -> None:
        """Raise if the database cannot be queried."""
        self.recorder.max_notification_id()


def _as_uuid(originator_id: Any) -> UUID:
    return originator_id if isinstance(originator_id, UUID) else UUID(originator_id)
