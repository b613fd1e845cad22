"""The nightly replan records slips and stale work, and says why in words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from service.cli import main
from service.commands import EXIT_SLIPPED
from service.settings import Settings
from service.usecases import ForecastRequest, Planforge, PlanRequest

WEB: dict[str, Any] = {
    "name": "Web",
    "start": "2027-01-04",
    "deadline": 40,
    "thresholds": {"slip_days": 2},
    "tasks": [
        {"id": "design", "duration": 5},
        {"id": "frontend_features", "duration": 15},
        {"id": "qa", "duration": 5},
        {"id": "docs", "duration": 10},
    ],
    "dependencies": [
        {"from": "design", "to": "frontend_features"},
        {"from": "frontend_features", "to": "qa"},
    ],
}
REPORT = {
    "status_date": 17,
    "reports": [
        {"task": "design", "actual_start": 0, "actual_finish": 5},
        {"task": "frontend_features", "actual_start": 5, "percent_complete": 60},
        {"task": "docs", "actual_start": 3, "reported_on": 4},
    ],
}


def committed(tmp_path: Path) -> tuple[Planforge, str]:
    """Web with a committed, forecast baseline (P80 day 25), then progress:
    frontend_features 60 % after 12 of 15 days (0.4 x 15 = 6 more: day 23,
    qa to day 28); docs silent since day 4."""
    url = f"sqlite:///{tmp_path / 'nightly.db'}"
    app = Planforge(Settings(database_url=url))
    state = app.create_project(WEB, "pmo")
    record = app.propose_plan(state.id, PlanRequest(time_limit=5, workers=1), "pmo")
    app.commit_plan(state.id, record.id, "pmo", expected_version=None)
    app.forecast_plan(state.id, record.id, ForecastRequest(samples=200), "pmo")
    app.record_progress(state.id, REPORT["status_date"], REPORT["reports"], "lee", None)
    return app, url


def test_replan_records_the_slip_and_the_stale_task(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app, url = committed(tmp_path)
    project_id = app.store.project_ids()[0]
    monkeypatch.setenv("PLANFORGE_DATABASE_URL", url)
    argv = ["replan", "--time-limit", "5", "--samples", "200", "--json"]
    assert main(argv) == EXIT_SLIPPED
    (outcome,) = json.loads(capsys.readouterr().out)
    assert outcome["slipped"]
    assert outcome["makespan"] == 28
    said = outcome["slip_reasons"][0]
    assert said.startswith("P80 2027-02-05 -> 2027-02-10 (+3.0 working days): ")
    assert "frontend_features reported 60 % after 12 of 15 days" in said
    assert outcome["stale_tasks"] == ["docs: 13 working days without a report"]
    events = {e.type: e.data for e in app.store.events(project_id)}
    assert events["ForecastSlipped"]["p80"] == 28
    assert events["ForecastSlipped"]["baseline_p80"] == 25
    assert events["ForecastSlipped"]["reasons"] == outcome["slip_reasons"]
    assert events["TaskStale"]["task_id"] == "docs"
    assert events["TaskStale"]["days_silent"] == 13


def test_nothing_slipped_exits_zero(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite:///{tmp_path / 'calm.db'}"
    app = Planforge(Settings(database_url=url))
    state = app.create_project(WEB, "pmo")
    record = app.propose_plan(state.id, PlanRequest(time_limit=5, workers=1), "pmo")
    app.commit_plan(state.id, record.id, "pmo", expected_version=None)
    monkeypatch.setenv("PLANFORGE_DATABASE_URL", url)
    assert main(["replan", "--time-limit", "5", "--samples", "200"]) == 0
    assert "ok  Web" in capsys.readouterr().out
    types = [e.type for e in app.store.events(state.id)]
    assert "ForecastSlipped" not in types
    assert "TaskStale" not in types
