"""Portfolio plans that can be committed: `"record": true` records one plan
per project linked by a portfolio plan id; committing commits them all or
none; the members' roles decide who may read and commit."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.e2e.conftest import ClientMaker
from tests.e2e.test_http_bookings import (
    commit,
    propose,
    shared_person_project,
    weeks_of,
)
from tests.e2e.test_http_jobs import ASYNC, finished


def two_projects(client: httpx.Client, person: str) -> tuple[str, str]:
    first = client.post("/projects", json=shared_person_project("A", person))
    second = client.post("/projects", json=shared_person_project("B", person))
    assert first.status_code == second.status_code == 201
    return first.json()["id"], second.json()["id"]


def record(client: httpx.Client, *project_ids: str) -> dict[str, Any]:
    body = {"project_ids": list(project_ids), "time_limit": 2, "record": True}
    answer = client.post("/portfolio/plans", json=body)
    assert answer.status_code == 201, answer.text
    made: dict[str, Any] = answer.json()
    return made


def baseline_of(client: httpx.Client, project_id: str) -> Any:
    """The committed plan, None before any commit."""
    answer = client.get(f"/projects/{project_id}/baseline")
    assert answer.status_code == 200, answer.text
    return answer.json()["plan"]


def test_a_recorded_portfolio_plan_commits_every_project(client: httpx.Client) -> None:
    person = f"ann-{uuid.uuid4().hex[:8]}"
    first, second = two_projects(client, person)

    made = record(client, first, second)

    portfolio_id = made["portfolio_plan_id"]
    plans = {row["project_id"]: row["plan_id"] for row in made["projects"]}
    assert set(plans) == {first, second}
    recorded = client.get(f"/portfolio/plans/{portfolio_id}").json()
    assert recorded["status"] == "proposed"
    assert {m["plan_id"] for m in recorded["projects"]} == set(plans.values())
    starts = {
        project_id: client.get(f"/projects/{project_id}/plans/{plan_id}").json()[
            "starts"
        ]["work"]
        for project_id, plan_id in plans.items()
    }
    assert sorted(starts.values()) == [0, 5]  # one after the other: one ann

    committed = client.post(
        f"/portfolio/plans/{portfolio_id}/commit", headers={"X-Reason": "Q1 plan"}
    )

    assert committed.status_code == 200, committed.text
    assert committed.json()["status"] == "committed"
    for project_id, plan_id in plans.items():
        assert baseline_of(client, project_id)["id"] == plan_id
        trail = client.get(f"/projects/{project_id}/events").json()
        last = trail[-1]
        assert last["type"] == "PlanCommitted"
        assert last["reason"] == f"portfolio plan {portfolio_id}: Q1 plan"
    assert not any(week["overbooked"] for week in weeks_of(client, person))
    again = client.post(f"/portfolio/plans/{portfolio_id}/commit")
    assert again.status_code == 409
    assert "committed already" in again.json()["detail"]


def test_nothing_is_committed_when_one_project_moved(client: httpx.Client) -> None:
    first, second = two_projects(client, f"bob-{uuid.uuid4().hex[:8]}")
    made = record(client, first, second)
    change = client.patch(f"/projects/{second}/tasks/work", json={"duration": 7})
    assert change.status_code == 200, change.text

    answer = client.post(f"/portfolio/plans/{made['portfolio_plan_id']}/commit")

    assert answer.status_code == 409, answer.text
    assert answer.json()["projects"] == ["B"]
    assert "project B changed since its plan" in answer.json()["detail"]
    assert baseline_of(client, first) is None  # A's plan was fine: not committed
    assert baseline_of(client, second) is None
    status = client.get(f"/portfolio/plans/{made['portfolio_plan_id']}").json()
    assert status["status"] == "proposed"


def test_nothing_is_committed_when_a_plan_would_overbook_someone(
    client: httpx.Client,
) -> None:
    person = f"cid-{uuid.uuid4().hex[:8]}"
    first, second = two_projects(client, person)
    made = record(client, first, second)
    outsider = client.post("/projects", json=shared_person_project("C", person))
    outside_id = outsider.json()["id"]
    commit(client, outside_id, propose(client, outside_id)["id"])  # days 0-4

    answer = client.post(f"/portfolio/plans/{made['portfolio_plan_id']}/commit")

    assert answer.status_code == 409, answer.text
    clashing = [row["name"] for row in made["projects"] if row["finish"] == 5]
    assert answer.json()["projects"] == clashing  # the one planned on days 0-4
    assert "committed work in other projects" in answer.json()["detail"]
    assert baseline_of(client, first) is None
    assert baseline_of(client, second) is None


def test_a_portfolio_plan_leaves_work_committed_elsewhere_free(
    client: httpx.Client,
) -> None:
    person = f"dan-{uuid.uuid4().hex[:8]}"
    outsider = client.post("/projects", json=shared_person_project("C", person))
    outside_id = outsider.json()["id"]
    commit(client, outside_id, propose(client, outside_id)["id"])  # days 0-4
    first, second = two_projects(client, person)

    made = record(client, first, second)
    answer = client.post(f"/portfolio/plans/{made['portfolio_plan_id']}/commit")

    assert answer.status_code == 200, answer.text
    assert sorted(row["finish"] for row in made["projects"]) == [10, 15]
    assert not any(week["overbooked"] for week in weeks_of(client, person))


def test_recording_as_a_job(client: httpx.Client) -> None:
    first, second = two_projects(client, f"eve-{uuid.uuid4().hex[:8]}")
    body = {"project_ids": [first, second], "time_limit": 2, "record": True}

    accepted = client.post("/portfolio/plans", json=body, headers=ASYNC)

    assert accepted.status_code == 202, accepted.text
    job = finished(client, accepted.headers["Location"])
    assert job["status"] == "succeeded", job
    result = client.get(f"/jobs/{job['id']}/result").json()
    assert job["links"]["result"] == f"/portfolio/plans/{result['portfolio_plan_id']}"
    assert client.get(job["links"]["result"]).json()["status"] == "proposed"


def test_a_retried_commit_answers_the_same(client: httpx.Client) -> None:
    first, second = two_projects(client, f"fay-{uuid.uuid4().hex[:8]}")
    url = f"/portfolio/plans/{record(client, first, second)['portfolio_plan_id']}"
    key = {"Idempotency-Key": uuid.uuid4().hex}

    once = client.post(f"{url}/commit", headers=key)
    twice = client.post(f"{url}/commit", headers=key)

    assert once.status_code == twice.status_code == 200, twice.text
    assert once.json() == twice.json()
    versions = client.get(f"/projects/{first}/events").json()
    assert [e["type"] for e in versions].count("PlanCommitted") == 1


def test_every_member_decides_who_may_see_and_commit(
    client: httpx.Client, client_as: ClientMaker
) -> None:
    first, second = two_projects(client, f"gus-{uuid.uuid4().hex[:8]}")
    url = f"/portfolio/plans/{record(client, first, second)['portfolio_plan_id']}"
    planner = client_as("planner", first)
    name = planner.get("/auth/session").json()["principal"]
    body = {"project_ids": [first, second], "record": True, "time_limit": 1}

    assert planner.get(url).status_code == 404  # no role on B: hidden
    assert planner.post(f"{url}/commit").status_code == 404
    assert planner.post("/portfolio/plans", json=body).status_code == 404
    granted = client.put(f"/projects/{second}/members/{name}", json={"role": "viewer"})
    assert granted.status_code == 200, granted.text
    assert planner.get(url).status_code == 200
    assert planner.post(f"{url}/commit").status_code == 403  # viewer on B
    assert planner.post("/portfolio/plans", json=body).status_code == 403
    assert baseline_of(client, first) is None
    client.put(f"/projects/{second}/members/{name}", json={"role": "planner"})
    assert planner.post(f"{url}/commit").status_code == 200


def test_an_unknown_portfolio_plan_is_not_found(client: httpx.Client) -> None:
    answer = client.get(f"/portfolio/plans/{uuid.uuid4()}")
    assert answer.status_code == 404
    assert client.post(f"/portfolio/plans/{uuid.uuid4()}/commit").status_code == 404


def milestone_project(name: str, honours: bool, must_finish: int) -> dict[str, Any]:
    """A milestone that must finish on `must_finish` behind 5 days of work."""
    return {
        "name": name,
        "start": "2027-01-04",
        "constraints_over_links": honours,
        "tasks": [
            {"id": "a", "duration": 5},
            {
                "id": "m",
                "duration": 0,
                "constraint": {"type": "MFO", "day": must_finish},
            },
        ],
        "dependencies": [{"from": "a", "to": "m"}],
    }


def test_a_project_honouring_its_dates_keeps_them_in_a_portfolio(
    client: httpx.Client,
) -> None:
    honours = client.post("/projects", json=milestone_project("ms", True, 3))
    other = client.post("/projects", json=shared_person_project("own", "bo"))
    assert honours.status_code == other.status_code == 201
    made = record(client, honours.json()["id"], other.json()["id"])
    plan_id = {row["project_id"]: row["plan_id"] for row in made["projects"]}[
        honours.json()["id"]
    ]
    plan = client.get(f"/projects/{honours.json()['id']}/plans/{plan_id}").json()
    assert plan["starts"]["m"] == 3
    assert [w.split(":")[0] for w in plan["warnings"]] == [
        "link a->m (FS, lag 0) is not kept by 2 days"
    ]


def test_a_portfolio_without_a_plan_is_an_answer_not_an_error(
    client: httpx.Client,
) -> None:
    late = client.post("/projects", json=milestone_project("late", False, 3))
    other = client.post("/projects", json=shared_person_project("own", "cy"))
    ids = [late.json()["id"], other.json()["id"]]
    answer = client.post("/portfolio/plans", json={"project_ids": ids, "time_limit": 2})
    assert answer.status_code == 200, answer.text
    assert answer.json()["plan"]["status"] == "infeasible"
    recorded = client.post(
        "/portfolio/plans", json={"project_ids": ids, "time_limit": 2, "record": True}
    )
    assert recorded.status_code == 422, recorded.text
    assert "no plan to record" in recorded.text
