"""Event-store measurements: append throughput, load time, read-model rebuild.

`python -m benchmarks.eventstore [--full]` prints a table for SQLite and, when
PLANFORGE_TEST_POSTGRES_URL is set, PostgreSQL (each in a fresh schema).
The pytest-benchmark suite (test_eventstore.py) runs the small sizes.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import project_aggregate

from domain import Plan, ScheduledTask, SolveStatus
from domain.changes import Change, ChangeAction, EntityKind
from eventstore import ProjectAggregate, ProjectStore
from eventstore.application import ProjectApplication

DOCUMENT: dict[str, Any] = {
    "name": "Bench",
    "start": "2027-01-04",
    "resources": [{"id": f"p{n}", "capacity": 1} for n in range(10)],
    "tasks": [{"id": f"t{n}", "duration": 5} for n in range(50)],
}
PLAN = Plan(
    SolveStatus.OPTIMAL,
    50,
    50,
    tuple(ScheduledTask(f"t{n}", n, n + 5, (f"p{n % 10}",)) for n in range(45)),
)
SUMMARY = {"duration": {"p80": 52.5}}


def edit(n: int) -> Change:
    """The n-th edit of a history: a duration update of one of 50 tasks."""
    return Change(
        ChangeAction.UPDATE, EntityKind.TASK, f"t{n % 50}", {"duration": n % 9 + 1}
    )


@contextmanager
def store_at(backend: str) -> Iterator[ProjectStore]:
    """A fresh store: a SQLite file in a temporary directory, or a fresh
    PostgreSQL schema (dropped afterwards)."""
    if backend == "sqlite":
        with (
            tempfile.TemporaryDirectory() as directory,
            ProjectStore(f"sqlite:///{Path(directory) / 'bench.db'}") as store,
        ):
            yield store
        return
    import psycopg

    base = os.environ["PLANFORGE_TEST_POSTGRES_URL"]
    schema = f"bench_{uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        with ProjectStore(f"{base}?schema={schema}") as store:
            yield store
    finally:
        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def append_single(store: ProjectStore, events: int) -> float:
    """Events/s appending one event per transaction (load, change, save)."""
    project_id = store.create_project(DOCUMENT, "bench").id
    started = time.perf_counter()
    for n in range(events):
        store.change_project(project_id, edit(n), "bench")
    return events / (time.perf_counter() - started)


def append_batched(store: ProjectStore, events: int, batch: int = 1000) -> float:
    """Events/s appending `batch` validated events per transaction."""
    project_id = store.create_project(DOCUMENT, "bench").id
    started = time.perf_counter()
    for first in range(0, events, batch):
        changes = [edit(n) for n in range(first, min(first + batch, events))]
        store.apply_changes(project_id, changes, "bench")
    return events / (time.perf_counter() - started)


def history(store: ProjectStore, events: int) -> UUID:
    """A project with `events` events (snapshots every 100 taken on the way)."""
    project_id = store.create_project(DOCUMENT, "bench").id
    for first in range(1, events, 5000):
        changes = [edit(n) for n in range(first, min(first + 5000, events))]
        store.apply_changes(project_id, changes, "bench")
    return project_id


def load_seconds(store: ProjectStore, project_id: UUID, snapshots: bool) -> float:
    """Median seconds to load the project at its head (5 loads)."""
    if snapshots:
        load: Callable[[], object] = lambda: store.get_project(project_id)  # noqa: E731
    else:
        events = store._app.events
        load = lambda: project_aggregate(None, events.get(project_id))  # noqa: E731
    times = []
    for _ in range(5):
        started = time.perf_counter()
        load()
        times.append(time.perf_counter() - started)
    return sorted(times)[2]


def portfolio_log(store: ProjectStore, events: int) -> None:
    """A log of `events` read-model events: projects of 100 events each
    (created, plan proposed and committed, 97 forecasts), 10 per transaction."""
    app: ProjectApplication = store._app
    for _ in range(events // 1000):
        batch = []
        for _ in range(10):
            project = ProjectAggregate.create(DOCUMENT, "bench")
            plan_id = project.propose_plan(PLAN, "bench")
            project.commit_plan(plan_id, "bench")
            for seed in range(97):
                project.record_forecast(plan_id, seed, 100, SUMMARY, "bench")
            batch.append(project)
        app.save(*batch)


def rebuild_rate(store: ProjectStore, events: int) -> float:
    """Events/s rebuilding the portfolio read model from position zero."""
    started = time.perf_counter()
    rows = store.portfolio.rebuild().rows()
    elapsed = time.perf_counter() - started
    assert len(rows) == events // 100
    return events / elapsed


SMALL = {"single": 200, "batched": 20_000, "loads": (100, 10_000), "rebuild": 20_000}
FULL = {
    "single": 1_000,
    "batched": 100_000,
    "loads": (100, 10_000, 100_000),
    "rebuild": 1_000_000,
}


def measure(backend: str, sizes: dict[str, Any]) -> list[tuple[str, str]]:
    """Every figure for one backend, as (what, value) rows."""
    rows = []
    with store_at(backend) as store:
        rate = append_single(store, sizes["single"])
        rows.append(
            (
                f"append, 1 event/transaction ({sizes['single']})",
                f"{rate:,.0f} events/s",
            )
        )
    with store_at(backend) as store:
        rate = append_batched(store, sizes["batched"])
        rows.append(
            (
                f"append, 1000 events/transaction ({sizes['batched']:,})",
                f"{rate:,.0f} events/s",
            )
        )
    for events in sizes["loads"]:
        with store_at(backend) as store:
            project_id = history(store, events)
            with_snapshots = load_seconds(store, project_id, snapshots=True)
            without = load_seconds(store, project_id, snapshots=False)
        rows.append(
            (f"load, {events:,} events, snapshots", f"{with_snapshots * 1000:.2f} ms")
        )
        rows.append(
            (f"load, {events:,} events, full replay", f"{without * 1000:.1f} ms")
        )
    with store_at(backend) as store:
        portfolio_log(store, sizes["rebuild"])
        rate = rebuild_rate(store, sizes["rebuild"])
        rows.append(
            (
                f"portfolio rebuild ({sizes['rebuild']:,} events)",
                f"{rate:,.0f} events/s",
            )
        )
    return rows


def main() -> None:
    """Print the table; `--full` for the large sizes (several minutes)."""
    sizes = FULL if "--full" in sys.argv else SMALL
    backends = ["sqlite"]
    if os.environ.get("PLANFORGE_TEST_POSTGRES_URL"):
        backends.append("postgresql")
    for backend in backends:
        print(f"\n{backend}")
        for what, value in measure(backend, sizes):
            print(f"  {what:<48} {value:>16}")


if __name__ == "__main__":
    main()
