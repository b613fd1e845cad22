"""Sign-in over HTTP: who is recorded, who sees what, sessions and CSRF,
cross-site requests, tokens and members (issue 12's reports, reproduced)."""

from __future__ import annotations

import httpx

from tests.e2e.conftest import ClientMaker, TokenMaker
from tests.e2e.test_http_projects import LAUNCH, create


def trail(client: httpx.Client, project_id: str) -> list[tuple[str, str | None]]:
    events = client.get(f"/projects/{project_id}/events").json()
    return [(e["actor"], e["reason"]) for e in events]


def test_every_route_but_health_needs_a_credential(base_url: str) -> None:
    with httpx.Client(base_url=base_url) as anonymous:
        assert anonymous.get("/health").status_code == 200
        assert anonymous.get("/openapi.json").status_code == 200
        refused = anonymous.get("/projects")
        wrong = anonymous.get("/projects", headers={"Authorization": "Bearer pf_x"})
    assert refused.status_code == wrong.status_code == 401
    assert refused.headers["WWW-Authenticate"] == "Bearer"


def test_the_actor_is_the_token_and_x_actor_needs_a_planner(
    client: httpx.Client, tokens: TokenMaker, base_url: str
) -> None:
    project_id = create(client, LAUNCH)["id"]
    url = f"/projects/{project_id}/tasks/a"
    spoof = {"X-Actor": "ceo@corp", "X-Reason": "approved by board"}
    contributor = tokens("contributor", project_id, name="dev-kim")
    planner = tokens("planner", project_id, name="pm-sync")
    with httpx.Client(base_url=base_url) as http:
        as_kim = {"Authorization": f"Bearer {contributor}"}
        refused = http.patch(url, json={"duration": 4}, headers={**as_kim, **spoof})
        plain = http.patch(url, json={"duration": 5}, headers=as_kim)
        on_behalf = http.patch(
            url,
            json={"duration": 6},
            headers={"Authorization": f"Bearer {planner}", **spoof},
        )
    assert refused.status_code == 403
    assert "X-Actor" in refused.json()["detail"]
    assert plain.status_code == on_behalf.status_code == 200
    assert trail(client, project_id)[1:] == [
        ("dev-kim", None),
        ("pm-sync on behalf of ceo@corp", "approved by board"),
    ]


def test_utf8_headers_are_stored_as_sent(client: httpx.Client) -> None:
    project_id = create(client, LAUNCH)["id"]
    headers = {
        "X-Actor": "Zoë Müller".encode(),
        "X-Reason": "Änderung: ½ Tag".encode(),
    }
    response = client.patch(
        f"/projects/{project_id}/tasks/a", json={"duration": 4}, headers=headers
    )
    garbled = client.patch(
        f"/projects/{project_id}/tasks/a",
        json={"duration": 5},
        headers={"X-Reason": b"\xff\xfe"},
    )
    assert response.status_code == 200, response.text
    assert trail(client, project_id)[-1] == (
        "test-admin on behalf of Zoë Müller",
        "Änderung: ½ Tag",
    )
    assert garbled.status_code == 422
    assert "X-Reason" in garbled.json()["detail"]


def test_a_cross_site_request_changes_nothing(client: httpx.Client) -> None:
    project_id = create(client, LAUNCH)["id"]
    plan = client.post(f"/projects/{project_id}/plans", json={"time_limit": 2}).json()
    evil = {"Origin": "https://evil.example"}
    commit = client.post(
        f"/projects/{project_id}/plans/{plan['id']}/commit", headers=evil
    )
    own = {"Origin": str(client.base_url).rstrip("/")}
    read = client.get(f"/projects/{project_id}", headers=evil)
    assert commit.status_code == 403
    assert "Origin" in commit.json()["detail"]
    assert read.status_code == 200
    assert read.json()["committed_plan_id"] is None
    committed = client.post(
        f"/projects/{project_id}/plans/{plan['id']}/commit", headers=own
    )
    assert committed.status_code == 200


