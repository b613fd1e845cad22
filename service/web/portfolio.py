"""The portfolio page's rows: each visible project's read-model row with its
health (RAG and reasons, SPI/CPI at the status date), the baseline's latest
forecast, its last progress report and its recent slips."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.access import Principal
from service.usecases import Planforge
from service.views import JSON

RECENT_SLIPS = 3


def portfolio_rows(planforge: Planforge, principal: Principal) -> list[JSON]:
    """One row per project the principal sees, in creation order."""
    rows = []
    for row in planforge.portfolio():
        if principal.sees(row["id"]):
            rows.append({**row, **_details(planforge, UUID(row["id"]))})
    return rows


def _details(planforge: Planforge, project_id: UUID) -> dict[str, Any]:
    baseline = planforge.baseline(project_id)
    forecast = None if baseline is None else baseline.latest_forecast
    events = planforge.audit(project_id)
    reports = [e for e in events if e.type == "ProgressReported"]
    slips = [e for e in events if e.type == "ForecastSlipped"][-RECENT_SLIPS:]
    return {
        "forecast": None if forecast is None else forecast["summary"],
        "health": planforge.health(project_id),
        "last_report": reports[-1].timestamp if reports else None,
        "slips": [
            {
                "when": e.timestamp,
                "p80": e.data.get("p80"),
                "reasons": e.data.get("reasons", []),
            }
            for e in reversed(slips)
        ],
    }
