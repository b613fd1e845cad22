"""Portfolio plans in the event store, on every backend: recorded in one
transaction with their members' plans, committed all or none."""

from __future__ import annotations

import pytest

from domain import Plan, ScheduledTask, SolveStatus
from domain.changes import Change, ChangeAction, EntityKind
from domain.errors import PortfolioConflict
from eventstore import IdempotencyKey
from eventstore.portfolio_plans import NewMember
from tests.integration.conftest import Opener

PLAN = Plan(SolveStatus.FEASIBLE, 3, None, (ScheduledTask("a", 0, 3),))


def document(name: str) -> dict[str, object]:
    return {"name": name, "tasks": [{"id": "a", "duration": 3}]}


def test_members_are_committed_together_or_not_at_all(open_store: Opener) -> None:
    store = open_store()
    first = store.create_project(document("A"), "ann")
    second = store.create_project(document("B"), "ann")
    members = [
        NewMember(first.id, "A", PLAN, first.version),
        NewMember(second.id, "B", PLAN, second.version),
    ]
    portfolio_id = store.portfolio_plans.record(members, {"status": "x"}, "ann")
    record = store.portfolio_plans.get(portfolio_id)
    assert [m.name for m in record.members] == ["A", "B"]
    assert store.get_project(first.id).version == first.version + 1  # PlanProposed
    versions = {m.project_id: store.get_project(m.project_id).version for m in members}
    edit = Change(ChangeAction.UPDATE, EntityKind.TASK, "a", {"duration": 4})
    store.change_project(second.id, edit, "bob")  # after the caller's check

    with pytest.raises(PortfolioConflict) as refused:
        store.portfolio_plans.commit(portfolio_id, versions, "ann")

    assert refused.value.projects == ["B"]
    assert store.committed_plan(first.id) is None
    assert store.portfolio_plans.get(portfolio_id).committed_at is None
    versions[second.id] += 1
    done = store.portfolio_plans.commit(portfolio_id, versions, "ann", "go")
    assert done.committed_by == "ann"
    for member in done.members:
        committed = store.committed_plan(member.project_id)
        assert committed is not None
        assert committed.id == member.plan_id
        last = store.events(member.project_id)[-1]
        assert last.reason == f"portfolio plan {portfolio_id}: go"


def test_a_retried_record_records_once(open_store: Opener) -> None:
    store = open_store()
    project = store.create_project(document("A"), "ann")
    member = NewMember(project.id, "A", PLAN, project.version)
    key = IdempotencyKey("k1", "fingerprint")

    once = store.portfolio_plans.record([member], {}, "ann", None, key)
    twice = store.portfolio_plans.record([member], {}, "ann", None, key)

    assert once == twice
    proposed = [e for e in store.events(project.id) if e.type == "PlanProposed"]
    assert len(proposed) == 1
