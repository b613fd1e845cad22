"""Task calendars and ALAP over HTTP: the document takes them, plans keep them."""

from __future__ import annotations

import httpx

DOCUMENT = {
    "name": "calendars",
    "start": "2027-01-04",
    "tasks": [
        {"id": "a", "duration": 5, "calendar": {"workdays": ["Mon", "Wed", "Fri"]}},
        {"id": "b", "duration": 2, "constraint": {"type": "ALAP"}},
        {"id": "c", "duration": 1},
    ],
    "dependencies": [{"from": "a", "to": "c"}, {"from": "b", "to": "c"}],
}


def test_a_task_calendar_and_alap_over_http(client: httpx.Client) -> None:
    created = client.post("/projects", json=DOCUMENT)
    assert created.status_code == 201, created.text
    project_id = created.json()["id"]

    plan = client.post(f"/projects/{project_id}/plans", json={"time_limit": 5})

    assert plan.status_code == 201, plan.text
    tasks = {t["id"]: (t["start"], t["finish"]) for t in plan.json()["tasks"]}
    assert tasks == {"a": (0, 8), "b": (6, 8), "c": (8, 9)}
    document = client.get(f"/projects/{project_id}").json()
    calendars = {t["id"]: t.get("calendar") for t in document["tasks"]}
    assert calendars["a"]["workdays"] == ["Mon", "Wed", "Fri"]
