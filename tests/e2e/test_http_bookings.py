"""People shared across projects: a plan leaves their committed work in other
projects free, and the weekly load marks the weeks plans overbook them."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from domain.access import Role
from tests.e2e.conftest import ClientMaker
from tests.e2e.test_http_projects import LAUNCH


def shared_person_project(name: str, person: str) -> dict[str, Any]:
    return {
        "name": name,
        "start": "2027-01-04",
        "resources": [{"id": person, "capacity": 1, "skills": {"build": 1}}],
        "tasks": [{"id": "work", "duration": 5, "skills": {"build": 1}}],
    }


def propose(client: httpx.Client, project_id: str) -> dict[str, Any]:
    answer = client.post(f"/projects/{project_id}/plans", json={"time_limit": 2})
    assert answer.status_code == 201, answer.text
    plan: dict[str, Any] = answer.json()
    return plan


def commit(client: httpx.Client, project_id: str, plan_id: str) -> None:
    answer = client.post(f"/projects/{project_id}/plans/{plan_id}/commit")
    assert answer.status_code == 200, answer.text


def weeks_of(client: httpx.Client, person: str) -> list[dict[str, Any]]:
    answer = client.get("/resources/load/weeks")
    assert answer.status_code == 200, answer.text
    return [row for row in answer.json() if row["person"] == person]


def test_plans_committed_one_by_one_never_overbook(client: httpx.Client) -> None:
    person = f"ann-{uuid.uuid4().hex[:8]}"
    first = client.post("/projects", json=shared_person_project("A", person)).json()
    second = client.post("/projects", json=shared_person_project("B", person)).json()

    plan_a = propose(client, first["id"])
    commit(client, first["id"], plan_a["id"])
    plan_b = propose(client, second["id"])
    commit(client, second["id"], plan_b["id"])

    assert plan_a["starts"] == {"work": 0}
    assert plan_b["starts"] == {"work": 5}  # after ann's week in project A
    assert [
        (r["week"], r["days"], r["overbooked"]) for r in weeks_of(client, person)
    ] == [
        ("2027-W01", 5, False),
        ("2027-W02", 5, False),
    ]


def test_plans_made_side_by_side_show_the_overbooked_week(
    client: httpx.Client,
) -> None:
    person = f"bob-{uuid.uuid4().hex[:8]}"
    first = client.post("/projects", json=shared_person_project("A", person)).json()
    second = client.post("/projects", json=shared_person_project("B", person)).json()

    plan_a = propose(client, first["id"])
    plan_b = propose(client, second["id"])  # A is not committed yet
    commit(client, first["id"], plan_a["id"])
    commit(client, second["id"], plan_b["id"])

    (week,) = weeks_of(client, person)
    assert (week["week"], week["days"], week["overbooked"]) == ("2027-W01", 10, True)
    assert week["overbooked_dates"] == [
        "2027-01-04",
        "2027-01-05",
        "2027-01-06",
        "2027-01-07",
        "2027-01-08",
    ]


def test_a_principal_with_project_grants_sees_the_load_of_those_projects_only(
    client: httpx.Client, client_as: ClientMaker
) -> None:
    """Two committed projects book the same person in the same week: an
    organisation viewer sees both (overbooked); a viewer of one project sees
    that project's days, not overbooked (the other plan is not shown), and a
    principal granted nothing sees nobody."""
    person = f"cy-{uuid.uuid4().hex[:8]}"
    first = client.post("/projects", json=shared_person_project("A", person)).json()
    second = client.post("/projects", json=shared_person_project("B", person)).json()
    plan_a, plan_b = propose(client, first["id"]), propose(client, second["id"])
    commit(client, first["id"], plan_a["id"])
    commit(client, second["id"], plan_b["id"])
    everyone = client_as(Role.VIEWER)
    one_project = client_as(Role.VIEWER, first["id"])
    elsewhere = client_as(
        Role.VIEWER, client.post("/projects", json=LAUNCH).json()["id"]
    )

    def seen(http: httpx.Client) -> tuple[list[tuple[str, int, bool]], dict[str, Any]]:
        weeks = [
            (r["week"], r["days"], r["overbooked"]) for r in weeks_of(http, person)
        ]
        load = http.get("/resources/load")
        assert load.status_code == 200, load.text
        return weeks, load.json().get(person, {})

    assert seen(everyone) == ([("2027-W01", 10, True)], {"2027-W01": 10})
    assert seen(one_project) == ([("2027-W01", 5, False)], {"2027-W01": 5})
    assert seen(elsewhere) == ([], {})
