"""The eventsourcing application behind `ProjectStore`: load and save projects.

It turns the library's errors into domain errors (unknown project or version:
NotFound; a concurrent writer got there first: ConcurrencyConflict) so nothing
above it needs to know the library. Projects are snapshotted every
`SNAPSHOT_INTERVAL` events, so loading costs about the same at any history
length; past versions load from the nearest snapshot at or before them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    Notification,
    OperationalError,
)
from eventsourcing.utils import get_topic

from domain import ConcurrencyConflict, NotFound
from eventstore.access import AccessRegistry
from eventstore.aggregate import ProjectAggregate
from eventstore.idempotency import IdempotencyKey, Receipt

SNAPSHOT_INTERVAL = 100
# What the library raises when the database cannot be reached or answer in
# time (connection refused or lost, no connection free, locked): the service
# answers these with 503 and Retry-After.
STORE_UNAVAILABLE: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


class ProjectApplication(Application[UUID]):
    """Stores ProjectAggregate events in the configured database."""

    # Pinned: the name prefixes table names (projectstore_events), so renaming
    # the class must not move the data.
    name = "ProjectStore"
    # Notifications fetched per query when scanning the log: large pages, as
    # read models rebuild from millions (a page is a few MB of event state).
    log_section_size = 5_000
    snapshotting_intervals = {
        ProjectAggregate: SNAPSHOT_INTERVAL,
        AccessRegistry: SNAPSHOT_INTERVAL,
    }

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

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        """After a save, snapshot each project (or the access registry) whose
        version crossed a multiple
        of the interval, once, from the aggregate in hand (it is exactly the
        state just recorded), instead of the library's reload per multiple."""
        if self.snapshots is None:
            return
        for aggregate in processing_event.aggregates.values():
            if not isinstance(aggregate, ProjectAggregate | AccessRegistry):
                continue
            saved = [
                e.originator_version
                for e in processing_event.events
                if e.originator_id == aggregate.id
            ]
            if (
                saved
                and saved[-1] // SNAPSHOT_INTERVAL > (saved[0] - 1) // SNAPSHOT_INTERVAL
            ):
                self.snapshots.put([type(aggregate).Snapshot.take(aggregate)])

    def version_at(self, project_id: UUID, moment: datetime) -> int:
        """The project's version as it stood at `moment` (its last event at or
        before it): a binary search reading one event per step."""
        high = self.load(project_id).version
        if self._event_at(project_id, 1).timestamp > moment:
            raise NotFound(f"project {project_id} did not exist at {moment}")
        low = 1
        while low < high:
            middle = (low + high + 1) // 2
            if self._event_at(project_id, middle).timestamp <= moment:
                low = middle
            else:
                high = middle - 1
        return low

    def save_project(
        self,
        project: ProjectAggregate,
        loaded_version: int,
        receipt: Receipt | None = None,
    ) -> None:
        """Append the project's new events (and the request's receipt) in one
        transaction; ConcurrencyConflict if another writer appended first (the
        store refuses a duplicate version)."""
        try:
            self.save(project, receipt)
        except IntegrityError as error:
            current = self.load(project.id).version
            raise ConcurrencyConflict(loaded_version, current) from error

    def receipt(self, key: IdempotencyKey) -> Receipt | None:
        """The receipt of an earlier request with this key, if any; a
        ValidationError if it was sent with a different request."""
        try:
            receipt: object = self.repository.get(key.receipt_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(receipt, Receipt):
            return None
        receipt.check(key)
        return receipt

    def stored_events(
        self,
        project_id: UUID,
        after: int = 0,
        limit: int | None = None,
        exists: bool = False,
    ) -> list[Aggregate.Event]:
        """A project's events after version `after`, oldest first; NotFound if
        the project has none at all (not looked for when the caller knows it
        `exists`)."""
        stored = [
            e
            for e in self.events.get(project_id, gt=after or None, limit=limit)
            if isinstance(e, Aggregate.Event)
        ]
        if not stored and not exists and (after == 0 or not self._exists(project_id)):
            raise NotFound(f"no project {project_id}")
        return stored

    def notifications(
        self, topics: Sequence[str], after: int | None = None
    ) -> Iterator[Notification]:
        """The log's notifications of these topics after id `after`, oldest
        first. Pages by the last id seen: ids may have gaps."""
        start = after
        while True:
            page = self.recorder.select_notifications(
                start, self.log_section_size, topics=topics, inclusive_of_start=False
            )
            yield from page
            if len(page) < self.log_section_size:
                return
            start = page[-1].id

    def created_project_ids(self) -> list[UUID]:
        """Ids of every project, in creation order, from the notification log."""
        topics = [get_topic(ProjectAggregate.ProjectCreated)]
        return [_as_uuid(n.originator_id) for n in self.notifications(topics)]

    def head_version(self, project_id: UUID) -> int | None:
        """The version of the stream's last event (one indexed read, nothing
        decoded), or None if there is no such stream."""
        last = self.recorder.select_events(project_id, desc=True, limit=1)
        return last[0].originator_version if last else None

    def ping(self) -> None:
        """Raise if the database cannot be queried."""
        self.recorder.max_notification_id()

    def _event_at(self, project_id: UUID, version: int) -> Aggregate.Event:
        (stored,) = self.events.get(project_id, gt=version - 1, lte=version)
        assert isinstance(stored, Aggregate.Event)
        return stored

    def _exists(self, project_id: UUID) -> bool:
        return bool(list(self.events.get(project_id, limit=1)))


def _as_uuid(originator_id: Any) -> UUID:
    return originator_id if isinstance(originator_id, UUID) else UUID(originator_id)
