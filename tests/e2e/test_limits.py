"""Numbers past what the solver, calendar and store hold are refused where
they come in (422 naming the field), so no later plan, scenario or forecast
of the project can break; bodies past the limit are 413 (issue 12's list)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from domain.limits import MAX_DAYS, MAX_SEED, MAX_WEIGHT
from tests.e2e.test_http_projects import LAUNCH, create


def later_work_still_answers(client: httpx.Client, project_id: str) -> None:
    url = f"/projects/{project_id}"
    plan = client.post(f"{url}/plans", json={"time_limit": 2})
    assert plan.status_code == 201, plan.text
    forecast = client.post(
        f"{url}/forecasts", json={"plan_id": plan.json()["id"], "samples": 200}
    )
    assert forecast.status_code == 201, forecast.text
    scenario = client.post(
        f"{url}/scenarios",
        json={
            "changes": [{"action": "update_task", "id": "c", "duration": 4}],
            "time_limit": 2,
            "samples": 200,
        },
    )
    assert scenario.status_code == 200, scenario.text


EDITS: list[tuple[str, str, dict[str, Any], str]] = [
    ("PATCH", "tasks/a", {"duration": 1e308}, "tasks[a].duration"),
    ("PATCH", "dependencies/a->c", {"lag": -(10**20)}, "dependencies[a->c].lag"),
    ("PATCH", "tasks/a", {"due": 10**25}, "tasks[a].due"),
    ("PATCH", "resources/crane", {"capacity": 10**12}, "resources[crane].capacity"),
    ("PATCH", "risks/r1", {"impact": 1e300}, "risks[r1].impact"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), EDITS)
def test_an_edit_past_the_bounds_is_refused(
    client: httpx.Client, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    project_id = create(client, LAUNCH)["id"]
    response = client.request(method, f"/projects/{project_id}/{path}", json=body)
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"]
    later_work_still_answers(client, project_id)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadline": 10**25}, "deadline"),
        ({"start": "9999-12-20"}, "start"),
        ({"start": "1066-10-14"}, "start"),
        ({"status_date": "9999-01-01"}, "status_date"),
    ],
)
def test_a_document_past_the_bounds_is_refused(
    client: httpx.Client, change: dict[str, Any], field: str
) -> None:
    response = client.post("/projects", json={**LAUNCH, **change})
    assert response.status_code == 422, response.text
    assert response.json()["problems"][0]["field"] == field


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"seed": 2**40}, "seed"),
        ({"balance_weight": 10**30}, "balance_weight"),
        ({"cost_weight": 1e30}, "cost_weight"),
        ({"pins": {"b": {"start": 10**30}}}, "pins.b"),
    ],
)
def test_plan_options_past_the_bounds_are_refused(
    client: httpx.Client, body: dict[str, Any], field: str
) -> None:
    project_id = create(client, LAUNCH)["id"]
    response = client.post(f"/projects/{project_id}/plans", json=body)
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"]


def test_values_at_the_bounds_keep_the_project_working(client: httpx.Client) -> None:
    document = {
        **LAUNCH,
        "start": "2199-12-01",
        "deadline": MAX_DAYS,
        "tasks": [*LAUNCH["tasks"][:2], {"id": "c", "duration": 3, "due": MAX_DAYS}],
        "dependencies": [{"from": "a", "to": "c", "lag": -MAX_DAYS}],
    }
    project_id = create(client, document)["id"]
    plan = client.post(
        f"/projects/{project_id}/plans",
        json={
            "time_limit": 2,
            "seed": MAX_SEED,
            "balance_weight": MAX_WEIGHT,
            "cost_weight": MAX_WEIGHT,
            "pins": {"b": {"start": 40}},
        },
    )
    assert plan.status_code == 201, plan.text
    later_work_still_answers(client, project_id)


@pytest.mark.parametrize(
    "query", ["version=9223372036854775808", "version=0", "as_of=99999-01-01"]
)
def test_a_version_past_64_bits_is_refused(client: httpx.Client, query: str) -> None:
    project_id = create(client, LAUNCH)["id"]
    response = client.get(f"/projects/{project_id}?{query}")
    assert response.status_code == 422, response.text


def test_if_match_past_64_bits_is_refused(client: httpx.Client) -> None:
    project_id = create(client, LAUNCH)["id"]
    for header in ("9223372036854775808", "²"):
        response = client.patch(
            f"/projects/{project_id}/tasks/a",
            json={"duration": 2},
            headers={"If-Match": header.encode()},
        )
        assert response.status_code == 422, response.text
        assert "If-Match" in response.json()["detail"]


def test_a_body_past_the_limit_is_413(client: httpx.Client) -> None:
    huge = b'{"name": "' + b"x" * (17 * 1024 * 1024) + b'", "tasks": []}'
    response = client.post(
        "/projects", content=huge, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
