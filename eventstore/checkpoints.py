"""Where read models keep their state and position: one row per model, in
the event store's own database (table `planforge_readmodels`).

A save writes state and position in one statement, and only moves forward
(a slower process cannot overwrite a newer checkpoint with an older one).
"""

from __future__ import annotations

from typing import Any, Protocol

from eventsourcing.persistence import Recorder

TABLE = "planforge_readmodels"
SQLITE_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} "
    "(name TEXT PRIMARY KEY, position INTEGER NOT NULL, state TEXT NOT NULL)"
)
POSTGRES_TABLE = (
    "CREATE TABLE IF NOT EXISTS {table} "
    "(name TEXT PRIMARY KEY, position BIGINT NOT NULL, state TEXT NOT NULL)"
)
UPSERT = (
    "INSERT INTO {table} (name, position, state) VALUES ({p}, {p}, {p}) "
    "ON CONFLICT (name) DO UPDATE SET position = excluded.position, "
    "state = excluded.state WHERE excluded.position > {table}.position"
)


class Checkpoints(Protocol):
    """Read-model checkpoints: (position, state JSON) per model name."""

    def create_table(self) -> None: ...

    def position(self, name: str) -> int: ...

    def load(self, name: str) -> tuple[int, Any]: ...

    def save(self, name: str, position: int, state: str) -> None: ...

    def reset(self, name: str) -> None: ...


def checkpoints_for(recorder: Recorder) -> Checkpoints:
    """The checkpoint table next to the recorder's events (in memory for the
    in-memory store)."""
    datastore = getattr(recorder, "datastore", None)
    if datastore is None:
        return MemoryCheckpoints()
    schema = getattr(datastore, "schema", None)
    if schema is None:
        return SQLCheckpoints(datastore, TABLE, "?", SQLITE_TABLE)
    table = f'"{schema}".{TABLE}'
    return SQLCheckpoints(datastore, table, "%s", POSTGRES_TABLE.format(table=table))


class SQLCheckpoints:
    """Checkpoints in SQLite or PostgreSQL, through the library's datastore."""

    def __init__(self, datastore: Any, table: str, placeholder: str, ddl: str):
        self._datastore = datastore
        self._table = table
        self._p = placeholder
        self._ddl = ddl

    def create_table(self) -> None:
        self._execute(self._ddl)

    def position(self, name: str) -> int:
        row = self._fetch(
            f"SELECT position FROM {self._table} WHERE name = {self._p}", name
        )
        return 0 if row is None else int(row["position"])

    def load(self, name: str) -> tuple[int, Any]:
        import json

        row = self._fetch(
            f"SELECT position, state FROM {self._table} WHERE name = {self._p}", name
        )
        if row is None:
            return 0, None
        return int(row["position"]), json.loads(row["state"])

    def save(self, name: str, position: int, state: str) -> None:
        self._execute(
            UPSERT.format(table=self._table, p=self._p), name, position, state
        )

    def reset(self, name: str) -> None:
        self._execute(f"DELETE FROM {self._table} WHERE name = {self._p}", name)

    def _execute(self, statement: str, *params: Any) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(statement, params)

    def _fetch(self, statement: str, *params: Any) -> Any:
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, params)
            return cursor.fetchone()


class MemoryCheckpoints:
    """Checkpoints of an in-memory store (lost with it, like its events)."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[int, str]] = {}

    def create_table(self) -> None:
        return None

    def position(self, name: str) -> int:
        return self._rows.get(name, (0, ""))[0]

    def load(self, name: str) -> tuple[int, Any]:
        import json

        if name not in self._rows:
            return 0, None
        position, state = self._rows[name]
        return position, json.loads(state)

    def save(self, name: str, position: int, state: str) -> None:
        if position > self.position(name):
            self._rows[name] = (position, state)

    def reset(self, name: str) -> None:
        self._rows.pop(name, None)
