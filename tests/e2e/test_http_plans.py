"""Plans, forecasts and scenarios over HTTP."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import httpx

from tests.e2e.test_http_projects import LAUNCH, create


def plan(client: httpx.Client, project_id: str) -> dict[str, Any]:
    response = client.post(f"/projects/{project_id}/plans", json={"time_limit": 5})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_plan_is_optimal_and_resource_feasible(client: httpx.Client) -> None:
    project_id = create(client)["id"]
    body = plan(client, project_id)
    assert body["status"] == "optimal"
    tasks = {t["id"]: t for t in body["tasks"]}
    # a and b share the single crane; c waits for a and needs alice (backend 3).
    a, b, c = tasks["a"], tasks["b"], tasks["c"]
    assert a["finish"] <= b["start"] or b["finish"] <= a["start"]
    assert c["start"] >= a["finish"]
    assert c["assignees"] == ["alice"]
    assert body["makespan"] == 16
    assert body["lower_bound"] == 16
    assert tasks["a"]["start_date"] >= "2027-01-04"


def test_forecast_is_reproducible_and_recorded(client: httpx.Client) -> None:
    project_id = create(client)["id"]
    plan_id = plan(client, project_id)["id"]
    request = {"plan_id": plan_id, "samples": 2000, "seed": 7}
    first = client.post(f"/projects/{project_id}/forecasts", json=request)
    second = client.post(f"/projects/{project_id}/forecasts", json=request)
    assert first.status_code == 201, first.text
    assert first.json() == second.json()
    duration = first.json()["duration"]
    assert 16 <= duration["p50"] <= duration["p80"] <= duration["p95"]
    types = [e["type"] for e in client.get(f"/projects/{project_id}/events").json()]
    assert types == [
        "ProjectCreated",
        "PlanProposed",
        "ForecastRecorded",
        "ForecastRecorded",
    ]


def test_forecast_without_a_baseline_names_plan_id(client: httpx.Client) -> None:
    project_id = create(client)["id"]
    response = client.post(f"/projects/{project_id}/forecasts", json={"samples": 10})
    assert response.status_code == 422
    assert "plan_id" in response.json()["detail"]


def test_commit_then_forecast_the_baseline(client: httpx.Client) -> None:
    project_id = create(client)["id"]
    plan_id = plan(client, project_id)["id"]
    committed = client.post(f"/projects/{project_id}/plans/{plan_id}/commit")
    assert committed.status_code == 200, committed.text
    assert committed.json()["committed"] is True
    project = client.get(f"/projects/{project_id}").json()
    assert project["committed_plan_id"] == plan_id
    forecast = client.post(f"/projects/{project_id}/forecasts", json={"samples": 500})
    assert forecast.status_code == 201
    assert forecast.json()["plan_id"] == plan_id


def own_people(document: dict[str, Any]) -> dict[str, Any]:
    """The document with its people renamed apart: people shared by id with
    other projects' committed plans are busy there (domain.bookings)."""
    renamed = copy.deepcopy(document)
    suffix = uuid.uuid4().hex[:8]
    for resource in renamed["resources"]:
        if "skills" in resource:
            resource["id"] += f"-{suffix}"
    return renamed


def test_scenario_compares_and_records_nothing(client: httpx.Client) -> None:
    project_id = create(client, own_people(LAUNCH))["id"]
    before = client.get(f"/projects/{project_id}/events").json()
    response = client.post(
        f"/projects/{project_id}/scenarios",
        json={
            "changes": [{"action": "update_task", "id": "a", "duration": 15}],
            "time_limit": 5,
            "samples": 500,
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (
        body["scenario"]["plan"]["makespan"] == body["baseline"]["plan"]["makespan"] + 5
    )
    assert "p80" in body["scenario"]["forecast"]["duration"]
    assert "a" in [t["id"] for t in body["changed_tasks"]]
    assert client.get(f"/projects/{project_id}/events").json() == before


def test_bad_scenario_names_the_change(client: httpx.Client) -> None:
    project_id = create(client)["id"]
    response = client.post(
        f"/projects/{project_id}/scenarios",
        json={
            "changes": [
                {"action": "update_task", "id": "a", "duration": 2},
                {"action": "remove_task", "id": "ghost"},
            ],
        },
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "changes[1].id"


def test_stability_plan_stays_on_the_committed_plan(client: httpx.Client) -> None:
    project_id = create(client)["id"]
    baseline = plan(client, project_id)
    committed = client.post(f"/projects/{project_id}/plans/{baseline['id']}/commit")
    assert committed.status_code == 200, committed.text

    response = client.post(
        f"/projects/{project_id}/plans",
        json={"time_limit": 5, "objective": "stability"},
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["starts"] == baseline["starts"]
    assert body["objective"]["name"] == "stability"
    assert all("total_float" in task for task in body["tasks"])


def test_unknown_objective_is_a_422(client: httpx.Client) -> None:
    project_id = create(client)["id"]
    response = client.post(
        f"/projects/{project_id}/plans", json={"objective": "cheapest"}
    )
    assert response.status_code == 422
    assert "objective" in response.text


def test_an_impossible_pin_is_explained_and_recorded(client: httpx.Client) -> None:
    """c waits 10 days for a, so pinning it to day 4 cannot hold: the plan says
    which chain is in the way instead of a bare 'infeasible'."""
    document = copy.deepcopy(LAUNCH)
    document["tasks"][2]["pin"] = {"start": 4}
    project_id = create(client, document)["id"]

    response = client.post(f"/projects/{project_id}/plans", json={"time_limit": 5})

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "infeasible"
    assert body["conflicts"] == [
        "task 'c' is pinned to start on day 4, but the chain a (10 d) -> c lets "
        "it start on day 10 at the earliest"
    ]
    assert body["tasks"] == []


def test_request_pins_hold_are_recorded_and_leave_the_project_alone(
    client: httpx.Client,
) -> None:
    project_id = create(client)["id"]
    response = client.post(
        f"/projects/{project_id}/plans",
        json={"time_limit": 5, "pins": {"b": {"start": 20}}},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["starts"]["b"] == 20
    assert body["pins"] == {"b": {"start": 20}}

    again = client.get(f"/projects/{project_id}/plans/{body['id']}").json()
    assert again["pins"] == {"b": {"start": 20}}
    assert again["starts"] == body["starts"]
    project = client.get(f"/projects/{project_id}").json()
    assert all("pin" not in task for task in project["tasks"])

    forecast = client.post(
        f"/projects/{project_id}/forecasts",
        json={"plan_id": body["id"], "samples": 500, "seed": 1},
    )
    assert forecast.status_code == 201, forecast.text
    tasks = {t["id"]: t for t in forecast.json()["tasks"]}
    assert tasks["b"]["finish"]["p10"] >= 20 + 4  # pinned, and at least 4 days


def test_a_pin_on_an_unknown_task_is_a_422_naming_it(client: httpx.Client) -> None:
    project_id = create(client)["id"]
    response = client.post(
        f"/projects/{project_id}/plans", json={"pins": {"zz": {"start": 1}}}
    )
    assert response.status_code == 422
    assert "pins.zz" in response.text
    events = client.get(f"/projects/{project_id}/events").json()
    assert [e["type"] for e in events] == ["ProjectCreated"]
