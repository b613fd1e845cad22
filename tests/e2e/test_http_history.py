"""Over HTTP: idempotent retries, batch changes, as-of reads, diffs, audit
queries, portfolio and resource load."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.e2e.test_http_projects import LAUNCH


def new_project(client: httpx.Client, **headers: str) -> dict[str, Any]:
    response = client.post("/projects", json=LAUNCH, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_retried_request_gets_the_first_answer(client: httpx.Client) -> None:
    key = {"Idempotency-Key": f"create-{time.time_ns()}"}
    first = new_project(client, **key)
    again = new_project(client, **key)
    edit = {"Idempotency-Key": f"edit-{time.time_ns()}"}
    url = f"/projects/{first['id']}/tasks/a"
    changed = client.patch(url, json={"duration": 11}, headers=edit)
    retried = client.patch(url, json={"duration": 11}, headers=edit)
    other = client.patch(url, json={"duration": 12}, headers=edit)

    assert again == first
    assert changed.json() == retried.json() == {"id": "a", "version": 2}
    assert other.status_code == 422
    assert "different request" in other.json()["detail"]
    assert len(client.get(f"/projects/{first['id']}/events").json()) == 2


def test_a_batch_import_is_one_atomic_write(client: httpx.Client) -> None:
    project = new_project(client)
    url = f"/projects/{project['id']}/changes"
    tasks = [{"action": "add_task", "id": f"t{n}", "duration": 1} for n in range(200)]
    bad = [*tasks[:5], {"action": "remove_task", "id": "nope"}]

    refused = client.post(url, json={"changes": bad})
    imported = client.post(
        url, json={"changes": tasks, "reason": "import"}, headers={"X-Actor": "pat"}
    )

    assert refused.status_code == 422
    assert "changes[5].id" in refused.json()["detail"]
    assert imported.json() == {"id": project["id"], "version": 201, "applied": 200}
    pat = "test-admin on behalf of pat"
    trail = client.get(
        f"/projects/{project['id']}/events", params={"actor": pat, "limit": 3}
    )
    events = trail.json()
    assert [(e["version"], e["reason"]) for e in events] == [
        (2, "import"),
        (3, "import"),
        (4, "import"),
    ]


def test_as_of_and_diff(client: httpx.Client) -> None:
    project = new_project(client)
    url = f"/projects/{project['id']}"
    moment = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    client.delete(f"{url}/tasks/c", headers={"X-Reason": "descoped"})

    then = client.get(url, params={"as_of": moment}).json()
    diff = client.get(f"{url}/diff", params={"from": 1, "to": 2}).json()
    trail = client.get(f"{url}/events", params={"task": "c"}).json()

    assert then["version"] == 1
    assert [t["id"] for t in then["tasks"]] == ["a", "b", "c"]
    assert [t["id"] for t in diff["tasks"]["removed"]] == ["c"]
    assert [d["to"] for d in diff["dependencies"]["removed"]] == ["c"]
    assert [(e["type"], e["reason"]) for e in trail] == [("TaskRemoved", "descoped")]
    baseline = client.get(f"{url}/baseline", params={"as_of": moment}).json()
    assert baseline == {"version": 1, "plan": None, "forecast": None}


def test_portfolio_resource_load_and_store_wide_events(client: httpx.Client) -> None:
    actor = f"pmo-{time.time_ns()}"
    project = new_project(client, **{"X-Actor": actor})
    url = f"/projects/{project['id']}"
    plan = client.post(f"{url}/plans", json={"time_limit": 5}).json()
    client.post(f"{url}/plans/{plan['id']}/commit", headers={"X-Actor": actor})
    client.post(f"{url}/forecasts", json={"samples": 500, "seed": 1})

    rows = {r["id"]: r for r in client.get("/portfolio").json()}
    load = client.get("/resources/load").json()
    recorded = f"test-admin on behalf of {actor}"
    page = client.get("/events", params={"actor": recorded}).json()

    row = rows[project["id"]]
    assert row["committed_makespan"] == plan["makespan"]
    assert row["latest_p80"] >= plan["makespan"] * 0.5
    assert row["status"] in ("committed", "at_risk")
    assigned = {p for t in plan["tasks"] for p in t["assignees"]}
    assert assigned <= set(load)
    assert [e["type"] for e in page["events"]] == ["ProjectCreated", "PlanCommitted"]
    assert page["next_after"] > 0
