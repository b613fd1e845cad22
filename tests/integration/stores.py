"""Shared test data and helpers for the event-store integration tests (also
run as subprocess/forked workers, so kept importable and small)."""

from __future__ import annotations

import sys
from typing import Any
from uuid import UUID

from domain import ConcurrencyConflict, Plan, ScheduledTask, SolveStatus
from domain.changes import Change, change_from_dict
from eventstore import ProjectStore

DOCUMENT: dict[str, Any] = {
    "name": "Launch",
    "start": "2027-01-04",
    "resources": [{"id": "crane", "capacity": 1}],
    "tasks": [
        {"id": "a", "duration": 10},
        {"id": "b", "duration": 5, "demands": {"crane": 1}},
    ],
    "dependencies": [{"from": "a", "to": "b"}],
}
PLAN = Plan(
    SolveStatus.OPTIMAL, 15, 15, (ScheduledTask("a", 0, 10), ScheduledTask("b", 10, 15))
)
BATCH = 5


def change(action: str, **fields: Any) -> Change:
    return change_from_dict({"action": action, **fields})


def racing_writer(url: str, project_id: str, n: int, barrier: Any, out: Any) -> None:
    """A writer process: load, wait until every writer has loaded, then write
    with expected version 1. Reports "won" or the conflict's versions."""
    with ProjectStore(url, create_tables=False) as store:
        store.get_project(UUID(project_id))
        barrier.wait()
        try:
            store.change_project(
                UUID(project_id),
                change("update_task", id="a", duration=20 + n),
                f"writer{n}",
                expected_version=1,
            )
            out.put((n, "won", None))
        except ConcurrencyConflict as conflict:
            out.put((n, conflict.expected_version, conflict.current_version))


def crash_writer(url: str, project_id: str) -> None:
    """Write batches of BATCH task updates forever; after each batch is saved,
    print the new version (the acknowledgement) and flush."""
    with ProjectStore(url, create_tables=False) as store:
        version = store.get_project(UUID(project_id)).version
        while True:
            changes = [
                change("update_task", id="a", duration=version + k + 1)
                for k in range(BATCH)
            ]
            version = store.apply_changes(UUID(project_id), changes, "writer").version
            print(version, flush=True)


if __name__ == "__main__":
    crash_writer(sys.argv[1], sys.argv[2])
