"""Read models across projects: the portfolio and people's weekly load."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import PlanforgeDep
from service.views import JSON

router = APIRouter(tags=["portfolio"])


@router.get("/portfolio")
def portfolio(planforge: PlanforgeDep) -> list[JSON]:
    """Every project: status (draft, committed, at_risk), committed finish,
    latest P80 of the baseline."""
    return planforge.portfolio()


@router.get("/resources/load")
def resource_load(planforge: PlanforgeDep) -> dict[str, dict[str, int]]:
    """Working days each person is assigned per ISO week, over committed plans."""
    return planforge.resource_load()
