"""Forecasts of a project whose person is booked in another project's
committed plan keep that booking, as its plan does: a forecast (recorded or
a scenario's) never finishes before the plan could start the person's task."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from service.compute import ForecastRequest, PlanRequest
from service.settings import Settings
from service.usecases import Planforge

PLAN = PlanRequest(time_limit=5, workers=1)
FORECAST = ForecastRequest(samples=2_000, seed=3)
ANA = {"id": "ana", "capacity": 1, "skills": {"work": 1}}


def document(
    name: str, tasks: list[dict[str, Any]], links: tuple[dict[str, str], ...] = ()
) -> dict[str, Any]:
    return {
        "name": name,
        "start": "2027-01-04",
        "resources": [ANA],
        "tasks": tasks,
        "dependencies": list(links),
    }


def shared(tmp_path: Path) -> tuple[Planforge, Any]:
    """`other` has ana for its first 20 days, committed; `mine` needs her for
    a 5-day task (then a 2-day one), so its plan starts her work on day 20."""
    app = Planforge(Settings(database_url=f"sqlite:///{tmp_path}/shared.db"))
    other = app.create_project(
        document("other", [{"id": "build", "duration": 20, "skills": {"work": 1}}]),
        "pmo",
    )
    record = app.propose_plan(other.id, PLAN, "pmo")
    app.commit_plan(other.id, record.id, "pmo", None)
    estimate = {"optimistic": 4, "most_likely": 5, "pessimistic": 7}
    mine = app.create_project(
        document(
            "mine",
            [
                {"id": "fit", "estimate": estimate, "skills": {"work": 1}},
                {"id": "check", "duration": 2},
            ],
            ({"from": "fit", "to": "check"},),
        ),
        "pmo",
    )
    return app, mine.id


def test_a_recorded_forecast_keeps_the_bookings_elsewhere(tmp_path: Path) -> None:
    app, mine = shared(tmp_path)
    record = app.propose_plan(mine, PLAN, "pmo")
    assert record.plan.starts["fit"] == 20  # after ana's work on `other`
    _, result = app.forecast_plan(mine, record.id, FORECAST, "pmo")
    # Without the booking the samples started `fit` on day 0 (P10 ~ 7.5).
    assert result.duration.p10 >= 20 + 4 + 2
    assert result.tasks[0].finish.p10 >= 24


def test_a_scenario_forecast_keeps_the_bookings_elsewhere(tmp_path: Path) -> None:
    app, mine = shared(tmp_path)
    changes = [{"action": "update_task", "id": "check", "duration": 3}]
    view = app.run_scenario(mine, changes, PLAN, FORECAST)
    scenario = view["scenario"]
    assert scenario["plan"]["makespan"] == 20 + 5 + 3
    assert scenario["forecast"]["duration"]["p10"] >= 20 + 4 + 3
    assert view["baseline"]["forecast"]["duration"]["p10"] >= 20 + 4 + 2


def test_plans_chosen_for_their_odds_weigh_them_with_the_bookings(
    tmp_path: Path,
) -> None:
    app, mine = shared(tmp_path)
    odds = PlanRequest(time_limit=6, workers=1, objective="p80", odds_samples=500)
    record = app.propose_plan(mine, odds, "pmo")
    assert record.plan.candidates
    assert all(c.p80 >= 20 + 4 + 2 for c in record.plan.candidates)
