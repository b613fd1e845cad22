"""A forecast of a recorded plan starts from the progress reported since."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.test_http_progress import create


def forecast(client: httpx.Client, project_id: str, **body: Any) -> httpx.Response:
    return client.post(
        f"/projects/{project_id}/forecasts", json={"samples": 400, "seed": 7, **body}
    )


@pytest.mark.parametrize("engine", ["committed", "dynamic"])
def test_progress_on_a_recorded_plan_moves_its_forecast(
    client: httpx.Client, engine: str
) -> None:
    project_id = create(client)
    plan = client.post(f"/projects/{project_id}/plans", json={}).json()
    before = forecast(client, project_id, plan_id=plan["id"], engine=engine).json()
    report = {
        "status_date": 10,
        "reports": [{"task": "a", "actual_start": 0, "actual_finish": 10}],
    }
    reported = client.post(f"/projects/{project_id}/progress", json=report)
    assert reported.status_code == 200, reported.text

    response = forecast(client, project_id, plan_id=plan["id"], engine=engine)

    assert response.status_code == 201, response.text
    after = response.json()
    a = next(task for task in after["tasks"] if task["id"] == "a")
    assert a["finish"]["std"] == 0  # the same in every sample
    assert a["finish"]["p10"] == a["finish"]["p95"] == 10
    assert after["reproduce"]["project_version"] == reported.json()["version"]
    # a's estimate (4/5/8, P50 about 5.5) gave way to its 10 actual days.
    shift = after["duration"]["p50"] - before["duration"]["p50"]
    assert 4 < shift < 5
    again = forecast(client, project_id, plan_id=plan["id"], engine=engine).json()
    assert again["duration"] == after["duration"]  # reproducible from its seed


def test_the_version_asked_for_is_where_the_forecast_starts(
    client: httpx.Client,
) -> None:
    project_id = create(client)
    plan = client.post(f"/projects/{project_id}/plans", json={}).json()
    at_plan = forecast(client, project_id, plan_id=plan["id"]).json()
    planned_version = at_plan["reproduce"]["project_version"]
    report = {"reports": [{"task": "a", "actual_start": 0, "actual_finish": 10}]}
    client.post(f"/projects/{project_id}/progress", json=report)

    old = forecast(client, project_id, plan_id=plan["id"], version=planned_version)

    assert old.json()["duration"] == at_plan["duration"]
    too_late = forecast(client, project_id, plan_id=plan["id"], version=999)
    assert too_late.status_code == 422
    assert too_late.json()["problems"][0]["field"] == "version"


def test_a_plan_that_no_longer_covers_the_tasks_is_refused(
    client: httpx.Client,
) -> None:
    project_id = create(client)
    plan = client.post(f"/projects/{project_id}/plans", json={}).json()
    task = {"id": "d", "duration": 3}
    added = client.post(f"/projects/{project_id}/tasks", json=task)
    assert added.status_code == 201, added.text
    client.delete(f"/projects/{project_id}/tasks/c")

    response = forecast(client, project_id, plan_id=plan["id"])

    assert response.status_code == 422, response.text
    (problem,) = response.json()["problems"]
    assert problem["field"] == "plan_id"
    assert problem["message"] == (
        "the plan no longer covers the project (tasks added since it was made: d; "
        "removed since it was made: c): make a new plan to forecast"
    )


def test_a_forecast_of_the_baseline_after_progress_is_up_to_date(
    client: httpx.Client,
) -> None:
    project_id = create(client)
    url = f"/projects/{project_id}"
    plan = client.post(f"{url}/plans", json={}).json()
    assert client.post(f"{url}/plans/{plan['id']}/commit").status_code == 200
    report = {
        "status_date": 7,
        "reports": [{"task": "a", "actual_start": 0, "actual_finish": 7}],
    }
    assert client.post(f"{url}/progress", json=report).status_code == 200

    assert forecast(client, project_id).status_code == 201  # the baseline

    reasons = client.get(f"{url}/health").json()["reasons"]
    assert not any("earlier status" in reason for reason in reasons)
