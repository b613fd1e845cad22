"""The calibration backtest replays synthetic history where work took 1.5 x
its most likely: estimates alone under-cover; calibrated forecasts cover."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.calibration import record_history
from service.calibration import backtest
from service.cli import main
from service.settings import Settings
from service.usecases import ForecastRequest, Planforge, PlanRequest


@pytest.fixture(scope="module")
def history_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('history') / 'history.db'}"
    record_history(Planforge(Settings(database_url=url)), projects=10, seed=4)
    return url


def test_calibration_lifts_coverage_and_cuts_the_error(history_url: str) -> None:
    app = Planforge(Settings(database_url=history_url))
    result = backtest(app.store, samples=500, seed=1)
    before, after = result.before, result.after
    assert before.projects == after.projects == 10
    # Estimates alone: nothing finishes by its P80 when work takes 1.5 x.
    assert before.p80_coverage <= 0.2
    assert after.p80_coverage >= 0.6
    assert after.mean_absolute_error < before.mean_absolute_error / 2


def test_the_cli_prints_the_backtest(
    history_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PLANFORGE_DATABASE_URL", history_url)
    assert main(["calibrate", "--backtest", "--samples", "300", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    classes = {f["reference_class"]: f for f in answer["factors"]}
    assert set(classes) == {"frontend / -", "backend / -", "qa / -"}
    assert all(f["observations"] == 30 for f in classes.values())
    assert all(1.4 < f["factor"] < 1.55 for f in classes.values())
    assert answer["backtest"]["after"]["p80_coverage"] >= 0.6


def test_a_forecast_can_be_calibrated(history_url: str, tmp_path: Path) -> None:
    app = Planforge(Settings(database_url=history_url))
    state = app.create_project(
        {
            "name": "next",
            "tasks": [
                {
                    "id": "ui",
                    "group": "frontend",
                    "estimate": {
                        "optimistic": 8,
                        "most_likely": 10,
                        "pessimistic": 12,
                        "distribution": "triangular",
                    },
                }
            ],
        },
        "pmo",
    )
    record = app.propose_plan(state.id, PlanRequest(time_limit=5, workers=1), "pmo")
    factors = app.calibration_factors()
    request = ForecastRequest(samples=2000, seed=3, calibration=factors)
    _, result = app.forecast_plan(state.id, record.id, request, "pmo")
    factor = factors["frontend / -"].factor
    assert abs(result.duration.p50 - 10 * factor) < 0.1
    recorded = app.store.get_plan(state.id, record.id).latest_forecast
    assert recorded is not None
    assert recorded["summary"]["calibration"]["tasks"] == {"ui": round(factor, 4)}
