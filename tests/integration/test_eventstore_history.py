"""Time travel, diffs, audit queries, old event shapes and snapshots, on
every backend."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain import NotFound
from eventstore import AuditQuery, ProjectAggregate, ProjectStore
from tests.integration.conftest import Opener
from tests.integration.stores import DOCUMENT, PLAN, change


def test_as_of_a_moment_gives_the_project_plan_and_forecast_then(
    open_store: Opener,
) -> None:
    store = open_store()
    created = store.create_project(DOCUMENT, "alice")
    plan = store.propose_plan(created.id, PLAN, "planner")
    store.commit_plan(created.id, plan.id, "pmo")
    summary = {"duration": {"p80": 17.5}}
    store.record_forecast(created.id, plan.id, 7, 500, summary, "nightly")
    moment = datetime.now(UTC)
    time.sleep(0.01)
    store.change_project(created.id, change("remove_task", id="b"), "bob")
    store.close()

    reopened = open_store()
    then = reopened.get_project(created.id, as_of=moment)
    baseline = reopened.committed_plan(created.id, as_of=moment)

    assert then.version == 4
    assert [t["id"] for t in then.document["tasks"]] == ["a", "b"]
    assert baseline is not None
    assert baseline.id == plan.id
    assert baseline.latest_forecast is not None
    assert baseline.latest_forecast["summary"] == summary
    assert reopened.committed_plan(created.id, version=3) is not None
    assert reopened.committed_plan(created.id, version=3).latest_forecast is None  # type: ignore[union-attr]
    assert reopened.get_project(created.id, as_of=datetime.now(UTC)).version == 5
    with pytest.raises(NotFound, match="did not exist"):
        reopened.get_project(created.id, as_of=moment - timedelta(days=1))


def test_the_diff_between_versions_field_by_field(open_store: Opener) -> None:
    store = open_store()
    project_id = store.create_project(DOCUMENT, "alice").id
    store.apply_changes(
        project_id,
        [
            change("update_task", id="a", duration=12),
            change("add_task", id="c", duration=1),
            change("remove_resource", id="crane"),
            change("add_risk", id="r", probability=0.5, tasks=["c"], impact=2),
        ],
        "bob",
    )

    diff = store.diff(project_id, 1, 5)

    assert diff["tasks"]["added"] == [{"id": "c", "duration": 1}]
    assert diff["tasks"]["changed"] == [
        {"id": "a", "fields": {"duration": {"from": 10, "to": 12}}},
        {"id": "b", "fields": {"demands": {"from": {"crane": 1}, "to": None}}},
    ]
    assert diff["resources"]["removed"] == [{"id": "crane", "capacity": 1}]
    assert [r["id"] for r in diff["risks"]["added"]] == ["r"]
    assert diff["dependencies"] == {"added": [], "removed": [], "changed": []}
    assert store.diff(project_id, 5, 5)["tasks"]["changed"] == []


def test_the_audit_trail_by_task_actor_and_page(open_store: Opener) -> None:
    store = open_store()
    project_id = store.create_project(DOCUMENT, "alice").id
    store.change_project(
        project_id, change("update_task", id="b", duration=6), "pat", reason="vendor"
    )
    store.change_project(project_id, change("update_task", id="a", duration=9), "pat")
    store.change_project(project_id, change("remove_dependency", id="a->b"), "sam")
    store.change_project(project_id, change("update_task", id="b", duration=7), "pat")

    by_task = store.events(project_id, AuditQuery(task="b"))
    by_both = store.events(project_id, AuditQuery(task="b", actor="pat", limit=1))
    next_page = store.events(
        project_id, AuditQuery(task="b", actor="pat", after=by_both[-1].version)
    )

    assert [e.version for e in by_task] == [2, 4, 5]
    assert [(e.version, e.reason) for e in by_both] == [(2, "vendor")]
    assert [e.version for e in next_page] == [5]
    assert all(e.timestamp and e.actor for e in by_task)


def test_a_filtered_trail_reads_page_after_page_until_it_has_enough(
    open_store: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("eventstore.store.AUDIT_PAGE", 2)
    store = open_store()
    project_id = store.create_project(DOCUMENT, "sam").id
    for duration in range(2, 8):  # versions 2..7: b, a, b, a, b, a
        task = "b" if duration % 2 == 0 else "a"
        store.change_project(
            project_id, change("update_task", id=task, duration=duration), "pat"
        )

    touching_a = store.events(project_id, AuditQuery(task="a", limit=2))
    first_two = store.events(project_id, AuditQuery(after=1, limit=2))
    rest_of_a = store.events(project_id, AuditQuery(task="a", after=3))

    assert [e.version for e in touching_a] == [3, 5]
    assert [e.version for e in first_two] == [2, 3]
    assert [e.version for e in rest_of_a] == [5, 7]


def test_a_full_page_of_the_trail_is_kept_and_a_partial_one_grows(
    open_store: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store()
    project_id = store.create_project(DOCUMENT, "sam").id
    for duration in (2, 3):
        store.change_project(
            project_id, change("update_task", id="a", duration=duration), "pat"
        )
    full = store.events(project_id, AuditQuery(limit=2))
    partial = store.events(project_id, AuditQuery(after=2, limit=2))
    store.change_project(project_id, change("update_task", id="a", duration=4), "pat")

    grown = store.events(project_id, AuditQuery(after=2, limit=2))
    monkeypatch.setattr(store._app, "stored_events", None)  # no database read now
    again = store.events(project_id, AuditQuery(limit=2))

    assert [e.version for e in full] == [1, 2] == [e.version for e in again]
    assert [e.version for e in partial] == [3]
    assert [e.version for e in grown] == [3, 4]


def test_the_store_wide_audit_trail_by_actor_pages_by_log_position(
    open_store: Opener,
) -> None:
    store = open_store()
    first = store.create_project(DOCUMENT, "pat").id
    second = store.create_project(DOCUMENT, "sam").id
    store.change_project(second, change("remove_task", id="b"), "pat", reason="cut")

    page, position = store.all_events(AuditQuery(actor="pat", limit=1))
    rest, end = store.all_events(AuditQuery(actor="pat", after=position))

    assert [(e.project_id, e.version) for e in page + rest] == [(first, 1), (second, 2)]
    assert rest[0].reason == "cut"
    assert store.all_events(AuditQuery(actor="pat", after=end)) == ([], end)


def test_events_stored_before_reason_existed_still_load(open_store: Opener) -> None:
    """Version 1 events had no `reason` and no class_version: written raw here
    as an old release wrote them; they load, upcast, with reason None."""
    store = open_store()
    project_id = uuid4()
    project = ProjectAggregate.create(DOCUMENT, "alice")
    created = project.collect_events()[0]
    old_states = [
        {
            "timestamp": {
                "_type_": "datetime_iso",
                "_data_": created.timestamp.isoformat(),
            },
            "originator_topic": get_topic(ProjectAggregate),
            "document": created.document,
            "actor": "alice",
        },
        {
            "timestamp": {
                "_type_": "datetime_iso",
                "_data_": created.timestamp.isoformat(),
            },
            "entity_id": "a",
            "fields": {"duration": 4},
            "actor": "bob",
        },
    ]
    topics = [ProjectAggregate.ProjectCreated, ProjectAggregate.TaskUpdated]
    store._app.recorder.insert_events(
        [
            StoredEvent(
                project_id, version, get_topic(topic), json.dumps(state).encode()
            )
            for version, (topic, state) in enumerate(
                zip(topics, old_states, strict=True), 1
            )
        ]
    )

    loaded = open_store().get_project(project_id)
    trail = open_store().events(project_id)

    assert loaded.project.task("a").duration == 4
    assert [(e.actor, e.reason) for e in trail] == [("alice", None), ("bob", None)]
    store.change_project(project_id, change("remove_task", id="b"), "c", reason="why")
    assert store.events(project_id)[-1].reason == "why"


def test_snapshots_make_long_histories_load_fast(open_store: Opener) -> None:
    store = open_store()
    project_id = store.create_project(DOCUMENT, "alice").id
    updates = [change("update_task", id="a", duration=n % 50 + 1) for n in range(1000)]
    for start in range(0, len(updates), 250):
        store.apply_changes(project_id, updates[start : start + 250], "bulk")

    snapshots = list(store._app.snapshots.get(project_id))  # type: ignore[union-attr]
    # A cold load (another process; this one keeps recent projects cached).
    events_read = count_events_read(open_store(), project_id)

    # One snapshot per save that crosses a multiple of 100, at the saved head.
    assert [s.originator_version for s in snapshots] == [251, 501, 751, 1001]
    assert events_read == 0  # loaded from the snapshot at 1001 alone
    # Version v holds update number v - 2 (version 1 is the creation).
    assert store.get_project(project_id, 950).project.task("a").duration == 49
    assert store.get_project(project_id).project.task("a").duration == 50


def count_events_read(store: ProjectStore, project_id: object) -> int:
    """Load the project, counting events read from the events table."""
    recorder = store._app.recorder
    read = 0
    select = recorder.select_events

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal read
        events = select(*args, **kwargs)
        read += len(events)
        return events

    recorder.select_events = counting  # type: ignore[method-assign]
    try:
        store.get_project(project_id)  # type: ignore[arg-type]
    finally:
        del recorder.select_events
    return read


def test_a_partial_page_is_continued_from_where_it_was_read(
    open_store: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store()
    project_id = store.create_project(DOCUMENT, "sam").id
    store.change_project(project_id, change("update_task", id="a", duration=2), "pat")
    store.change_project(project_id, change("update_task", id="b", duration=3), "pat")
    touching_a = AuditQuery(task="a", limit=2)
    first = store.events(project_id, touching_a)
    store.change_project(project_id, change("update_task", id="a", duration=4), "pat")
    read = store._app.stored_events
    reads: list[int] = []

    def recorded(project: object, after: int = 0, *args: object) -> object:
        reads.append(after)
        return read(project, after, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(store._app, "stored_events", recorded)
    grown = store.events(project_id, touching_a)
    again = store.events(project_id, touching_a)

    assert [e.version for e in first] == [2]
    assert [e.version for e in grown] == [2, 4] == [e.version for e in again]
    assert reads == [3]  # only what was recorded since; then the full page
