"""Projects over HTTP: create, read past versions, edit with If-Match, audit."""

from __future__ import annotations

import copy
from typing import Any

import httpx

LAUNCH: dict[str, Any] = {
    "name": "Launch",
    "start": "2027-01-04",
    "deadline": 30,
    "resources": [
        {"id": "crane", "capacity": 1},
        {"id": "alice", "capacity": 1, "skills": {"backend": 3}},
        {"id": "bob", "capacity": 1, "skills": {"backend": 2}},
    ],
    "tasks": [
        {"id": "a", "duration": 10, "demands": {"crane": 1}},
        {
            "id": "b",
            "estimate": {
                "optimistic": 4,
                "most_likely": 6,
                "pessimistic": 12,
                "distribution": "pert",
            },
            "demands": {"crane": 1},
            "skills": {"backend": 2},
        },
        {"id": "c", "duration": 3, "skills": {"backend": 3}},
    ],
    "dependencies": [{"from": "a", "to": "c", "type": "FS", "lag": 0}],
    "risks": [{"id": "r1", "probability": 0.3, "tasks": ["b"], "impact": 5}],
}


def create(
    client: httpx.Client, document: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = client.post(
        "/projects", json=document or LAUNCH, headers={"X-Actor": "pat"}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_health(client: httpx.Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_create_and_read(client: httpx.Client) -> None:
    created = create(client)
    assert created["version"] == 1
    response = client.get(f"/projects/{created['id']}")
    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'
    body = response.json()
    assert [t["id"] for t in body["tasks"]] == ["a", "b", "c"]
    assert body["name"] == "Launch"


def test_invalid_document_is_422_naming_the_cycle(client: httpx.Client) -> None:
    document = copy.deepcopy(LAUNCH)
    document["dependencies"].append({"from": "c", "to": "a"})
    response = client.post("/projects", json=document)
    assert response.status_code == 422
    assert "cycle no schedule can keep" in response.json()["detail"]
    assert response.json()["detail"].endswith(": a -> c -> a")


def test_invalid_field_is_422_naming_the_field(client: httpx.Client) -> None:
    document = copy.deepcopy(LAUNCH)
    document["risks"][0]["probability"] = 1.3
    response = client.post("/projects", json=document)
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"field": "risks[r1].probability", "message": "must be within [0, 1], got 1.3"}
    ]


def test_malformed_json_is_422_not_500(client: httpx.Client) -> None:
    response = client.post(
        "/projects", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert "detail" in response.json()


def test_unknown_project_is_404(client: httpx.Client) -> None:
    response = client.get("/projects/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert client.get("/projects/not-a-uuid").status_code == 422


def test_edits_are_versioned_and_past_versions_readable(client: httpx.Client) -> None:
    project_id = create(client)["id"]
    added = client.post(
        f"/projects/{project_id}/tasks",
        json={"id": "d", "duration": 2},
        headers={"If-Match": '"1"'},
    )
    assert added.status_code == 201, added.text
    assert added.json()["version"] == 2
    updated = client.patch(f"/projects/{project_id}/tasks/d", json={"duration": 4})
    assert updated.json()["version"] == 3
    linked = client.post(
        f"/projects/{project_id}/dependencies",
        json={"from": "d", "to": "b", "type": "SS", "lag": -1},
    )
    assert linked.json() == {"id": "d->b", "version": 4}
    removed = client.delete(f"/projects/{project_id}/dependencies/d->b")
    assert removed.json()["version"] == 5

    past = client.get(f"/projects/{project_id}", params={"version": 1}).json()
    assert [t["id"] for t in past["tasks"]] == ["a", "b", "c"]
    middle = client.get(f"/projects/{project_id}", params={"version": 3}).json()
    assert {"id": "d", "duration": 4} in middle["tasks"]
    assert (
        client.get(f"/projects/{project_id}", params={"version": 9}).status_code == 404
    )


def test_stale_if_match_is_409_and_changes_nothing(client: httpx.Client) -> None:
    project_id = create(client)["id"]
    client.patch(f"/projects/{project_id}/tasks/a", json={"duration": 8})
    stale = client.patch(
        f"/projects/{project_id}/tasks/a",
        json={"duration": 99},
        headers={"If-Match": "1"},
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    now = client.get(f"/projects/{project_id}").json()
    assert now["version"] == 2
    assert now["tasks"][0]["duration"] == 8


def test_bad_edit_is_rejected_whole(client: httpx.Client) -> None:
    project_id = create(client)["id"]
    over = client.patch(
        f"/projects/{project_id}/tasks/a", json={"demands": {"crane": 2}}
    )
    assert over.status_code == 422
    assert (
        "tasks[a].demands.crane: 2 units exceed the capacity 1" in over.json()["detail"]
    )
    missing = client.patch(f"/projects/{project_id}/tasks/zz", json={"duration": 1})
    assert missing.status_code == 404
    assert client.get(f"/projects/{project_id}").json()["version"] == 1


def test_audit_trail_names_actor_and_type(client: httpx.Client) -> None:
    project_id = create(client)["id"]
    client.delete(f"/projects/{project_id}/risks/r1", headers={"X-Actor": "sam"})
    events = client.get(f"/projects/{project_id}/events").json()
    assert [(e["version"], e["type"], e["actor"]) for e in events] == [
        (1, "ProjectCreated", "test-admin on behalf of pat"),
        (2, "RiskRemoved", "test-admin on behalf of sam"),
    ]
    assert events[0]["timestamp"] <= events[1]["timestamp"]
