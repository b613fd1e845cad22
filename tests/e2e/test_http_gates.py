"""Stage gates over HTTP: templates, approval, and work held behind a gate."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.conftest import ClientMaker

STAGES: dict[str, Any] = {
    "name": "Stage-gate product",
    "tasks": [
        {"id": "design", "duration": 5},
        {"id": "design_review", "duration": 0, "gate": True},
        {"id": "build", "duration": 10},
        {"id": "launch_review", "duration": 0, "gate": True},
        {"id": "launch", "duration": 3},
    ],
    "dependencies": [
        {"from": "design", "to": "design_review"},
        {"from": "design_review", "to": "build"},
        {"from": "build", "to": "launch_review"},
        {"from": "launch_review", "to": "launch"},
    ],
}


def from_template(client: httpx.Client) -> str:
    response = client.post("/templates", json=STAGES)
    assert response.status_code == 201, response.text
    template = response.json()
    assert template["gates"] == ["design_review", "launch_review"]
    response = client.post(
        "/projects",
        json={"template": template["id"], "name": "Alpha", "start": "2027-01-04"},
    )
    assert response.status_code == 201, response.text
    project: dict[str, Any] = response.json()
    assert (project["name"], project["start"]) == ("Alpha", "2027-01-04")
    assert project["tasks"][1]["gate"] is True
    return str(project["id"])


def test_work_waits_for_its_gate(client: httpx.Client) -> None:
    project_id = from_template(client)
    url = f"/projects/{project_id}"
    early = client.post(
        f"{url}/progress",
        json={"status_date": 6, "reports": [{"task": "build", "actual_start": 5}]},
    )
    assert early.status_code == 409
    assert "behind the stage gate 'design_review'" in early.json()["detail"]
    refused = client.post(f"{url}/gates/design_review/approve", json={})
    assert refused.status_code == 409
    assert "its stage is unfinished (design)" in refused.json()["detail"]
    done = {
        "status_date": 7,
        "reports": [{"task": "design", "actual_start": 0, "actual_finish": 5}],
    }
    assert client.post(f"{url}/progress", json=done).status_code == 200
    approved = client.post(
        f"{url}/gates/design_review/approve", json={"reason": "design signed off"}
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["approved_at"] == 7
    trail = client.get(f"{url}/events").json()
    assert trail[-1]["type"] == "GateApproved"
    assert trail[-1]["reason"] == "design signed off"
    again = client.post(f"{url}/gates/design_review/approve", json={})
    assert again.status_code == 409
    plan = client.post(f"{url}/plans", json={}).json()
    spans = {t["id"]: (t["start"], t["finish"]) for t in plan["tasks"]}
    assert spans["build"] == (7, 17)  # after the approval, not after design
    assert spans["launch"] == (17, 20)
    started = client.post(
        f"{url}/progress", json={"reports": [{"task": "build", "actual_start": 7}]}
    )
    assert started.status_code == 422  # day 7 is not before the status time 7
    started = client.post(
        f"{url}/progress",
        json={"status_date": 8, "reports": [{"task": "build", "actual_start": 7}]},
    )
    assert started.status_code == 200, started.text


def test_a_gate_is_not_reported_and_unknown_gates_are_named(
    client: httpx.Client, client_as: ClientMaker
) -> None:
    project_id = from_template(client)
    url = f"/projects/{project_id}"
    as_report = client.patch(
        f"{url}/tasks/design_review", json={"actual_start": 0, "actual_finish": 0}
    )
    assert as_report.status_code == 409
    assert "approving it" in as_report.json()["detail"]
    assert client.post(f"{url}/gates/nope/approve", json={}).status_code == 404
    not_gate = client.post(f"{url}/gates/design/approve", json={})
    assert not_gate.status_code == 422
    contributor = client_as("contributor", project_id)
    assert contributor.post(f"{url}/gates/design_review/approve").status_code == 403
    template = client.post("/templates", json={"name": "x", "tasks": "no"})
    assert template.status_code == 422
    unknown = client.post("/projects", json={"template": "not-an-id"})
    assert unknown.status_code == 422
