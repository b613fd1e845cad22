"""Write guarantees on every backend: no lost update across processes,
idempotent retries, all-or-nothing batches, migrations."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from eventsourcing.persistence import PersistenceError

from domain import ValidationError
from eventstore import IdempotencyKey, ProjectStore
from tests.integration.conftest import Opener
from tests.integration.stores import DOCUMENT, change, racing_writer

WRITERS = 4


def test_processes_racing_with_one_expected_version_one_wins(
    open_store: Opener, event_store_url: str
) -> None:
    project_id = open_store().create_project(DOCUMENT, "alice").id
    context = multiprocessing.get_context("spawn")
    barrier, out = context.Barrier(WRITERS, timeout=60), context.Queue()
    workers = [
        context.Process(
            target=racing_writer,
            args=(event_store_url, str(project_id), n, barrier, out),
        )
        for n in range(WRITERS)
    ]
    for worker in workers:
        worker.start()
    outcomes = sorted(out.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)

    winners = [n for n, result, _ in outcomes if result == "won"]
    assert len(winners) == 1
    assert {(e, c) for _, e, c in outcomes if e != "won"} == {(1, 2)}
    store = open_store()
    assert [e.actor for e in store.events(project_id)] == [
        "alice",
        f"writer{winners[0]}",
    ]
    assert store.get_project(project_id).project.task("a").duration == 20 + winners[0]


def key(name: str, body: Any) -> IdempotencyKey:
    return IdempotencyKey(name, repr(body))


def test_a_retried_request_answers_the_same_and_appends_nothing(
    open_store: Opener,
) -> None:
    store = open_store()
    created = store.create_project(DOCUMENT, "alice", idempotency=key("k1", DOCUMENT))
    edit = change("update_task", id="a", duration=3)
    first = store.change_project(created.id, edit, "bob", idempotency=key("k2", 3))
    store.change_project(created.id, change("update_task", id="a", duration=4), "bob")
    store.close()

    reopened = open_store()  # the keys survive a restart
    again = reopened.create_project(DOCUMENT, "alice", idempotency=key("k1", DOCUMENT))
    retried = reopened.change_project(created.id, edit, "bob", idempotency=key("k2", 3))

    assert again == created
    assert retried == first
    assert retried.version == 2
    assert reopened.project_ids() == [created.id]
    assert len(reopened.events(created.id)) == 3


def test_a_key_reused_for_a_different_request_is_refused(open_store: Opener) -> None:
    store = open_store()
    project_id = store.create_project(DOCUMENT, "alice").id
    store.change_project(
        project_id, change("remove_task", id="b"), "bob", idempotency=key("k", 1)
    )

    with pytest.raises(ValidationError, match="already used for a different request"):
        store.change_project(
            project_id, change("remove_task", id="a"), "bob", idempotency=key("k", 2)
        )
    assert store.get_project(project_id).version == 2


def test_racing_retries_with_one_key_append_once(open_store: Opener) -> None:
    stores = [open_store() for _ in range(WRITERS)]
    project_id = stores[0].create_project(DOCUMENT, "alice").id
    edit = change("add_task", id="c", duration=1)

    def send(store: ProjectStore) -> int:
        return store.change_project(
            project_id, edit, "bob", idempotency=key("once", "c")
        ).version

    with ThreadPoolExecutor(WRITERS) as pool:
        versions = list(pool.map(send, stores))

    assert versions == [2] * WRITERS
    assert len(stores[0].events(project_id)) == 2


def fail_mid_insert(store: ProjectStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the database fail mid-way through the insert: the first half of
    the rows are written inside the transaction, then a statement fails."""
    recorder: Any = store._app.recorder
    name = (
        "_insert_stored_events"
        if hasattr(recorder, "_insert_stored_events")
        else "_insert_events"
    )
    insert = getattr(recorder, name)

    def half_then_fail(cursor: Any, stored_events: Any, **kwargs: Any) -> Any:
        insert(cursor, stored_events[: len(stored_events) // 2], **kwargs)
        cursor.execute("INSERT INTO injected_failure_no_such_table VALUES (1)")

    monkeypatch.setattr(recorder, name, half_then_fail)


def test_a_batch_of_changes_is_all_or_nothing(
    open_store: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store()
    project_id = store.create_project(DOCUMENT, "alice").id
    tasks = [change("add_task", id=f"t{n}", duration=1) for n in range(200)]
    fail_mid_insert(store, monkeypatch)

    with pytest.raises(PersistenceError, match="injected_failure"):
        store.apply_changes(project_id, tasks, "importer")
    monkeypatch.undo()

    reopened = open_store()
    assert reopened.get_project(project_id).version == 1
    assert len(reopened.events(project_id)) == 1
    state = reopened.apply_changes(project_id, tasks, "importer")
    assert state.version == 201
    assert len(open_store().get_project(project_id).document["tasks"]) == 202


def test_an_invalid_change_in_a_batch_records_none_and_names_it(
    open_store: Opener,
) -> None:
    store = open_store()
    project_id = store.create_project(DOCUMENT, "alice").id
    changes = [change("add_task", id="c", duration=1), change("remove_task", id="zz")]

    with pytest.raises(ValidationError, match=r"changes\[1\]\.id"):
        store.apply_changes(project_id, changes, "bob")
    assert store.get_project(project_id).version == 1


def test_workers_start_without_creating_tables_after_a_migration(
    open_store: Opener,
) -> None:
    too_early = open_store(create_tables=False)
    with pytest.raises(PersistenceError):
        too_early.create_project(DOCUMENT, "alice")

    open_store(create_tables=False).migrate()
    open_store(create_tables=False).migrate()  # again: a no-op

    created = open_store(create_tables=False).create_project(DOCUMENT, "alice")
    assert open_store(create_tables=False).get_project(created.id) == created


def test_migrating_a_store_with_events_loses_none(open_store: Opener) -> None:
    store = open_store()
    project_id = store.create_project(DOCUMENT, "alice").id
    store.change_project(project_id, change("remove_task", id="b"), "bob")
    before = store.events(project_id)

    open_store(create_tables=False).migrate()

    assert open_store(create_tables=False).events(project_id) == before
