"""The served spec declares the 422 the service really sends."""

from __future__ import annotations

import httpx


def test_the_declared_422_is_the_one_sent(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    declared = schemas["HTTPValidationError"]
    assert set(declared["required"]) == {"detail", "problems"}
    assert declared["properties"]["detail"]["type"] == "string"
    problem = schemas["ProblemOut"]
    assert set(problem["required"]) == {"field", "message"}
    plans = spec["paths"]["/projects/{project_id}/plans"]["post"]["responses"]
    assert plans["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/HTTPValidationError"
    }

    project = client.post("/projects", json={"name": "x", "tasks": []}).json()
    sent = client.post(f"/projects/{project['id']}/plans", json={"time_limit": -1})
    assert sent.status_code == 422
    body = sent.json()
    assert set(body) == {"detail", "problems"}
    assert all(set(p) == {"field", "message"} for p in body["problems"])
    assert body["problems"][0]["field"] == "body.time_limit"
