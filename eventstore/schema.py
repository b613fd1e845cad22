"""Creating the store's tables: once, as a migration step, before workers start.

Tables: the events (`projectstore_events`, with the notification log), the
snapshots (`projectstore_snapshots`), the read models' checkpoints
(`planforge_readmodels`) and operational records such as jobs and webhook
subscriptions (`planforge_documents`). Every statement is CREATE ... IF NOT EXISTS: a
migration never drops, rewrites or moves events, so running it on every
deploy is safe. On PostgreSQL, concurrent migrations queue on an advisory
lock (two processes creating the tables at once can fail otherwise).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.application import Application

from eventstore.checkpoints import Checkpoints, checkpoints_for
from eventstore.documents import Documents, documents_for

MIGRATION_LOCK = 0x706C616E  # "plan": the advisory lock id for migrations


def checkpoints_of(application: Application[Any]) -> Checkpoints:
    """The read-model checkpoints stored next to the application's events."""
    return checkpoints_for(application.recorder)


def documents_of(application: Application[Any]) -> Documents:
    """The jobs, subscriptions and delivery records next to the events."""
    return documents_for(application.recorder)


def migrate(application: Application[Any]) -> None:
    """Create every missing table of the application's store."""
    with _migration_lock(application):
        recorders: list[Any] = [application.recorder]
        if application.snapshots is not None:
            recorders.append(application.snapshots.recorder)
        for recorder in recorders:
            if hasattr(recorder, "create_table"):  # the in-memory one has none
                recorder.create_table()
        checkpoints_of(application).create_table()
        documents_of(application).create_table()


@contextmanager
def _migration_lock(application: Application[Any]) -> Iterator[None]:
    datastore = getattr(application.recorder, "datastore", None)
    if datastore is None or getattr(datastore, "schema", None) is None:
        yield  # in memory, or SQLite: its own write lock serialises DDL
        return
    with datastore.get_connection() as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
