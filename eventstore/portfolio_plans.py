"""Portfolio plans: the plans of several projects made together, recorded
and committed as one.

A portfolio plan is its own aggregate. `PortfolioPlanRecorded` lists each
member (project id and name, the plan recorded in that project, the project
version it was made from) and the portfolio's figures;
`PortfolioPlanCommitted` says who committed it and why. Recording appends a
PlanProposed to every member project and the PortfolioPlanRecorded in one
transaction; committing appends a PlanCommitted to every member and the
PortfolioPlanCommitted in one transaction, or nothing: a member written
since the versions the caller checked makes the whole save fail. The
members' events give `portfolio plan <id>` as their reason (and the caller's
reason after it), so each project's audit trail names the portfolio plan.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError

from domain import NotFound, Plan
from domain.errors import PortfolioConflict
from eventstore.aggregate import ProjectAggregate
from eventstore.application import ProjectApplication
from eventstore.idempotency import IdempotencyKey, Receipt
from eventstore.records import JSONDict, plain_json
from eventstore.rules import check_actor, check_reason

# Recording loses a race to a write on a member project: load and try again.
RECORD_ATTEMPTS = 20


@dataclass(frozen=True)
class Member:
    """One project of a portfolio plan: its plan there and the version of the
    project that plan was made from."""

    project_id: UUID
    name: str
    plan_id: UUID
    project_version: int


@dataclass(frozen=True)
class NewMember:
    """A plan to record in a member project, made from `project_version`."""

    project_id: UUID
    name: str
    plan: Plan
    project_version: int


@dataclass(frozen=True)
class PortfolioPlanRecord:
    """A recorded portfolio plan, and its commit once made."""

    id: UUID
    members: tuple[Member, ...]
    summary: JSONDict
    actor: str
    reason: str | None
    recorded_at: datetime
    committed_by: str | None = None
    committed_at: datetime | None = None
    commit_reason: str | None = None


class PortfolioPlanAggregate(Aggregate):
    """The members of a portfolio plan and whether it was committed."""

    @staticmethod
    def create_id(portfolio_plan_id: UUID, **_: Any) -> UUID:
        """Made before its members' events, which name it."""
        return portfolio_plan_id

    class PortfolioPlanRecorded(Aggregate.Created):
        portfolio_plan_id: UUID
        members: list[JSONDict]
        summary: JSONDict
        actor: str
        reason: str | None

    @event(PortfolioPlanRecorded)
    def __init__(
        self,
        portfolio_plan_id: UUID,
        members: list[JSONDict],
        summary: JSONDict,
        actor: str,
        reason: str | None,
    ) -> None:
        self.members = copy.deepcopy(members)
        self.summary = copy.deepcopy(summary)
        self.actor = actor
        self.reason = reason
        self.committed: JSONDict | None = None

    def commit(self, actor: str, reason: str | None) -> None:
        if self.committed is not None:
            raise PortfolioConflict(
                f"portfolio plan {self.id} was committed already, by "
                f"{self.committed['actor']} at {self.committed['at'].isoformat()}",
                [],
            )
        self.trigger_event(self.PortfolioPlanCommitted, actor=actor, reason=reason)

    class PortfolioPlanCommitted(Aggregate.Event):
        actor: str
        reason: str | None

        def apply(self, aggregate: PortfolioPlanAggregate) -> None:
            aggregate.committed = {
                "actor": self.actor,
                "reason": self.reason,
                "at": self.timestamp,
            }


