"""The read models' log decoder agrees with the library's own decoding."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import Notification

from domain import Plan, ScheduledTask, SolveStatus
from eventstore import ProjectAggregate
from eventstore.application import ProjectApplication
from eventstore.audit import BOOKKEEPING
from eventstore.logged import LogDecoder, _canonical_id
from eventstore.logrows import LogRow, log_rows
from eventstore.readmodels import ProjectPlans
from eventstore.records import audit_data

DOCUMENT: dict[str, Any] = {
    "name": "Launch",
    "start": "2027-01-04",
    "tasks": [{"id": "a", "duration": 10}],
}
PLAN = Plan(SolveStatus.OPTIMAL, 10, 10, (ScheduledTask("a", 0, 10, ("x",)),))
MODULE = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
ZLIB = {**MODULE, "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor"}


def as_row(notification: Notification) -> LogRow:
    n = notification
    return (n.id, n.originator_id, n.originator_version, n.topic, n.state)


def recorded(env: dict[str, str]) -> tuple[ProjectApplication, list[Notification]]:
    """An application holding one project with every event a read model reads."""
    application = ProjectApplication(env=env)
    project = ProjectAggregate.create(DOCUMENT, "alice", reason="new")
    plan_id = project.propose_plan(PLAN, "planner")
    project.commit_plan(plan_id, "pmo")
    project.record_forecast(plan_id, 7, 100, {"duration": {"p80": 11.5}}, "nightly")
    application.save(project)
    return application, list(application.recorder.select_notifications(None, 10))


@pytest.mark.parametrize("env", [MODULE, ZLIB], ids=["plain", "compressed"])
def test_each_event_decodes_as_the_library_decodes_it(env: dict[str, str]) -> None:
    application, notifications = recorded(env)
    decoder = LogDecoder(ProjectPlans.reads, application.mapper)

    for notification in notifications:
        event: Any = application.mapper.to_domain_event(notification)
        logged = decoder.decode(as_row(notification))
        fields = {k: v for k, v in vars(event).items() if k not in BOOKKEEPING}

        assert logged.position == notification.id
        assert logged.type is type(event)
        assert logged.project_id == str(event.originator_id)
        assert logged.originator_version == event.originator_version
        assert logged.data["timestamp"] == event.timestamp.isoformat()
        assert logged.data["actor"] == event.actor
        assert logged.data["reason"] == event.reason
        assert {k: logged.data[k] for k in fields} == audit_data(fields)
    assert len(notifications) == 4


def test_an_event_recorded_before_its_class_version_is_upcast() -> None:
    application, notifications = recorded(MODULE)
    committed = notifications[2]
    v1_state = committed.state.replace(b',"class_version":2', b"").replace(
        b'"reason":null,', b""
    )
    assert b"reason" not in v1_state
    decoder = LogDecoder(ProjectPlans.reads, application.mapper)

    logged = decoder.decode(as_row(replace(committed, state=v1_state)))

    assert logged.type is ProjectAggregate.PlanCommitted
    assert logged.data["reason"] is None
    assert "class_version" not in logged.data


@pytest.mark.parametrize("seed", [2**70 + 1, -(2**64) - 3, 2**63 - 1, 10**18 + 7])
def test_numbers_read_exactly_as_json_reads_them(seed: int) -> None:
    application = ProjectApplication(env=MODULE)
    project = ProjectAggregate.create(DOCUMENT, "alice")
    plan_id = project.propose_plan(PLAN, "planner")
    summary = {"duration": {"p80": 0.1 + 0.2, "tiny": 1.2345678901234567e-300}}
    project.record_forecast(plan_id, seed, 100, summary, "n")
    application.save(project)
    decoder = LogDecoder(ProjectPlans.reads, application.mapper)
    rows = list(log_rows(application.recorder, decoder.topics, 0, page_size=2))

    data = decoder.decode(rows[-1]).data

    assert type(data["seed"]) is int
    assert data["seed"] == seed
    assert data["summary"] == summary


def test_ids_read_as_str_of_a_uuid() -> None:
    uuid = uuid4()

    assert _canonical_id(uuid) == str(uuid)
    assert _canonical_id(uuid.hex) == str(uuid)
    assert _canonical_id(uuid.hex.upper()) == str(uuid)
    assert _canonical_id("0" * 32) == str(UUID(int=0))
    with pytest.raises(ValueError, match="base 16"):
        _canonical_id("z" * 32)
