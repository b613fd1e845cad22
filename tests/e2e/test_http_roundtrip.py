"""The JSON document of a project posts back unchanged, new fields included;
plans show summary tasks with their rolled-up spans."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.test_http_projects import LAUNCH, create

OUTLINE: dict[str, Any] = {
    "name": "Outline",
    "start": "2027-01-04",
    "resources": [{"id": "ann", "capacity": 1}],
    "tasks": [
        {"id": "build", "notes": "phase 1"},
        {"id": "frame", "parent": "build", "duration": 3, "demands": {"ann": 0.5}},
        {
            "id": "roof",
            "parent": "build",
            "duration": 2,
            "demands": {"ann": 0.5},
            "constraint": {"type": "SNET", "day": 1},
            "custom": {"Text1": "north"},
        },
        {"id": "paint", "duration": 1},
    ],
    "dependencies": [
        {"from": "frame", "to": "roof", "type": "SS", "lag": 0},
        {"from": "frame", "to": "roof", "type": "FF", "lag": 0},
        {"from": "build", "to": "paint"},
    ],
}


def read_back(client: httpx.Client, document: dict[str, Any]) -> dict[str, Any]:
    created = create(client, document)
    response = client.get(f"/projects/{created['id']}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def without_identity(body: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v for k, v in body.items() if k not in ("id", "version", "committed_plan_id")
    }


def test_exported_documents_post_back_unchanged(client: httpx.Client) -> None:
    for document in (LAUNCH, OUTLINE):
        first = read_back(client, document)
        second = read_back(client, first)
        assert second["id"] != first["id"]
        assert without_identity(second) == without_identity(first)


def test_a_plan_rolls_summary_tasks_up(client: httpx.Client) -> None:
    created = create(client, OUTLINE)
    response = client.post(f"/projects/{created['id']}/plans", json={})
    assert response.status_code == 201, response.text
    plan = response.json()
    spans = {t["id"]: (t["start"], t["finish"]) for t in plan["tasks"]}
    assert spans == {"frame": (0, 3), "roof": (1, 3), "paint": (3, 4)}
    held = {t["id"]: t.get("resources") for t in plan["tasks"]}
    assert held == {"frame": {"ann": 0.5}, "roof": {"ann": 0.5}, "paint": None}
    assert plan["summaries"] == [
        {
            "id": "build",
            "start": 0,
            "finish": 3,
            "start_date": "2027-01-04",
            "finish_date": "2027-01-06",
        }
    ]
