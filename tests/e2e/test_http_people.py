"""Absences and portfolio plans over HTTP."""

from __future__ import annotations

import copy
from typing import Any

import httpx

from tests.e2e.test_http_projects import LAUNCH, create


def test_an_absence_is_one_event_and_moves_the_plan(client: httpx.Client) -> None:
    project_id = create(client)["id"]
    url = f"/projects/{project_id}/resources/alice/absences"
    absence = {"start": "2027-01-04", "end": "2027-01-29", "reason": "vacation"}
    response = client.post(url, json=absence, headers={"If-Match": "1"})
    assert response.status_code == 201, response.text
    assert response.json() == {"id": "alice", "version": 2}
    document = client.get(f"/projects/{project_id}").json()
    alice = next(r for r in document["resources"] if r["id"] == "alice")
    assert alice["absences"] == [absence]
    events = client.get(f"/projects/{project_id}/events").json()
    assert events[-1]["type"] == "AbsenceRecorded"
    plan = client.post(f"/projects/{project_id}/plans", json={}).json()
    starts = {t["id"]: t for t in plan["tasks"]}
    assert starts["c"]["start"] >= 20  # only alice has backend 3; away 20 days
    assert starts["c"]["start_date"] >= "2027-02-01"


def test_a_bad_absence_is_422_naming_the_field(client: httpx.Client) -> None:
    project_id = create(client)["id"]
    url = f"/projects/{project_id}/resources/alice/absences"
    response = client.post(url, json={"start": "2027-02-05", "end": "2027-02-01"})
    assert response.status_code == 422
    assert "absence.end" in response.json()["detail"]
    missing = client.post(
        f"/projects/{project_id}/resources/nobody/absences",
        json={"start": "2027-02-01"},
    )
    assert missing.status_code == 404


def test_portfolio_plan_over_two_stored_projects(client: httpx.Client) -> None:
    first = create(client)["id"]
    second_doc: dict[str, Any] = copy.deepcopy(LAUNCH)
    second_doc["name"] = "Ops"
    second_doc["priority"] = 5
    second = create(client, second_doc)["id"]
    links = [
        {
            "from": {"project": second, "task": "c"},
            "to": {"project": first, "task": "c"},
        }
    ]
    body = {"project_ids": [first, second], "links": links, "time_limit": 5}
    response = client.post("/portfolio/plans", json=body)
    assert response.status_code == 200, response.text
    view = response.json()
    assert [p["name"] for p in view["projects"]] == ["Launch", "Ops"]
    tasks = {t["id"]: t for t in view["plan"]["tasks"]}
    assert tasks["Launch/c"]["start"] >= tasks["Ops/c"]["finish"]
    assert {row["project"] for row in view["load"]} == {"Launch", "Ops"}
    clash = client.post("/portfolio/plans", json={"project_ids": [first, first]})
    assert clash.status_code == 422
