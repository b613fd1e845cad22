"""Use cases of portfolio plans: plan several stored projects together and
record one plan per project, linked by a portfolio plan id; read it; commit
the members' plans all or none.

A portfolio plan leaves free the work its people have in the committed plans
of projects outside it (as a single project's plan does), so committing it
never overbooks them. Committing re-checks every member first: a member
whose document changed since its plan was made, or whose plan now clashes
with work committed elsewhere since (the independent validator), stops the
commit, and the answer names each such project; the store then commits all
members in one transaction, provided none was written meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from uuid import UUID

from domain import Project, ValidationError
from domain.bookings import BusySpan
from domain.errors import PortfolioConflict
from eventstore.portfolio_plans import NewMember, PortfolioPlanRecord
from scheduler.plan.validator import validate_plan
from scheduler.portfolio import CrossDependency, PortfolioPlan
from service.compute import PlanRequest
from service.usecases import Planforge, Write
from service.views import JSON


@dataclass(frozen=True)
class PlannedPortfolio:
    """A portfolio plan as made: the projects, the solver's answer, and the
    recorded portfolio plan's id when it was recorded."""

    projects: list[Project]
    result: PortfolioPlan
    portfolio_plan_id: UUID | None = None


def plan_portfolio(
    service: Planforge,
    project_ids: Sequence[UUID],
    links: Sequence[CrossDependency],
    request: PlanRequest,
    record: bool = False,
    actor: str = "",
    write: Write | None = None,
) -> PlannedPortfolio:
    """Schedule the projects' current states together, their people's work
    in committed plans of other projects left free; with `record`, record
    each project's plan and the portfolio plan linking them."""
    states = [service.get_project(project_id) for project_id in project_ids]
    projects = [state.project for state in states]
    busy = busy_outside(service, [str(i) for i in project_ids], projects)
    result = service.plan_portfolio(projects, links, replace(request, busy=busy))
    if not record:
        return PlannedPortfolio(projects, result)
    if not result.plan.has_schedule:
        raise ValidationError.at(
            "project_ids",
            f"the portfolio has no plan to record (status {result.plan.status})",
        )
    members = [
        NewMember(state.id, project.name, result.members[project.name], state.version)
        for state, project in zip(states, projects, strict=True)
    ]
    write = write or Write()
    portfolio_id = service.store.portfolio_plans.record(
        members, summary(projects, result), actor, write.reason, write.idempotency
    )
    return PlannedPortfolio(projects, result, portfolio_id)


def portfolio_plan(service: Planforge, portfolio_id: UUID) -> PortfolioPlanRecord:
    """The recorded portfolio plan; NotFound if there is none."""
    return service.store.portfolio_plans.get(portfolio_id)


def commit_portfolio_plan(
    service: Planforge, portfolio_id: UUID, actor: str, write: Write
) -> PortfolioPlanRecord:
    """Commit every member's plan, or none (PortfolioConflict naming the
    members in the way: see the module docstring)."""
    store = service.store
    record = store.portfolio_plans.get(portfolio_id)
    if write.idempotency is not None and store.answered(write.idempotency)[0]:
        return record  # a retry of the commit that made it so
    if record.committed_at is not None:
        raise PortfolioConflict(
            f"portfolio plan {portfolio_id} was committed already, by "
            f"{record.committed_by} at {record.committed_at.isoformat()}",
            [],
        )
    member_ids = [str(member.project_id) for member in record.members]
    versions, problems = {}, []
    for member in record.members:
        now = store.get_project(member.project_id)
        versions[member.project_id] = now.version
        planned = store.get_project(member.project_id, member.project_version)
        if now.document != planned.document:
            problems.append(
                (member.name, f"changed since its plan (version {now.version})")
            )
            continue
        plan = store.get_plan(member.project_id, member.plan_id).plan
        busy = busy_outside(service, member_ids, [now.project])
        clashes = validate_plan(now.project, plan, busy)
        if clashes:
            problems.append((member.name, f"its plan no longer fits: {clashes[0]}"))
    if problems:
        raise PortfolioConflict(
            "nothing committed: "
            + "; ".join(f"project {name} {why}" for name, why in problems)
            + ". Make a new portfolio plan.",
            [name for name, _ in problems],
        )
    return store.portfolio_plans.commit(
        portfolio_id, versions, actor, write.reason, write.idempotency
    )


def busy_outside(
    service: Planforge, project_ids: Sequence[str], projects: Sequence[Project]
) -> tuple[BusySpan, ...]:
    """The runs of dates the projects' people work in the committed plans of
    projects other than `project_ids`."""
    people = {resource.id for project in projects for resource in project.resources}
    model = service.store.resource_load.catch_up()
    return tuple(s for s in model.busy(people) if s.project not in project_ids)


def summary(projects: Sequence[Project], result: PortfolioPlan) -> JSON:
    """What the portfolio plan records beside its members: the solver's
    status and objective, and each project's finish and tardiness."""
    plan = result.plan
    return {
        "status": plan.status.value,
        "makespan": plan.makespan,
        "runtime_seconds": round(plan.runtime_seconds, 3),
        "objective": plan.objective,
        "objective_value": plan.objective_value,
        "objective_bound": plan.objective_bound,
        "gap": plan.gap,
        "projects": {
            project.name: {
                "finish": result.members[project.name].makespan,
                "deadline": project.deadline,
                "priority": project.priority,
                "tardiness": result.tardiness.get(project.name),
            }
            for project in projects
        },
    }