def test_a_session_cookie_needs_the_csrf_token_to_change(
    client: httpx.Client, tokens: TokenMaker, base_url: str
) -> None:
    project_id = create(client, LAUNCH)["id"]
    secret = tokens("contributor", project_id, name="browser-ann")
    with httpx.Client(base_url=base_url) as browser:
        signed_in = browser.post("/auth/session", json={"token": secret})
        cookie = signed_in.headers["set-cookie"].lower()
        csrf = signed_in.json()["csrf_token"]
        read = browser.get(f"/projects/{project_id}")
        url = f"/projects/{project_id}/tasks/a"
        forged = browser.patch(url, json={"duration": 7})
        made = browser.patch(url, json={"duration": 7}, headers={"X-CSRF-Token": csrf})
        me = browser.get("/auth/session").json()
        out = browser.request("DELETE", "/auth/session", headers={"X-CSRF-Token": csrf})
        after = browser.get(f"/projects/{project_id}")
    assert signed_in.status_code == 200
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert read.status_code == 200
    assert forged.status_code == 403
    assert made.status_code == 200
    assert trail(client, project_id)[-1] == ("browser-ann", None)
    assert (me["principal"], me["csrf_token"]) == ("browser-ann", csrf)
    assert me["project_roles"] == {project_id: "contributor"}
    assert out.status_code == 204
    assert after.status_code == 401


def test_a_principal_sees_only_its_projects(
    client: httpx.Client, client_as: ClientMaker
) -> None:
    mine, theirs = create(client, LAUNCH)["id"], create(client, LAUNCH)["id"]
    viewer = client_as("viewer", mine)
    listed = {p["id"] for p in viewer.get("/projects").json()}
    portfolio = {p["id"] for p in viewer.get("/portfolio").json()}
    assert mine in listed
    assert theirs not in listed
    assert portfolio <= listed
    assert viewer.get(f"/projects/{theirs}").status_code == 404
    assert viewer.get("/events").status_code == 403
    together = viewer.post(
        "/portfolio/plans", json={"project_ids": [mine, theirs], "time_limit": 1}
    )
    assert together.status_code == 404
    assert client.get("/events", params={"limit": 1}).status_code == 200


def test_a_contributor_sends_task_batches_and_a_planner_the_rest(
    client: httpx.Client, client_as: ClientMaker
) -> None:
    project_id = create(client, LAUNCH)["id"]
    url = f"/projects/{project_id}/changes"
    contributor = client_as("contributor", project_id)
    planner = client_as("planner", project_id)
    tasks_only = [
        {"action": "update_task", "id": "a", "duration": 4, "notes": "vendor late"},
        {"action": "add_task", "id": "d", "duration": 1},
    ]
    with_a_link = [
        {"action": "update_task", "id": "b", "duration": 2},
        {"action": "add_dependency", "from": "d", "to": "b"},
    ]

    done = contributor.post(url, json={"changes": tasks_only})
    refused = contributor.post(url, json={"changes": with_a_link})
    version_after_refusal = client.get(f"/projects/{project_id}").json()["version"]
    planned = planner.post(url, json={"changes": with_a_link})

    assert done.status_code == 200, done.text
    assert done.json()["applied"] == 2
    assert refused.status_code == 403
    assert "changes[1] (add_dependency)" in refused.json()["detail"]
    assert "needs planner" in refused.json()["detail"]
    assert version_after_refusal == done.json()["version"]  # nothing of it applied
    assert planned.status_code == 200, planned.text
    assert (
        client_as("viewer", project_id)
        .post(url, json={"changes": tasks_only})
        .status_code
        == 403
    )


