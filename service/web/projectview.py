"""Which plan a project page draws, and what beside it.

A page shows one recorded plan: the one asked for, else the committed
baseline, else the latest plan with a schedule. A plan without a schedule
(infeasible, unknown) is never drawn and never hides the others: its conflicts
are shown above the plan that is drawn. A second plan is drawn under it for
comparison: the one asked for, else the baseline when another plan is shown.
`version` reads everything as it was at that version of the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain import NotFound, Project
from eventstore import PlanRecord
from service.usecases import Planforge
from service.web.gantt import forecast_markers
from service.web.gantt_rows import Marker

NO_COMPARE = "none"


@dataclass(frozen=True)
class ProjectView:
    """What a project page shows, read at `version`."""

    project_id: UUID
    version: int
    latest_version: int
    project: Project
    plans: list[PlanRecord]
    shown: PlanRecord | None
    compare: PlanRecord | None
    rejected: PlanRecord | None
    current: Project  # at `version`: progress reported since the plan shows

    @property
    def forecast(self) -> dict[str, Any] | None:
        """The summary of the shown plan's latest recorded forecast."""
        if self.shown is None or self.shown.latest_forecast is None:
            return None
        summary: dict[str, Any] = self.shown.latest_forecast["summary"]
        return summary

    @property
    def markers(self) -> tuple[Marker, ...]:
        """Deadline, status date (once progress is reported), then the
        forecast's P50 and P80 (working days)."""
        markers = forecast_markers(self.project, self.forecast)
        if self.current.status_date is None:
            return markers
        status = self.current.status_date
        named = status.isoformat() if isinstance(status, date) else None
        return (*markers, Marker("status date", self.current.status_time, named))


def project_view(
    planforge: Planforge,
    project_id: UUID,
    version: int | None = None,
    plan_id: str | None = None,
    compare_id: str | None = None,
) -> ProjectView:
    """Read the project and its plans at `version`; NotFound for unknown ids."""
    latest = planforge.get_project(project_id)
    state = latest if version is None else planforge.get_project(project_id, version)
    plans = planforge.plans(project_id, state.version)
    chosen = _find(plans, plan_id)
    scheduled = [p for p in plans if p.plan.has_schedule]
    baseline = next((p for p in plans if p.committed), None)
    fallback = baseline or (scheduled[-1] if scheduled else None)
    shown = chosen if chosen is not None and chosen.plan.has_schedule else fallback
    rejected = chosen if chosen is not None and not chosen.plan.has_schedule else None
    if chosen is None and plans and not plans[-1].plan.has_schedule:
        rejected = plans[-1]
    if compare_id == NO_COMPARE:
        compare = None
    elif compare_id:
        compare = _find(plans, compare_id)
    else:
        compare = baseline if shown is not None and shown is not baseline else None
    if compare is not None and not compare.plan.has_schedule:
        compare = None
    project = state.project
    if shown is not None:
        project = planforge.get_project(project_id, shown.project_version).project
    return ProjectView(
        project_id,
        state.version,
        latest.version,
        project,
        plans,
        shown,
        compare,
        rejected,
        state.project,
    )


def _find(plans: list[PlanRecord], plan_id: str | None) -> PlanRecord | None:
    if not plan_id:
        return None
    for record in plans:
        if str(record.id) == plan_id:
            return record
    raise NotFound(f"no plan {plan_id} recorded in this project by then")
