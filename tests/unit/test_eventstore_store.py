"""ProjectStore against the in-memory backend: versions, edits, plans, audit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain import (
    ConcurrencyConflict,
    NotFound,
    Plan,
    ScheduledTask,
    SolveStatus,
    ValidationError,
)
from domain.changes import Change, change_from_dict
from eventstore import ProjectAggregate, ProjectState, ProjectStore
from eventstore.application import ProjectApplication

DOCUMENT: dict[str, Any] = {
    "name": "Launch",
    "start": "2027-01-04",
    "resources": [
        {"id": "crane", "capacity": 1},
        {"id": "alice", "capacity": 1, "skills": {"backend": 3}},
    ],
    "tasks": [
        {"id": "a", "duration": 10},
        {"id": "b", "duration": 5, "demands": {"crane": 1}},
        {"id": "c", "estimate": {"optimistic": 2, "most_likely": 3, "pessimistic": 6}},
    ],
    "dependencies": [{"from": "a", "to": "b"}],
    "risks": [{"id": "r1", "probability": 0.3, "tasks": ["b"], "impact": 5}],
}

PLAN = Plan(
    status=SolveStatus.OPTIMAL,
    makespan=15,
    lower_bound=15,
    tasks=(
        ScheduledTask("a", 0, 10),
        ScheduledTask("b", 10, 15),
        ScheduledTask("c", 0, 3, ("alice",)),
    ),
    runtime_seconds=0.25,
    message="proven optimal",
)

# kind -> (add document, update fields) for one entity of that kind.
EDITS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "task": ({"id": "d", "duration": 3}, {"duration": 4}),
    "resource": ({"id": "bob", "capacity": 2}, {"capacity": 3}),
    "dependency": ({"id": "a->c", "from": "a", "to": "c"}, {"lag": 2}),
    "risk": ({"id": "r2", "probability": 0.2, "tasks": ["a"]}, {"probability": 0.5}),
}


def change(action: str, **fields: Any) -> Change:
    return change_from_dict({"action": action, **fields})


@pytest.fixture
def store() -> Iterator[ProjectStore]:
    with ProjectStore() as project_store:
        yield project_store


@pytest.fixture
def created(store: ProjectStore) -> ProjectState:
    return store.create_project(DOCUMENT, "alice")


def test_create_gives_version_one_and_the_document(created: ProjectState) -> None:
    assert isinstance(created.id, UUID)
    assert created.version == 1
    assert created.project.name == "Launch"
    assert [task["id"] for task in created.document["tasks"]] == ["a", "b", "c"]
    assert created.committed_plan_id is None


def test_create_rejects_an_invalid_document(store: ProjectStore) -> None:
    with pytest.raises(ValidationError, match="unknown resource"):
        store.create_project(
            {"name": "X", "tasks": [{"id": "a", "duration": 1, "demands": {"no": 1}}]},
            "alice",
        )
    assert store.project_ids() == []


def test_the_returned_document_is_a_copy(
    store: ProjectStore, created: ProjectState
) -> None:
    created.document["tasks"].clear()

    assert len(store.get_project(created.id).document["tasks"]) == 3


@pytest.mark.parametrize("kind", EDITS)
def test_add_update_remove_are_events_with_actor(
    store: ProjectStore, created: ProjectState, kind: str
) -> None:
    added, fields = EDITS[kind]
    entity_id = added["id"]
    collection = "dependencies" if kind == "dependency" else f"{kind}s"

    state = store.change_project(created.id, change(f"add_{kind}", **added), "bob")
    assert state.version == 2
    assert entity_id in _ids(state.document[collection])

    state = store.change_project(
        created.id, change(f"update_{kind}", id=entity_id, **fields), "carol"
    )
    assert state.version == 3
    (updated,) = [i for i in state.document[collection] if _id(i) == entity_id]
    assert fields.items() <= updated.items()

    state = store.change_project(
        created.id, change(f"remove_{kind}", id=entity_id), "dave"
    )
    assert state.version == 4
    assert entity_id not in _ids(state.document[collection])

    trail = store.events(created.id)[1:]
    title = kind.capitalize()
    assert [(e.type, e.actor) for e in trail] == [
        (f"{title}Added", "bob"),
        (f"{title}Updated", "carol"),
        (f"{title}Removed", "dave"),
    ]
    assert trail[0].data == {"entity_id": entity_id, "fields": added}
    assert trail[1].data == {"entity_id": entity_id, "fields": fields}
    assert trail[2].data == {"entity_id": entity_id}


@pytest.mark.parametrize(
    ("edit", "error", "message"),
    [
        (
            {"action": "add_dependency", "from": "b", "to": "a"},
            ValidationError,
            "cycle",
        ),
        (
            {"action": "add_dependency", "from": "a", "to": "zz"},
            ValidationError,
            "unknown task",
        ),
        ({"action": "update_task", "id": "zz", "duration": 1}, NotFound, "zz"),
        ({"action": "remove_risk", "id": "zz"}, NotFound, "zz"),
        (
            {"action": "add_task", "id": "a", "duration": 1},
            ValidationError,
            "already exists",
        ),
        (
            {"action": "update_task", "id": "b", "demands": {"crane": 2}},
            ValidationError,
            "capacity",
        ),
        (
            {"action": "update_resource", "id": "crane", "capacity": 0},
            ValidationError,
            "capacity",
        ),
        (
            {"action": "update_task", "id": "c", "skills": {"backend": 5}},
            ValidationError,
            "qualified",
        ),
    ],
)
def test_an_invalid_change_raises_and_appends_nothing(
    store: ProjectStore,
    created: ProjectState,
    edit: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        store.change_project(created.id, change_from_dict(edit), "bob")

    assert store.get_project(created.id).version == 1
    assert len(store.events(created.id)) == 1


def test_a_stale_expected_version_is_a_conflict(
    store: ProjectStore, created: ProjectState
) -> None:
    edit = change("update_task", id="a", duration=12)
    store.change_project(created.id, edit, "bob", expected_version=1)

    with pytest.raises(ConcurrencyConflict) as conflict:
        store.change_project(created.id, edit, "carol", expected_version=1)

    assert (conflict.value.expected_version, conflict.value.current_version) == (1, 2)
    assert store.get_project(created.id).version == 2


def test_past_versions_return_the_past_document(
    store: ProjectStore, created: ProjectState
) -> None:
    store.change_project(created.id, change("update_task", id="a", duration=12), "bob")
    store.change_project(created.id, change("remove_task", id="c"), "bob")

    assert store.get_project(created.id, version=1).document == created.document
    second = store.get_project(created.id, version=2)
    assert (second.version, second.project.task("a").duration) == (2, 12)
    assert len(second.document["tasks"]) == 3
    assert store.get_project(created.id).version == 3


@pytest.mark.parametrize("version", [0, -1, 4])
def test_a_version_outside_the_history_is_not_found(
    store: ProjectStore, created: ProjectState, version: int
) -> None:
    store.change_project(created.id, change("remove_task", id="c"), "bob")
    store.change_project(created.id, change("remove_risk", id="r1"), "bob")

    with pytest.raises(NotFound, match="version"):
        store.get_project(created.id, version=version)


def test_an_unknown_project_is_not_found(store: ProjectStore) -> None:
    unknown = uuid4()
    with pytest.raises(NotFound):
        store.get_project(unknown)
    with pytest.raises(NotFound):
        store.change_project(unknown, change("remove_task", id="a"), "bob")
    with pytest.raises(NotFound):
        store.events(unknown)


def test_propose_get_and_commit_a_plan(
    store: ProjectStore, created: ProjectState
) -> None:
    record = store.propose_plan(created.id, PLAN, "planner")

    assert record.plan == Plan(**{**PLAN.__dict__, "id": str(record.id)})
    assert (record.project_version, record.committed, record.actor) == (
        1,
        False,
        "planner",
    )
    assert store.get_plan(created.id, record.id) == record
    assert store.committed_plan(created.id) is None

    state = store.commit_plan(created.id, record.id, "pmo", expected_version=2)

    assert (state.version, state.committed_plan_id) == (3, record.id)
    committed = store.committed_plan(created.id)
    assert committed is not None
    assert (committed.id, committed.committed) == (record.id, True)
    assert store.committed_plan(created.id, version=2) is None


def test_a_plan_records_the_version_it_was_computed_from(
    store: ProjectStore, created: ProjectState
) -> None:
    store.change_project(created.id, change("update_task", id="a", duration=12), "bob")

    record = store.propose_plan(created.id, PLAN, "planner", project_version=1)

    assert record.project_version == 1


def test_commit_refuses_unknown_and_unscheduled_plans(
    store: ProjectStore, created: ProjectState
) -> None:
    infeasible = store.propose_plan(
        created.id, Plan(SolveStatus.INFEASIBLE, None, None, message="no"), "planner"
    )

    with pytest.raises(NotFound):
        store.commit_plan(created.id, uuid4(), "pmo")
    with pytest.raises(NotFound):
        store.get_plan(created.id, uuid4())
    with pytest.raises(ValidationError, match="no schedule"):
        store.commit_plan(created.id, infeasible.id, "pmo")
    with pytest.raises(ConcurrencyConflict):
        store.commit_plan(created.id, infeasible.id, "pmo", expected_version=1)
    assert store.get_project(created.id).version == 2


def test_record_forecast_returns_the_new_version(
    store: ProjectStore, created: ProjectState
) -> None:
    plan = store.propose_plan(created.id, PLAN, "planner")
    summary = {"mean": 15.4, "p50": 15.0, "p80": 17.0, "p95": 19.0}

    version = store.record_forecast(created.id, plan.id, 42, 10_000, summary, "nightly")

    assert version == 3
    last = store.events(created.id)[-1]
    assert (last.type, last.actor) == ("ForecastRecorded", "nightly")
    assert last.data == {
        "plan_id": str(plan.id),
        "seed": 42,
        "samples": 10_000,
        "summary": summary,
    }
    with pytest.raises(NotFound):
        store.record_forecast(created.id, uuid4(), 42, 10, summary, "nightly")


def test_the_audit_trail_lists_every_event_in_order(
    store: ProjectStore, created: ProjectState
) -> None:
    store.change_project(created.id, change("update_task", id="a", duration=12), "bob")
    plan = store.propose_plan(created.id, PLAN, "planner")
    store.commit_plan(created.id, plan.id, "pmo")

    trail = store.events(created.id)

    assert [(e.version, e.type, e.actor) for e in trail] == [
        (1, "ProjectCreated", "alice"),
        (2, "TaskUpdated", "bob"),
        (3, "PlanProposed", "planner"),
        (4, "PlanCommitted", "pmo"),
    ]
    timestamps = [e.timestamp for e in trail]
    assert all(isinstance(t, datetime) and t.tzinfo is not None for t in timestamps)
    # The library stamps each event from the clock: never earlier than the last.
    assert timestamps == sorted(timestamps)
    assert trail[0].data == {"document": created.document}
    assert trail[2].data["plan"]["tasks"][2] == {
        "task_id": "c",
        "start": 0,
        "finish": 3,
        "assignees": ["alice"],
    }
    assert trail[3].data == {"plan_id": str(plan.id)}


def test_replay_from_stored_events_equals_live_state(
    store: ProjectStore, created: ProjectState
) -> None:
    live = store.change_project(
        created.id, change("remove_resource", id="crane"), "bob"
    )
    live = store.change_project(
        created.id, change("add_task", id="e", duration=1, skills={"backend": 2}), "bob"
    )
    plan = store.propose_plan(created.id, PLAN, "planner")
    live = store.commit_plan(created.id, plan.id, "pmo")

    replayed = store.get_project(created.id)

    assert replayed == live
    assert replayed.project.task("e").skills == {"backend": 2}


def test_project_ids_lists_every_project(store: ProjectStore) -> None:
    first = store.create_project(DOCUMENT, "alice").id
    store.change_project(first, change("remove_task", id="c"), "bob")
    second = store.create_project({**DOCUMENT, "name": "Second"}, "alice").id

    assert store.project_ids() == [first, second]


def test_project_ids_pages_through_the_log() -> None:
    application = ProjectApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    application.log_section_size = 2
    projects = [
        ProjectAggregate.create({**DOCUMENT, "name": f"P{n}"}, "alice")
        for n in range(5)
    ]
    for project in projects:
        project.change(change("remove_task", id="c"), "bob")
        application.save(project)

    assert application.created_project_ids() == [p.id for p in projects]


def _id(item: dict[str, Any]) -> str:
    return str(item.get("id") or f"{item['from']}->{item['to']}")


def _ids(items: list[dict[str, Any]]) -> list[str]:
    return [_id(item) for item in items]


def test_ping_and_the_notification_log(
    store: ProjectStore, created: ProjectState
) -> None:
    store.ping()

    (first,) = store.notification_log.select(start=1, limit=1)

    assert first.originator_id == created.id
    assert first.topic.endswith("ProjectAggregate.ProjectCreated")
