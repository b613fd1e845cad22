"""SQLite files: how commits reach the disk (eventstore.persistence)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventstore import ProjectStore


@pytest.mark.parametrize(
    ("query", "mode"), [("", 1), ("?synchronous=full", 2), ("?synchronous=NORMAL", 1)]
)
def test_a_sqlite_file_commits_synchronous_normal_unless_asked_for_full(
    tmp_path: Path, query: str, mode: int
) -> None:
    """Every pooled connection, also those opened while the tables were made
    (SQLite: 1 = NORMAL, 2 = FULL)."""
    with ProjectStore(f"sqlite:///{tmp_path}/planforge.db{query}") as store:
        store.create_project({"name": "x", "tasks": [{"id": "a", "duration": 1}]}, "me")
        pool = store._app.recorder.datastore.pool  # type: ignore[attr-defined]
        modes = {
            connection._sqlite_conn.execute("PRAGMA synchronous").fetchone()[0]
            for connection in pool._pool
        }

    assert modes == {mode}
