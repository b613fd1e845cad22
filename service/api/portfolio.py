"""Across projects: the portfolio read model and people's weekly load
(portfolio plans: `service.api.portfolio_plans`)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from service.api.contract import answer
from service.api.deps import PlanforgeDep
from service.api.progress import HealthAnswer
from service.api.security import PrincipalDep
from service.views import JSON

router = APIRouter(tags=["portfolio"])


class PortfolioRow(BaseModel):
    """A project in the portfolio read model, with its health."""

    id: str
    name: str
    status: str = Field(description="draft, committed or at_risk")
    deadline: int | None
    committed_plan_id: str | None
    committed_makespan: int | None
    committed_finish_date: str | None
    latest_p80: float | int | None
    p80_finish_date: str | None
    updated: str | None
    health: HealthAnswer


@router.get("/portfolio", response_model=None, responses=answer(list[PortfolioRow]))
def portfolio(planforge: PlanforgeDep, principal: PrincipalDep) -> list[JSON]:
    """Every project the caller may see: status (draft, committed, at_risk),
    committed finish, latest P80 of the baseline, and its `health` (as
    GET /projects/{id}/health)."""
    return [
        {**row, "health": planforge.health(UUID(row["id"]))}
        for row in planforge.portfolio()
        if principal.sees(row["id"])
    ]


@router.get("/resources/load")
def resource_load(
    planforge: PlanforgeDep, principal: PrincipalDep
) -> dict[str, dict[str, int]]:
    """Working days each person is assigned per ISO week, over the committed
    plans of the projects the caller may see."""
    return planforge.resource_load(principal.sees)


class LoadWeek(BaseModel):
    """A person's week over every committed plan."""

    person: str
    week: str = Field(description='ISO week, e.g. "2027-W02"')
    days: int = Field(description="working days assigned (a task per day each)")
    overbooked: bool = Field(
        description="some day holds the person in more tasks than their capacity"
    )
    overbooked_dates: list[str] = Field(description="those days (ISO dates)")


@router.get("/resources/load/weeks")
def resource_load_weeks(
    planforge: PlanforgeDep, principal: PrincipalDep
) -> list[LoadWeek]:
    """Each person's assigned days per ISO week over the committed plans of
    the projects the caller may see, with the weeks those plans together
    overbook them marked (plans the caller may not see are left out)."""
    return [LoadWeek(**row) for row in planforge.load_weeks(principal.sees)]
