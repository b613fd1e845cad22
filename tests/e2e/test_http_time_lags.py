"""Maximum time lags over HTTP: a loop of links is a cycle only when its lags
add up to more than zero; a feasible loop is planned and forecast."""

from __future__ import annotations

from typing import Any

import httpx


def looped(back_lag: int) -> dict[str, Any]:
    """a -> b -> c, and c back to a SS `back_lag`: c starts at most
    -back_lag days after a."""
    return {
        "name": "loop",
        "start": "2027-01-04",
        "tasks": [
            {"id": "a", "duration": 2},
            {"id": "b", "duration": 3},
            {"id": "c", "duration": 1},
        ],
        "dependencies": [
            {"from": "a", "to": "b"},
            {"from": "b", "to": "c"},
            {"from": "c", "to": "a", "type": "SS", "lag": back_lag},
        ],
    }


def test_a_feasible_loop_is_planned_and_forecast(client: httpx.Client) -> None:
    created = client.post("/projects", json=looped(-5))
    assert created.status_code == 201, created.text
    project_id = created.json()["id"]

    plan = client.post(f"/projects/{project_id}/plans", json={"time_limit": 2})
    forecast = client.post(
        f"/projects/{project_id}/forecasts",
        json={"plan_id": plan.json()["id"], "samples": 200, "seed": 1},
    )

    assert plan.status_code == 201, plan.text
    assert plan.json()["starts"] == {"a": 0, "b": 2, "c": 5}
    assert forecast.status_code == 201, forecast.text


def test_an_infeasible_loop_is_named(client: httpx.Client) -> None:
    answer = client.post("/projects", json=looped(-4))  # c needs day 5, not 4

    assert answer.status_code == 422
    assert answer.json()["detail"].endswith(
        "(each task on it would have to start 1 day after itself): a -> b -> c -> a"
    )
