"""The /ui pages over HTTP: hooks, plan choice, conflicts, load, scenarios."""

from __future__ import annotations

import copy
from html.parser import HTMLParser
from typing import Any

import httpx

from tests.e2e.test_http_plans import own_people, plan
from tests.e2e.test_http_projects import LAUNCH, create


class Elements(HTMLParser):
    """Every start tag's attributes, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def having(self, attribute: str) -> list[dict[str, str | None]]:
        return [attrs for _, attrs in self.tags if attribute in attrs]


def committed(
    client: httpx.Client, document: dict[str, Any] | None = None
) -> tuple[str, dict[str, Any]]:
    project_id = create(client, own_people(document or LAUNCH))["id"]
    body = plan(client, project_id)
    client.post(f"/projects/{project_id}/plans/{body['id']}/commit")
    client.post(f"/projects/{project_id}/forecasts", json={"samples": 500})
    return project_id, body


def test_home_and_the_old_page_lead_to_the_ui(client: httpx.Client) -> None:
    project_id = create(client)["id"]
    assert client.get("/").headers["location"] == "/ui/"
    old = client.get(f"/projects/{project_id}/page")
    assert old.status_code == 308
    assert old.headers["location"] == f"/ui/projects/{project_id}"


def test_gantt_has_a_bar_per_task_and_marks_the_critical_ones(
    client: httpx.Client,
) -> None:
    project_id, body = committed(client)
    page = client.get(f"/ui/projects/{project_id}")
    assert page.status_code == 200
    bars = Elements(page.text).having("data-task-id")
    assert sorted(str(b["data-task-id"]) for b in bars) == ["a", "b", "c"]
    marked = {b["data-task-id"] for b in bars if b.get("data-critical") == "true"}
    assert marked == {t["id"] for t in body["tasks"] if t["critical"]}
    assert marked  # a chain of 16 days has critical tasks
    assert "P80 " in page.text
    assert "deadline 2027-02-12" in page.text


def test_infeasible_proposal_shows_conflicts_and_keeps_the_feasible_plans(
    client: httpx.Client,
) -> None:
    project_id = create(client)["id"]
    first = plan(client, project_id)
    plan(client, project_id)
    rejected = client.post(
        f"/projects/{project_id}/plans",
        json={"time_limit": 5, "pins": {"c": {"start": 1}}},
    ).json()
    assert rejected["status"] == "infeasible"
    page = client.get(f"/ui/projects/{project_id}").text
    assert "Plan infeasible: not drawn" in page
    assert "pinned to start on day 1" in page
    assert len(Elements(page).having("data-task-id")) == 3
    chosen = client.get(f"/ui/projects/{project_id}", params={"plan": first["id"]})
    assert "Plan infeasible" not in chosen.text
    assert chosen.text.count("<option value=") == 2 * 3 + 1  # plan, compare + none


def test_past_version_and_unknown_ids(client: httpx.Client) -> None:
    project_id, _ = committed(client)
    past = client.get(f"/ui/projects/{project_id}", params={"version": 1})
    assert "as at version 1" in past.text
    assert "No plan with a schedule at this version" in past.text
    missing = client.get(
        f"/ui/projects/{project_id}",
        params={"plan": "00000000-0000-0000-0000-000000000000"},
    )
    assert missing.status_code == 404
    assert (
        client.get("/ui/projects/00000000-0000-0000-0000-000000000001").status_code
        == 404
    )
    assert (
        client.get(f"/ui/projects/{project_id}", params={"zoom": "year"}).status_code
        == 422
    )
    for page in ("", "/forecast"):  # past 64 bits (SQLite's INTEGER): 422, not 500
        huge = client.get(f"/ui/projects/{project_id}{page}", params={"version": 2**70})
        assert huge.status_code == 422, huge.text


def test_load_cells_cover_every_week_and_count_other_projects(
    client: httpx.Client,
) -> None:
    document = copy.deepcopy(LAUNCH)
    document["resources"][1]["id"] = "alice-pages"
    # Both planned before either is committed: the second plan cannot know
    # the first's bookings, so alice is overbooked across the two.
    first, second = (create(client, document)["id"] for _ in range(2))
    plans = [plan(client, project_id) for project_id in (first, second)]
    client.post(f"/projects/{first}/plans/{plans[0]['id']}/commit")
    page = client.get(f"/ui/projects/{first}/resources").text
    alice = alice_cells(page)
    weeks = ["2027-W01", "2027-W02", "2027-W03", "2027-W04"]
    assert [c["data-week"] for c in alice] == weeks
    hers = [
        sum(
            t["finish"] - t["start"]
            for t in p["tasks"]
            if "alice-pages" in t["assignees"]
        )
        for p in plans
    ]
    assert sum(int(str(c["data-load"])) for c in alice) == hers[0]
    client.post(f"/projects/{second}/plans/{plans[1]['id']}/commit")
    alice = alice_cells(client.get(f"/ui/projects/{first}/resources").text)
    assert sum(int(str(c["data-load"])) for c in alice) == sum(hers)
    assert any("over" in str(c["class"]).split() for c in alice)


def alice_cells(page: str) -> list[dict[str, str | None]]:
    cells = Elements(page).having("data-load")
    return [c for c in cells if c["data-resource"] == "alice-pages"]


def test_scenario_shows_the_new_finish_and_commits_as_changes(
    client: httpx.Client,
) -> None:
    project_id, body = committed(client)
    form = {"task": ["a", "", "", ""], "duration": ["14", "", "", ""]}
    page = client.get(f"/ui/projects/{project_id}/scenarios", params=form)
    assert page.status_code == 200, page.text
    finish = Elements(page.text).having("data-side")
    assert [e["data-side"] for e in finish] == ["baseline-finish", "scenario-finish"]
    assert f"(day {body['makespan']})" in page.text
    assert f"(day {body['makespan'] + 4})" in page.text
    version = client.get(f"/projects/{project_id}").json()["version"]
    bad = client.get(
        f"/ui/projects/{project_id}/scenarios",
        params={**form, "duration": ["x"] * 4},
    )
    assert bad.status_code == 422
    assert "durations[0]" in bad.text
    commit = client.post(
        f"/ui/projects/{project_id}/scenarios/commit",
        data={
            "changes": '[{"action": "update_task", "id": "a", "duration": 14}]',
            "version": str(version),
        },
    )
    assert commit.status_code == 303
    after = client.get(f"/projects/{project_id}").json()
    assert after["version"] == version + 1
    assert next(t for t in after["tasks"] if t["id"] == "a")["duration"] == 14
    stale = client.post(
        f"/ui/projects/{project_id}/scenarios/commit",
        data={"changes": "[]", "version": str(version)},
    )
    assert stale.status_code == 409


def test_forecast_history_and_portfolio_pages(client: httpx.Client) -> None:
    project_id, _ = committed(client)
    forecast = client.get(f"/ui/projects/{project_id}/forecast").text
    assert 'data-figure="s_curve"' in forecast
    assert "re-run from its seed 0 and 500 samples" in forecast
    history = client.get(
        f"/ui/projects/{project_id}/history", params={"type": "PlanCommitted"}
    )
    assert history.text.count('class="event-type"') == 1
    assert project_id in client.get("/ui/").text
    script = client.get("/ui/static/plotly.min.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")


def test_progress_health_and_a_moved_deadline_show(client: httpx.Client) -> None:
    project_id, _ = committed(client)
    report = client.post(
        f"/projects/{project_id}/progress",
        json={
            "status_date": "2027-01-08",
            "reports": [
                {"task": "a", "actual_start": "2027-01-04", "percent_complete": 40}
            ],
        },
    )
    assert report.status_code == 200, report.text
    gantt = Elements(client.get(f"/ui/projects/{project_id}").text)
    assert [e["data-progress"] for e in gantt.having("data-progress")] == ["40"]
    assert "status date 2027-01-08" in client.get(f"/ui/projects/{project_id}").text
    health = client.get(f"/projects/{project_id}/health").json()
    portfolio = client.get("/ui/").text
    assert f'class="rag {health["rag"]}"' in portfolio
    version = client.get(f"/projects/{project_id}").json()["version"]
    moved = client.post(
        f"/ui/projects/{project_id}/scenarios/deadline",
        data={"deadline": "45", "version": str(version)},
    )
    assert moved.status_code == 303
    assert client.get(f"/projects/{project_id}").json()["deadline"] == 45


def test_a_scenario_adds_a_person_like_another(client: httpx.Client) -> None:
    project_id, _ = committed(client)
    people = client.get(f"/projects/{project_id}").json()["resources"]
    alice = next(p["id"] for p in people if p["id"].startswith("alice"))
    page = client.get(
        f"/ui/projects/{project_id}/scenarios",
        params={"person_like": alice, "person_id": "alice-twin"},
    )
    assert page.status_code == 200, page.text
    assert "Commit as 1 change" in page.text
    assert "&#34;add_resource&#34;" in page.text or '"add_resource"' in page.text
    unknown = client.get(
        f"/ui/projects/{project_id}/scenarios",
        params={"person_like": "nobody", "person_id": "x"},
    )
    assert unknown.status_code == 422
    assert "person_like" in unknown.text


def test_bad_page_input_is_a_4xx_naming_it(client: httpx.Client) -> None:
    project_id, _ = committed(client)
    pages = f"/ui/projects/{project_id}"
    asked = [
        (pages, {"version": "0"}),
        (pages, {"version": "999"}),
        (pages, {"plan": "not-a-plan"}),
        (pages, {"compare": "not-a-plan"}),
        (f"{pages}/forecast", {"plan": "nope"}),
        (f"{pages}/resources", {"version": "x"}),
        (f"{pages}/scenarios", {"task": "ghost", "duration": "3"}),
        (f"{pages}/scenarios", {"task": "a", "duration": "99999999999"}),
        (f"{pages}/scenarios", {"deadline": "-4"}),
        (f"{pages}/scenarios", {"deadline": "soon"}),
    ]
    for path, params in asked:
        response = client.get(path, params=params)
        assert 400 <= response.status_code < 500, (path, params, response.text[:300])
    commit = client.post(
        f"{pages}/scenarios/commit", data={"changes": "not json", "version": "1"}
    )
    assert commit.status_code == 422
    assert "changes" in commit.text


def test_stage_gates_show_waiting_then_approved(client: httpx.Client) -> None:
    document = copy.deepcopy(LAUNCH)
    document["tasks"].append(
        {"id": "gate", "name": "Gate 1", "duration": 0, "gate": True}
    )
    document["dependencies"] += [
        {"from": "a", "to": "gate"},
        {"from": "gate", "to": "c"},
    ]
    project_id, _ = committed(client, document)
    gantt = Elements(client.get(f"/ui/projects/{project_id}").text)
    assert [(e["data-task-id"], e["data-gate"]) for e in gantt.having("data-gate")] == [
        ("gate", "waiting")
    ]
    done = client.post(
        f"/projects/{project_id}/progress",
        json={
            "status_date": "2027-01-18",
            "reports": [
                {
                    "task": "a",
                    "actual_start": "2027-01-04",
                    "actual_finish": "2027-01-15",
                }
            ],
        },
    )
    assert done.status_code == 200, done.text
    approved = client.post(f"/projects/{project_id}/gates/gate/approve", json={})
    assert approved.status_code == 200, approved.text
    gantt = Elements(client.get(f"/ui/projects/{project_id}").text)
    assert [e["data-gate"] for e in gantt.having("data-gate")] == ["approved"]


def test_history_pages_reach_every_event_newest_first(client: httpx.Client) -> None:
    project_id = create(
        client, {"name": "Long", "tasks": [{"id": "a", "duration": 1}]}
    )["id"]
    changes = [
        {"action": "update_task", "id": "a", "duration": 1 + n % 7} for n in range(1100)
    ]
    answer = client.post(f"/projects/{project_id}/changes", json={"changes": changes})
    assert answer.status_code == 200, answer.text
    newest = answer.json()["version"]
    first = client.get(f"/ui/projects/{project_id}/history").text
    assert "1101 events, newest first; showing 1 to 200" in first
    assert f"?version={newest}" in first
    last = client.get(f"/ui/projects/{project_id}/history", params={"page": 6}).text
    assert "showing 1001 to 1101" in last
    assert '?version=1"' in last
    assert 'rel="next"' not in last
    edits = client.get(f"/ui/projects/{project_id}/history", params={"task": "a"})
    assert "1100 events, newest first" in edits.text
    assert 'href="?task=a&amp;actor=&amp;type=&amp;page=2"' in edits.text
