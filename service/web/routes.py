"""The /ui pages a PMO reads every day: portfolio, Gantt, forecast, resources,
history. Each route parses, reads through the use cases, and renders."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from domain.limits import MAX_VERSION
from eventstore import AuditEntry, AuditQuery
from eventstore.audit import MAX_LIMIT
from service.api.deps import PlanforgeDep
from service.api.security import PrincipalDep
from service.usecases import Planforge
from service.web import charts, loadgrid
from service.web.gantt import gantt_svg
from service.web.portfolio import portfolio_rows
from service.web.projectview import project_view
from service.web.render import ERRORS, page

HISTORY_PAGE = 200
"""Timeline entries shown on one history page."""

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)

Version = Annotated[
    int | None,
    Query(ge=1, le=MAX_VERSION, description="the project as at this version"),
]
PlanId = Annotated[str | None, Query(description="a recorded plan's id")]
Zoom = Annotated[str, Query(pattern="^(day|week|month)$")]


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    return RedirectResponse("/ui/")


@router.get("/projects/{project_id}/page", include_in_schema=False)
def old_project_page(project_id: UUID) -> RedirectResponse:
    """The first project page moved to /ui/projects/{id}."""
    return RedirectResponse(f"/ui/projects/{project_id}", status_code=308)


@router.get("/ui/login")
def login_page(request: Request, next: str = "/ui/") -> HTMLResponse:
    """Sign in with an API token (or JWT): opens a session cookie."""
    target = next if next.startswith("/") and not next.startswith("//") else "/ui/"
    return page(request, "login.html", next=target, principal=None)


@router.get("/ui/", responses=ERRORS)
def portfolio_page(
    request: Request, planforge: PlanforgeDep, principal: PrincipalDep
) -> HTMLResponse:
    """Every project the principal sees: status, committed finish, P80,
    deadline odds."""
    rows = portfolio_rows(planforge, principal)
    return page(request, "portfolio.html", rows=rows)


@router.get("/ui/projects/{project_id}", responses=ERRORS)
def gantt_page(
    request: Request,
    project_id: UUID,
    planforge: PlanforgeDep,
    version: Version = None,
    plan: PlanId = None,
    compare: PlanId = None,
    zoom: Zoom = "week",
) -> HTMLResponse:
    """The Gantt of a recorded plan, another plan under it, conflicts of a
    plan without a schedule above it."""
    view = project_view(planforge, project_id, version, plan, compare)
    svg = None
    if view.shown is not None:
        svg = gantt_svg(
            view.project,
            view.shown.plan,
            compare=None if view.compare is None else view.compare.plan,
            markers=view.markers,
            zoom=zoom,
            current=view.current,
        )
    return page(request, "gantt.html", view=view, svg=svg, zoom=zoom, tab="gantt")


@router.get("/ui/projects/{project_id}/forecast", responses=ERRORS)
def forecast_page(
    request: Request,
    project_id: UUID,
    planforge: PlanforgeDep,
    version: Version = None,
    plan: PlanId = None,
) -> HTMLResponse:
    """Histogram, S-curve, tornado and criticality of the shown plan's
    forecast, re-run from its recorded seed and sample count."""
    view = project_view(planforge, project_id, version, plan)
    context: dict[str, Any] = {"view": view, "tab": "forecast", "forecast": None}
    if view.shown is not None:
        context.update(charts.forecast_context(planforge, view))
    return page(request, "forecast.html", **context)


@router.get("/ui/resources", responses=ERRORS)
def resources_page(request: Request, planforge: PlanforgeDep) -> HTMLResponse:
    """Each person's load per week over every committed plan (organisation
    viewers: every project)."""
    grid = loadgrid.portfolio_grid(planforge)
    return page(request, "resources.html", grid=grid, view=None)


@router.get("/ui/projects/{project_id}/resources", responses=ERRORS)
def project_resources_page(
    request: Request,
    project_id: UUID,
    planforge: PlanforgeDep,
    principal: PrincipalDep,
    version: Version = None,
    plan: PlanId = None,
) -> HTMLResponse:
    """Load per person per week of the shown plan, other projects' committed
    plans counted too, so overbooking across projects shows."""
    view = project_view(planforge, project_id, version, plan)
    grid = loadgrid.project_grid(planforge, view, principal.sees)
    return page(request, "resources.html", grid=grid, view=view, tab="resources")


@router.get("/ui/projects/{project_id}/history", responses=ERRORS)
def history_page(
    request: Request,
    project_id: UUID,
    planforge: PlanforgeDep,
    task: Annotated[str | None, Query()] = None,
    actor: Annotated[str | None, Query()] = None,
    type: Annotated[str | None, Query()] = None,
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """The audit trail as a timeline, newest first, filtered by task, actor or
    event type, HISTORY_PAGE entries a page (every event stays reachable)."""
    view = project_view(planforge, project_id)
    everything = planforge.audit(project_id)
    entries = _matching(planforge, project_id, task or None, actor or None)
    if type:
        entries = [e for e in entries if e.type == type]
    newest_first = entries[::-1]
    first = (page_number - 1) * HISTORY_PAGE
    filters = {"task": task or "", "actor": actor or "", "type": type or ""}
    return page(
        request,
        "history.html",
        view=view,
        entries=newest_first[first : first + HISTORY_PAGE],
        total=len(newest_first),
        first=first,
        page_number=page_number,
        pages=max(1, -(-len(newest_first) // HISTORY_PAGE)),
        types=sorted({e.type for e in everything}),
        actors=sorted({e.actor for e in everything}),
        filters=filters,
        tab="history",
    )


def _matching(
    planforge: Planforge, project_id: UUID, task: str | None, actor: str | None
) -> list[AuditEntry]:
    """Every entry touching `task` by `actor`, oldest first, read a store page
    (MAX_LIMIT entries) at a time."""
    entries: list[AuditEntry] = []
    after = 0
    while True:
        query = AuditQuery(task=task, actor=actor, after=after, limit=MAX_LIMIT)
        batch = planforge.audit(project_id, query)
        entries.extend(batch)
        if len(batch) < MAX_LIMIT:
            return entries
        after = batch[-1].version
