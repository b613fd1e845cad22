"""Why it moved: two plans of a project compared, each moved task with its
cause in words."""

from __future__ import annotations

import uuid
from typing import Any

import httpx


def document() -> dict[str, Any]:
    ann = f"ann-{uuid.uuid4().hex[:8]}"
    return {
        "name": "moves",
        "start": "2027-01-04",
        "resources": [{"id": ann, "skills": {"qa": 1}}],
        "tasks": [
            {"id": "design", "duration": 14},
            {"id": "build", "duration": 5},
            {"id": "test", "duration": 3, "skills": {"qa": 1}},
            {"id": "docs", "duration": 2, "skills": {"qa": 1}},
        ],
        "dependencies": [
            {"from": "design", "to": "build"},
            {"from": "build", "to": "test"},
        ],
    }


def test_compare_names_the_predecessor_and_its_new_duration(
    client: httpx.Client,
) -> None:
    project_id = client.post("/projects", json=document()).json()["id"]
    url = f"/projects/{project_id}"
    first = client.post(f"{url}/plans", json={"time_limit": 2}).json()
    client.patch(f"{url}/tasks/design", json={"duration": 18})
    second = client.post(f"{url}/plans", json={"time_limit": 2}).json()

    answer = client.get(
        f"{url}/plans/{second['id']}/compare", params={"with": first["id"]}
    )

    assert answer.status_code == 200, answer.text
    moved = {m["task"]: m for m in answer.json()["moved"]}
    assert moved["build"]["days"] == 4
    assert moved["build"]["cause"] == (
        "predecessor 'design' now finishes on day 18, was 14: "
        "its duration went 14 -> 18"
    )
    assert moved["test"]["cause"].startswith("predecessor 'build' now finishes")


def test_an_unknown_plan_is_404(client: httpx.Client) -> None:
    project_id = client.post("/projects", json=document()).json()["id"]
    plan = client.post(f"/projects/{project_id}/plans", json={"time_limit": 2})
    other = "00000000-0000-4000-8000-000000000000"

    answer = client.get(
        f"/projects/{project_id}/plans/{plan.json()['id']}/compare",
        params={"with": other},
    )

    assert answer.status_code == 404
