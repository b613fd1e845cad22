"""Pages a person opens in a browser."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from service.api.deps import PlanforgeDep
from service.pages import project_page

router = APIRouter(tags=["pages"])


@router.get("/projects/{project_id}/page", response_class=HTMLResponse)
def project_view_page(project_id: UUID, planforge: PlanforgeDep) -> str:
    """The committed plan (or the latest proposed one) as a Gantt chart with the
    latest forecast's P50/P80 and the deadline."""
    state = planforge.get_project(project_id)
    events = planforge.store.events(project_id)
    record = planforge.store.committed_plan(project_id)
    plan_ids = [e.data["plan_id"] for e in events if e.type == "PlanProposed"]
    if record is None and plan_ids:
        record = planforge.store.get_plan(project_id, UUID(str(plan_ids[-1])))
    forecast: dict[str, Any] | None = None
    if record is not None:
        summaries = [
            e.data.get("summary")
            for e in events
            if e.type == "ForecastRecorded"
            and str(e.data.get("plan_id")) == str(record.id)
        ]
        forecast = summaries[-1] if summaries else None
    project = state.project
    if record is not None:
        project = planforge.get_project(project_id, record.project_version).project
    plan = None if record is None else record.plan
    return project_page(project, plan, forecast, state.version)