class PortfolioPlans:
    """Record, read and commit portfolio plans in the project store."""

    def __init__(self, app: ProjectApplication) -> None:
        self._app = app

    def record(
        self,
        members: Sequence[NewMember],
        summary: JSONDict,
        actor: str,
        reason: str | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> UUID:
        """Record each member's plan (PlanProposed) and the portfolio plan
        linking them, in one transaction; returns the portfolio plan's id. A
        retry with the same key records nothing and returns the same id."""
        check_actor(actor)
        reason = check_reason(reason)
        for _attempt in range(RECORD_ATTEMPTS):
            done = None if idempotency is None else self._app.receipt(idempotency)
            if done is not None and done.result is not None:
                return UUID(done.result)
            portfolio_id = uuid4()
            projects = [self._app.load(member.project_id) for member in members]
            linked = [
                {
                    "project_id": str(member.project_id),
                    "name": member.name,
                    "plan_id": str(
                        project.propose_plan(
                            member.plan,
                            actor,
                            member.project_version,
                            _linked(portfolio_id, reason),
                        )
                    ),
                    "project_version": member.project_version,
                }
                for member, project in zip(members, projects, strict=True)
            ]
            portfolio = PortfolioPlanAggregate(
                portfolio_plan_id=portfolio_id,
                members=linked,
                summary=plain_json(dict(summary), "summary"),
                actor=actor,
                reason=reason,
            )
            receipt = (
                None
                if idempotency is None
                else Receipt.issue(idempotency, portfolio_id, 1, str(portfolio_id))
            )
            try:
                self._app.save(portfolio, *projects, receipt)
            except IntegrityError:
                continue  # a member (or the same key) was written meanwhile
            return portfolio_id
        raise PortfolioConflict(
            "the member projects kept changing while the plan was recorded; try again",
            [member.name for member in members],
        )

    def get(self, portfolio_id: UUID) -> PortfolioPlanRecord:
        """The portfolio plan; NotFound if there is none."""
        return _record(self._load(portfolio_id))

    def commit(
        self,
        portfolio_id: UUID,
        versions: Mapping[UUID, int],
        actor: str,
        reason: str | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> PortfolioPlanRecord:
        """Commit every member's plan and the portfolio plan in one
        transaction, provided each member is still at the version in
        `versions` (the one the caller checked); otherwise nothing is
        committed and PortfolioConflict names the members that moved. A
        retry with the same key commits nothing more and answers the same."""
        check_actor(actor)
        reason = check_reason(reason)
        if idempotency is not None and self._app.receipt(idempotency) is not None:
            return self.get(portfolio_id)
        portfolio = self._load(portfolio_id)
        record = _record(portfolio)
        projects = [self._app.load(member.project_id) for member in record.members]
        self._refuse_moved(record, projects, versions)
        for member, project in zip(record.members, projects, strict=True):
            project.commit_plan(member.plan_id, actor, _linked(portfolio_id, reason))
        portfolio.commit(actor, reason)
        receipt = (
            None
            if idempotency is None
            else Receipt.issue(idempotency, portfolio_id, portfolio.version, None)
        )
        try:
            self._app.save(portfolio, *projects, receipt)
        except IntegrityError:
            if idempotency is not None and self._app.receipt(idempotency):
                return self.get(portfolio_id)
            current = [self._app.load(member.project_id) for member in record.members]
            self._refuse_moved(record, current, versions)
            raise PortfolioConflict(
                f"portfolio plan {portfolio_id} was committed meanwhile", []
            ) from None
        return _record(portfolio)

    def _refuse_moved(
        self,
        record: PortfolioPlanRecord,
        projects: Sequence[ProjectAggregate],
        versions: Mapping[UUID, int],
    ) -> None:
        moved = [
            member.name
            for member, project in zip(record.members, projects, strict=True)
            if project.version != versions.get(member.project_id)
        ]
        if moved:
            raise PortfolioConflict(
                f"nothing committed: {', '.join(moved)} changed while the "
                "portfolio plan was being committed; try again",
                moved,
            )

    def _load(self, portfolio_id: UUID) -> PortfolioPlanAggregate:
        try:
            found: object = self._app.repository.get(portfolio_id)
        except AggregateNotFoundError:
            raise NotFound(f"no portfolio plan {portfolio_id}") from None
        if not isinstance(found, PortfolioPlanAggregate):
            raise NotFound(f"no portfolio plan {portfolio_id}")
        return found


def _linked(portfolio_id: UUID, reason: str | None) -> str:
    """The reason a member's event gives: the portfolio plan, then why."""
    link = f"portfolio plan {portfolio_id}"
    return link if reason is None else f"{link}: {reason}"


def _record(portfolio: PortfolioPlanAggregate) -> PortfolioPlanRecord:
    committed = portfolio.committed or {}
    return PortfolioPlanRecord(
        id=portfolio.id,
        members=tuple(
            Member(
                UUID(m["project_id"]),
                m["name"],
                UUID(m["plan_id"]),
                m["project_version"],
            )
            for m in portfolio.members
        ),
        summary=copy.deepcopy(portfolio.summary),
        actor=portfolio.actor,
        reason=portfolio.reason,
        recorded_at=portfolio.created_on,
        committed_by=committed.get("actor"),
        committed_at=committed.get("at"),
        commit_reason=committed.get("reason"),
    )
