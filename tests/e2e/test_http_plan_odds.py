"""`objective: p80` on a plan request: the candidates in the answer, recorded."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.e2e.test_http_projects import create


def risky_first() -> dict[str, Any]:
    """The shortest plan puts `build` behind a long-tailed task (see
    tests/integration/test_plan_odds.py); people of its own, so bookings in
    other projects of the module's store do not reach it."""
    alice, bob = (f"{name}-{uuid.uuid4().hex[:6]}" for name in ("alice", "bob"))
    tail = {"optimistic": 1, "most_likely": 2, "pessimistic": 20}
    return {
        "name": "risky first",
        "deadline": 14,
        "resources": [
            {"id": alice, "capacity": 1, "skills": {"r": 1, "s": 1}},
            {"id": bob, "capacity": 1, "skills": {"x": 1, "s": 1}},
        ],
        "tasks": [
            {
                "id": "prototype",
                "estimate": {**tail, "distribution": "triangular"},
                "skills": {"r": 1},
            },
            {"id": "setup", "duration": 3, "skills": {"x": 1}},
            {"id": "build", "duration": 10, "skills": {"s": 1}},
        ],
    }


def test_p80_plan_lists_its_candidates_and_keeps_them(client: httpx.Client) -> None:
    project_id = create(client, risky_first())["id"]
    body = {"time_limit": 6, "objective": "p80", "odds_samples": 2000}
    response = client.post(f"/projects/{project_id}/plans", json=body)
    assert response.status_code == 201, response.text
    plan = response.json()
    assert plan["objective"]["name"] == "p80"
    assert plan["makespan"] == 13
    candidates = plan["candidates"]
    assert candidates[0]["source"] == "makespan plan"
    assert candidates[0]["makespan"] == 12
    chosen = [c for c in candidates if c["chosen"]]
    assert len(chosen) == 1
    assert chosen[0]["p80"] < candidates[0]["p80"]
    again = client.get(f"/projects/{project_id}/plans/{plan['id']}").json()
    assert again["candidates"] == candidates


def test_p_deadline_needs_a_deadline(client: httpx.Client) -> None:
    document = risky_first()
    del document["deadline"]
    project_id = create(client, document)["id"]
    body = {"time_limit": 2, "objective": "p_deadline"}
    response = client.post(f"/projects/{project_id}/plans", json=body)
    assert response.status_code == 422
    assert "objective" in response.text