def test_members_and_tokens_over_http(
    client: httpx.Client, base_url: str, client_as: ClientMaker
) -> None:
    project_id = create(client, LAUNCH)["id"]
    made = client.post("/tokens", json={"name": "ops-bot", "role": "viewer"})
    assert made.status_code == 201, made.text
    secret = made.json()["token"]
    listed = client.get("/tokens").json()
    assert {"name": "ops-bot", "role": "viewer", "project_id": None}.items() <= next(
        t for t in listed if t["name"] == "ops-bot"
    ).items()
    assert all("token" not in t for t in listed)

    bot = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {secret}"})
    url = f"/projects/{project_id}/tasks/a"
    assert bot.patch(url, json={"duration": 2}).status_code == 403
    planner = client_as("planner", project_id)
    granted = planner.put(
        f"/projects/{project_id}/members/ops-bot", json={"role": "contributor"}
    )
    too_much = planner.put(
        f"/projects/{project_id}/members/ops-bot", json={"role": "admin"}
    )
    assert granted.status_code == 200, granted.text
    assert too_much.status_code == 403
    assert bot.patch(url, json={"duration": 2}).status_code == 200
    members = client.get(f"/projects/{project_id}/members").json()
    assert {"principal": "ops-bot", "role": "contributor"}.items() <= members[
        [m["principal"] for m in members].index("ops-bot")
    ].items()
    removed = planner.delete(f"/projects/{project_id}/members/ops-bot")
    assert removed.status_code == 204
    assert bot.patch(url, json={"duration": 3}).status_code == 403
    assert client.delete("/tokens/ops-bot").status_code == 204
    assert bot.get("/projects").status_code == 401
    bot.close()


def test_idempotency_keys_belong_to_their_principal(
    client: httpx.Client, client_as: ClientMaker
) -> None:
    project_id = create(client, LAUNCH)["id"]
    other = client_as("contributor", project_id)
    key = {"Idempotency-Key": "same-key"}
    url = f"/projects/{project_id}/tasks/a"
    first = client.patch(url, json={"duration": 4}, headers=key)
    second = other.patch(url, json={"duration": 4}, headers=key)
    assert first.status_code == second.status_code == 200
    assert (first.json()["version"], second.json()["version"]) == (2, 3)


def test_a_forecast_keeps_its_reason_and_is_recorded_once_per_key(
    client: httpx.Client,
) -> None:
    project_id = create(client, LAUNCH)["id"]
    url = f"/projects/{project_id}"
    plan = client.post(f"{url}/plans", json={"time_limit": 2}).json()
    headers = {"Idempotency-Key": "forecast-1", "X-Reason": "weekly review"}
    body = {"plan_id": plan["id"], "samples": 300, "seed": 5}
    first = client.post(f"{url}/forecasts", json=body, headers=headers)
    again = client.post(f"{url}/forecasts", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["duration"] == again.json()["duration"]
    events = client.get(f"{url}/events").json()
    recorded = [e for e in events if e["type"] == "ForecastRecorded"]
    assert [(e["reason"], e["actor"]) for e in recorded] == [
        ("weekly review", "test-admin")
    ]


def test_projects_are_listed_a_page_at_a_time(
    client: httpx.Client, client_as: ClientMaker
) -> None:
    made = [create(client, {**LAUNCH, "name": f"Paged {n}"})["id"] for n in range(5)]
    viewer = client_as("viewer", made[1])
    client.put(
        f"/projects/{made[3]}/members/{viewer_name(viewer)}", json={"role": "viewer"}
    )
    client.patch(f"/projects/{made[3]}/tasks/a", json={"duration": 2})
    seen: list[dict[str, object]] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 1}
        if cursor is not None:
            params["cursor"] = cursor
        page = viewer.get("/projects", params=params)
        assert page.status_code == 200, page.text
        seen += page.json()
        cursor = page.headers.get("X-Next-Cursor")
        if cursor is None:
            break
    assert [p["id"] for p in seen] == [made[1], made[3]]
    assert seen[1]["version"] == 2
    assert seen[1]["name"] == "Paged 3"
    assert viewer.get("/projects", params={"cursor": "nope"}).status_code == 422


def viewer_name(http: httpx.Client) -> str:
    name: str = http.get("/auth/session").json()["principal"]
    return name
