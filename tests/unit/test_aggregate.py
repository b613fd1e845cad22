"""ProjectAggregate on its own: validate first, then record; replay agrees."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from domain import NotFound, Plan, ScheduledTask, SolveStatus, ValidationError
from domain.changes import Change, ChangeAction, EntityKind
from eventstore import ProjectAggregate

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
    status=SolveStatus.OPTIMAL,
    makespan=15,
    lower_bound=15,
    tasks=(ScheduledTask("a", 0, 10), ScheduledTask("b", 10, 15, ("crane",))),
)


def replay(events: Sequence[Any]) -> ProjectAggregate:
    """Rebuild an aggregate from its events, as the repository does."""
    aggregate = None
    for stored in events:
        aggregate = stored.mutate(aggregate)
    assert isinstance(aggregate, ProjectAggregate)
    return aggregate


def test_create_records_one_event_with_the_normalised_document() -> None:
    project = ProjectAggregate.create(DOCUMENT, "alice")

    (created,) = project.collect_events()

    assert project.version == 1
    assert isinstance(created, ProjectAggregate.ProjectCreated)
    assert type(created).__name__ == "ProjectCreated"
    assert created.actor == "alice"
    assert created.document == project.document
    assert project.document["dependencies"][0]["type"] == "FS"
    assert project.project.task("b").demands == {"crane": 1}


def test_create_rejects_an_invalid_document() -> None:
    with pytest.raises(ValidationError, match="cycle"):
        ProjectAggregate.create(
            {
                **DOCUMENT,
                "dependencies": [{"from": "a", "to": "b"}, {"from": "b", "to": "a"}],
            },
            "alice",
        )


def test_create_requires_an_actor() -> None:
    with pytest.raises(ValidationError, match="actor"):
        ProjectAggregate.create(DOCUMENT, " ")


def test_an_invalid_change_records_nothing() -> None:
    project = ProjectAggregate.create(DOCUMENT, "alice")
    project.collect_events()
    cycle = Change(
        ChangeAction.ADD, EntityKind.DEPENDENCY, "b->a", {"from": "b", "to": "a"}
    )

    with pytest.raises(ValidationError, match="cycle"):
        project.change(cycle, "bob")
    with pytest.raises(NotFound):
        project.change(Change(ChangeAction.REMOVE, EntityKind.TASK, "zzz"), "bob")

    assert project.version == 1
    assert project.collect_events() == []


def test_change_fields_must_be_plain_json() -> None:
    project = ProjectAggregate.create(DOCUMENT, "alice")
    change = Change(ChangeAction.UPDATE, EntityKind.TASK, "a", {"duration": object()})

    with pytest.raises(ValidationError, match="plain JSON"):
        project.change(change, "bob")


def test_replay_of_the_events_equals_the_live_aggregate() -> None:
    project = ProjectAggregate.create(DOCUMENT, "alice")
    project.change(
        Change(ChangeAction.ADD, EntityKind.TASK, "c", {"id": "c", "duration": 2}),
        "bob",
    )
    project.change(
        Change(ChangeAction.UPDATE, EntityKind.TASK, "c", {"duration": 3}), "bob"
    )
    project.change(Change(ChangeAction.REMOVE, EntityKind.RESOURCE, "crane"), "bob")
    plan_id = project.propose_plan(PLAN, "carol")
    project.commit_plan(plan_id, "carol")
    project.record_forecast(plan_id, 7, 1000, {"p80": 16.5}, "carol")

    events = project.collect_events()

    assert [type(e).__name__ for e in events] == [
        "ProjectCreated",
        "TaskAdded",
        "TaskUpdated",
        "ResourceRemoved",
        "PlanProposed",
        "PlanCommitted",
        "ForecastRecorded",
    ]
    assert replay(events) == project
    assert "demands" not in project.document["tasks"][1]  # cascaded removal


def test_a_batch_takes_the_state_its_events_replay_to() -> None:
    """A batch's state is its validated draft, not its event bodies re-run:
    both must agree, for every kind of edit and its cascades."""
    project = ProjectAggregate.create(
        {**DOCUMENT, "risks": [{"id": "r", "probability": 0.5, "tasks": ["b"]}]},
        "alice",
    )
    estimate = {"optimistic": 1, "most_likely": 2, "pessimistic": 6}
    changes = [
        Change(ChangeAction.ADD, EntityKind.TASK, "c", {"id": "c", "duration": 2.0}),
        Change(ChangeAction.UPDATE, EntityKind.TASK, "c", {"estimate": estimate}),
        Change(
            ChangeAction.ADD, EntityKind.DEPENDENCY, "b->c", {"from": "b", "to": "c"}
        ),
        Change(ChangeAction.UPDATE, EntityKind.DEPENDENCY, "a->b", {"lag": -2}),
        Change(
            ChangeAction.ADD,
            EntityKind.RESOURCE,
            "ann",
            {"id": "ann", "skills": {"x": 2}},
        ),
        Change(ChangeAction.UPDATE, EntityKind.RISK, "r", {"tasks": ["b", "c"]}),
        Change(ChangeAction.REMOVE, EntityKind.RESOURCE, "crane"),
        Change(ChangeAction.REMOVE, EntityKind.TASK, "b"),
    ]

    project.change_all(changes, "bob", reason="replan")
    events = project.collect_events()

    assert [e.originator_version for e in events] == list(range(1, 10))
    assert project.modified_on == events[-1].timestamp
    assert replay(events) == project
    assert project.document["dependencies"] == []  # both touched the removed b
    assert project.document["risks"][0]["tasks"] == ["c"]
    assert project.document["tasks"][1]["estimate"]["distribution"] == "pert"


def test_a_batch_names_the_change_that_is_not_plain_json() -> None:
    project = ProjectAggregate.create(DOCUMENT, "alice")
    changes = [
        Change(ChangeAction.UPDATE, EntityKind.TASK, "a", {"duration": 3}),
        Change(ChangeAction.UPDATE, EntityKind.TASK, "b", {"duration": {1, 2}}),
    ]

    with pytest.raises(ValidationError, match=r"changes\[1\].*plain JSON"):
        project.change_all(changes, "bob")
    assert project.version == 1


def test_propose_plan_checks_the_plan_and_its_version() -> None:
    project = ProjectAggregate.create(DOCUMENT, "alice")
    twice = Plan(SolveStatus.FEASIBLE, 10, 5, (ScheduledTask("a", 0, 10),) * 2)
    backwards = Plan(SolveStatus.FEASIBLE, 10, 5, (ScheduledTask("a", 9, 1),))

    with pytest.raises(ValidationError, match="more than once"):
        project.propose_plan(twice, "carol")
    with pytest.raises(ValidationError, match="before it starts"):
        project.propose_plan(backwards, "carol")
    with pytest.raises(ValidationError, match="project_version"):
        project.propose_plan(PLAN, "carol", project_version=2)
    assert project.version == 1


def test_only_a_plan_with_a_schedule_can_be_committed() -> None:
    project = ProjectAggregate.create(DOCUMENT, "alice")
    plan_id = project.propose_plan(Plan(SolveStatus.INFEASIBLE, None, None), "carol")

    with pytest.raises(ValidationError, match="no schedule"):
        project.commit_plan(plan_id, "carol")
    assert project.committed_plan_id is None


def test_record_forecast_checks_its_inputs() -> None:
    project = ProjectAggregate.create(DOCUMENT, "alice")
    plan_id = project.propose_plan(PLAN, "carol")

    with pytest.raises(ValidationError, match="samples"):
        project.record_forecast(plan_id, 1, 0, {}, "carol")
    with pytest.raises(ValidationError, match="seed"):
        project.record_forecast(plan_id, True, 10, {}, "carol")
    with pytest.raises(ValidationError, match="plain JSON"):
        project.record_forecast(plan_id, 1, 10, {"mean": float("nan")}, "carol")
    assert project.version == 2
