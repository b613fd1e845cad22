"""Small mutable records kept beside the events: jobs, webhook subscriptions,
delivery attempts. One row per (kind, id) with a JSON body, in the event
store's own database (table `planforge_documents`).

They are operational state, not history: the audit trail stays in the
events. Each `put` is one statement (insert or replace), so a killed process
leaves either the old row or the new one. `swap` is a compare-and-set, so
several server processes can hand a record (a job's lease) to exactly one.
"""

from __future__ import annotations

import json
import threading
from typing import Any, Protocol

from eventsourcing.persistence import Recorder

TABLE = "planforge_documents"
DDL = (
    "CREATE TABLE IF NOT EXISTS {table} (kind TEXT NOT NULL, id TEXT NOT NULL, "
    "body TEXT NOT NULL, PRIMARY KEY (kind, id))"
)
UPSERT = (
    "INSERT INTO {table} (kind, id, body) VALUES ({p}, {p}, {p}) "
    "ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body"
)
INSERT_NEW = (
    "INSERT INTO {table} (kind, id, body) VALUES ({p}, {p}, {p}) "
    "ON CONFLICT (kind, id) DO NOTHING"
)
REPLACE_IF = (
    "UPDATE {table} SET body = {p} WHERE kind = {p} AND id = {p} AND body = {p}"
)


class Documents(Protocol):
    """JSON records by kind and id."""

    def create_table(self) -> None: ...

    def put(self, kind: str, key: str, body: dict[str, Any]) -> None: ...

    def get(self, kind: str, key: str) -> dict[str, Any] | None: ...

    def all(self, kind: str) -> list[dict[str, Any]]: ...

    def delete(self, kind: str, key: str) -> bool: ...

    def swap(
        self, kind: str, key: str, expected: dict[str, Any] | None, body: dict[str, Any]
    ) -> bool:
        """Write `body` only if the record is still `expected` (as `get` read
        it; None: there is none); False when another writer came first."""
        ...


def documents_for(recorder: Recorder) -> Documents:
    """The documents table next to the recorder's events (in memory for the
    in-memory store)."""
    datastore = getattr(recorder, "datastore", None)
    if datastore is None:
        return MemoryDocuments()
    schema = getattr(datastore, "schema", None)
    if schema is None:
        return SQLDocuments(datastore, TABLE, "?")
    return SQLDocuments(datastore, f'"{schema}".{TABLE}', "%s")


class SQLDocuments:
    """Documents in SQLite or PostgreSQL, through the library's datastore."""

    def __init__(self, datastore: Any, table: str, placeholder: str) -> None:
        self._datastore = datastore
        self._table = table
        self._p = placeholder

    def create_table(self) -> None:
        self._execute(DDL.format(table=self._table))

    def put(self, kind: str, key: str, body: dict[str, Any]) -> None:
        statement = UPSERT.format(table=self._table, p=self._p)
        self._execute(statement, kind, key, json.dumps(body))

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        rows = self._select(f"kind = {self._p} AND id = {self._p}", kind, key)
        return rows[0] if rows else None

    def all(self, kind: str) -> list[dict[str, Any]]:
        return self._select(f"kind = {self._p}", kind)

    def delete(self, kind: str, key: str) -> bool:
        """Remove the record; False when there was none."""
        if self.get(kind, key) is None:
            return False
        statement = (
            f"DELETE FROM {self._table} WHERE kind = {self._p} AND id = {self._p}"
        )
        self._execute(statement, kind, key)
        return True

    def swap(
        self, kind: str, key: str, expected: dict[str, Any] | None, body: dict[str, Any]
    ) -> bool:
        text = json.dumps(body)
        with self._datastore.transaction(commit=True) as cursor:
            if expected is None:
                statement = INSERT_NEW.format(table=self._table, p=self._p)
                cursor.execute(statement, (kind, key, text))
            else:
                statement = REPLACE_IF.format(table=self._table, p=self._p)
                cursor.execute(statement, (text, kind, key, json.dumps(expected)))
            # the library wraps SQLite's cursor; psycopg's is its own
            changed: int = getattr(cursor, "sqlite_cursor", cursor).rowcount
        return changed == 1

    def _select(self, where: str, *params: Any) -> list[dict[str, Any]]:
        statement = f"SELECT body FROM {self._table} WHERE {where} ORDER BY id"
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, params)
            return [json.loads(row["body"]) for row in cursor.fetchall()]

    def _execute(self, statement: str, *params: Any) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(statement, params)


class MemoryDocuments:
    """Documents of an in-memory store (lost with it, like its events)."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def create_table(self) -> None:
        return None

    def put(self, kind: str, key: str, body: dict[str, Any]) -> None:
        self._rows[kind, key] = json.dumps(body)

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        row = self._rows.get((kind, key))
        return None if row is None else dict(json.loads(row))

    def all(self, kind: str) -> list[dict[str, Any]]:
        return [
            json.loads(body)
            for (row_kind, _), body in sorted(self._rows.items())
            if row_kind == kind
        ]

    def delete(self, kind: str, key: str) -> bool:
        return self._rows.pop((kind, key), None) is not None

    def swap(
        self, kind: str, key: str, expected: dict[str, Any] | None, body: dict[str, Any]
    ) -> bool:
        with self._lock:
            current = self._rows.get((kind, key))
            if current != (None if expected is None else json.dumps(expected)):
                return False
            self._rows[kind, key] = json.dumps(body)
            return True
