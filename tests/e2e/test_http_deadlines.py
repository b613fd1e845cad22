"""Soft deadlines over HTTP: a plan and a forecast even when a deadline cannot
be met; `deadlines: "hard"` keeps the infeasible answer."""

from __future__ import annotations

from typing import Any

import httpx

CHAIN: dict[str, Any] = {
    "name": "chain",
    "start": "2027-01-04",
    "deadline": 12,
    "tasks": [{"id": "a", "duration": 10}, {"id": "b", "duration": 5}],
    "dependencies": [{"from": "a", "to": "b"}],
}


def test_a_deadline_out_of_reach_gives_a_late_plan_or_hard_no_plan(
    client: httpx.Client,
) -> None:
    project_id = client.post("/projects", json=CHAIN).json()["id"]

    soft = client.post(f"/projects/{project_id}/plans", json={"time_limit": 2})
    hard = client.post(
        f"/projects/{project_id}/plans", json={"time_limit": 2, "deadlines": "hard"}
    )

    assert soft.status_code == hard.status_code == 201
    assert (soft.json()["status"], soft.json()["makespan"]) == ("optimal", 15)
    assert soft.json()["deadlines"] == "soft"
    assert soft.json()["warnings"][0] == (
        "the project finishes on day 15, 3 days after its deadline (day 12)"
    )
    assert hard.json()["status"] == "infeasible"
    assert hard.json()["conflicts"]


def test_a_what_if_past_the_deadline_is_still_forecast(client: httpx.Client) -> None:
    feasible = {**CHAIN, "deadline": 20}
    project_id = client.post("/projects", json=feasible).json()["id"]

    answer = client.post(
        f"/projects/{project_id}/scenarios",
        json={
            "changes": [{"action": "update_task", "id": "a", "duration": 18}],
            "time_limit": 2,
            "samples": 200,
        },
    )

    assert answer.status_code == 200, answer.text
    scenario = answer.json()["scenario"]
    assert scenario["plan"]["makespan"] == 23
    assert scenario["forecast"] is not None
