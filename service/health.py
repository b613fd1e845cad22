"""Use case: a project's health at its status date (EVM, forecast, stale work).

Reads the current project, its committed baseline (and the project version
the baseline was planned from) and the latest recorded forecast; the figures
come from `domain.evm` and `domain.health`.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from domain.evm import earned_value
from domain.health import assess
from domain.progress import day_ref_to_document
from eventstore import ProjectStore
from service.progress import out_of_sequence_rows
from service.views import JSON


def latest_p80(store: ProjectStore, project_id: UUID) -> tuple[float | None, Any]:
    """The P80 finish (working days) of the latest forecast recorded, and the
    status time it started from (None for forecasts recorded before that)."""
    latest = store.latest_forecast(project_id)
    if latest is None:
        return None, None
    p80: Any = latest["summary"].get("duration", {}).get("p80")
    return None if p80 is None else float(p80), latest["summary"].get("status_time")


def project_health(store: ProjectStore, project_id: UUID) -> JSON:
    """Status date, earned value, forecast, stale and out-of-sequence work,
    and the RAG rating with its reasons."""
    state = store.get_project(project_id)
    project = state.project
    record = store.committed_plan(project_id)
    evm = None
    if record is not None:
        baseline_project = store.get_project(project_id, record.project_version).project
        evm = earned_value(project, record.plan, baseline_project)
    p80, forecast_status = latest_p80(store, project_id)
    outdated = p80 is not None and forecast_status != project.status_time
    baseline = None if record is None else record.plan
    health = assess(project, baseline, evm, p80, outdated)
    figures: dict[str, Any] = dict.fromkeys(
        ("bac", "pv", "ev", "ac", "sv", "cv", "spi", "cpi", "eac"), None
    )
    figures |= {"earned_schedule": None, "schedule_variance_days": None}
    if evm is not None:
        figures |= {k: _rounded(v) for k, v in asdict(evm).items() if k in figures}
    status = project.status_date
    return {
        "id": str(project_id),
        "version": state.version,
        "status_date": None if status is None else day_ref_to_document(status),
        "status_time": project.status_time,
        **figures,
        "on_time_rate": health.on_time_rate,
        "p80_finish": p80,
        "p80_finish_date": _date(project.finish_date(p80) if p80 is not None else None),
        "deadline": project.deadline,
        "deadline_date": _date(
            project.finish_date(project.deadline) if project.deadline else None
        ),
        "stale_tasks": [asdict(s) for s in health.stale],
        "out_of_sequence": out_of_sequence_rows(project),
        "rag": health.rag,
        "reasons": list(health.reasons),
        "thresholds": asdict(project.thresholds),
        "stale_after": project.stale_after,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _date(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())
