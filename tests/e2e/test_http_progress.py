"""Progress over HTTP: project fields, progress reports, their rules and events."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.conftest import ClientMaker

TRIANGULAR = {"optimistic": 4, "most_likely": 5, "pessimistic": 8}
CHAIN: dict[str, Any] = {
    "name": "Chain",
    "start": "2027-01-04",  # a Monday
    "resources": [{"id": "ann", "capacity": 1, "cost_rate": 100}],
    "tasks": [
        {"id": t, "estimate": {**TRIANGULAR, "distribution": "triangular"}}
        for t in ("a", "b", "c")
    ],
    "dependencies": [{"from": "a", "to": "b"}, {"from": "b", "to": "c"}],
}


def create(client: httpx.Client) -> str:
    response = client.post("/projects", json=CHAIN, headers={"X-Actor": "pat"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def events(client: httpx.Client, project_id: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = client.get(f"/projects/{project_id}/events").json()
    return rows


def test_progress_report_is_one_transaction_of_named_events(
    client: httpx.Client,
) -> None:
    project_id = create(client)
    response = client.post(
        f"/projects/{project_id}/progress",
        json={
            "status_date": "2027-01-18",
            "reports": [
                {"task": "a", "actual_start": "2027-01-04", "actual_finish": 10},
                {"task": "b", "actual_start": 10, "percent_complete": 0},
            ],
        },
        headers={"If-Match": "1", "X-Actor": "lee"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == 4
    assert body["reported"] == ["a", "b"]
    assert body["out_of_sequence"] == []
    document = client.get(f"/projects/{project_id}").json()
    assert document["status_date"] == "2027-01-18"
    task_a = document["tasks"][0]
    assert (task_a["actual_start"], task_a["actual_finish"]) == (0, 10)
    assert task_a["reported_on"] == "2027-01-18"  # defaults to the status date
    trail = events(client, project_id)
    assert [e["type"] for e in trail[-3:]] == [
        "ProjectFieldChanged",
        "ProgressReported",
        "ProgressReported",
    ]
    assert trail[-3]["data"] == {"field": "status_date", "value": "2027-01-18"}


def test_a_bad_report_applies_nothing_and_names_the_field(
    client: httpx.Client,
) -> None:
    project_id = create(client)
    cases = [
        (
            {
                "task": "a",
                "actual_start": 0,
                "actual_finish": 3,
                "percent_complete": 50,
            },
            "tasks[a].percent_complete",
        ),
        (
            {"task": "a", "actual_start": 5, "actual_finish": 3},
            "tasks[a].actual_finish",
        ),
        ({"task": "a", "actual_start": 12}, "tasks[a].actual_start"),
        (
            {"task": "a", "actual_finish": 20, "actual_start": 0},
            "tasks[a].actual_finish",
        ),
        (
            {"task": "a", "actual_start": 0, "reported_on": "2027-02-01"},
            "tasks[a].reported_on",
        ),
        (
            {"task": "a", "actual_start": 0, "percent_complete": 100},
            "tasks[a].percent_complete",
        ),
        (
            {"task": "a", "actual_start": 0, "remaining_duration": 0},
            "tasks[a].remaining_duration",
        ),
        ({"task": "a", "percent_complete": 30}, "tasks[a].percent_complete"),
        (
            {"task": "a", "actual_start": 0, "percent_complete": 130},
            "tasks[a].percent_complete",
        ),
        ({"task": "a", "actual_start": 0, "actual_cost": -1}, "tasks[a].actual_cost"),
        ({"task": "zz", "actual_start": 0}, "reports[1].task"),
        ({"task": "a", "colour": "red"}, "reports[1].colour"),
    ]
    for report, field in cases:
        response = client.post(
            f"/projects/{project_id}/progress",
            json={
                "status_date": 10,
                "reports": [{"task": "c", "actual_start": 0}, report],
            },
        )
        assert response.status_code == 422, (report, response.text)
        fields = [p["field"] for p in response.json()["problems"]]
        assert field in fields, (report, response.text)
    assert client.get(f"/projects/{project_id}").json()["version"] == 1


def test_out_of_sequence_progress_is_accepted_and_reported(
    client: httpx.Client,
) -> None:
    project_id = create(client)
    response = client.post(
        f"/projects/{project_id}/progress",
        json={
            "status_date": 6,
            "reports": [
                {"task": "a", "actual_start": 0, "percent_complete": 80},
                {"task": "b", "actual_start": 3},
            ],
        },
    )
    assert response.status_code == 200, response.text
    (row,) = response.json()["out_of_sequence"]
    assert (row["predecessor"], row["successor"]) == ("a", "b")
    assert "b started on day 3" in row["message"]
    assert "a has not finished" in row["message"]


def test_task_patch_and_changes_take_progress_fields(client: httpx.Client) -> None:
    project_id = create(client)
    response = client.patch(
        f"/projects/{project_id}/tasks/a",
        json={"actual_start": "2027-01-05", "percent_complete": 40, "fixed_cost": 500},
    )
    assert response.status_code == 200, response.text
    task = client.get(f"/projects/{project_id}").json()["tasks"][0]
    assert task["actual_start"] == 1  # Tuesday: working day 1
    assert (task["percent_complete"], task["fixed_cost"]) == (40, 500)
    response = client.post(
        f"/projects/{project_id}/changes",
        json={
            "changes": [
                {"action": "update_task", "id": "a", "actual_finish": "2027-01-08"},
                {"action": "update_task", "id": "a", "percent_complete": 100},
            ]
        },
    )
    assert response.status_code == 200, response.text
    task = client.get(f"/projects/{project_id}").json()["tasks"][0]
    assert task["actual_finish"] == 5  # the end of Friday


def test_project_fields_change_one_event_each_with_if_match(
    client: httpx.Client,
) -> None:
    project_id = create(client)
    url = f"/projects/{project_id}"
    response = client.patch(
        url,
        json={"deadline": 30, "stale_after": 3, "name": "Chain II"},
        headers={"If-Match": "1"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 4
    assert response.headers["ETag"] == '"4"'
    changed = [e["data"]["field"] for e in events(client, project_id)[-3:]]
    assert changed == ["name", "deadline", "stale_after"]
    stale = client.patch(url, json={"deadline": 31}, headers={"If-Match": "1"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 4
    cleared = client.patch(url, json={"deadline": None})
    assert cleared.status_code == 200
    assert "deadline" not in client.get(url).json()


def test_project_field_rules_name_the_field(client: httpx.Client) -> None:
    project_id = create(client)
    url = f"/projects/{project_id}"
    for fields, field in [
        ({"tasks": []}, "tasks"),
        ({"deadline": -3}, "deadline"),
        ({"calendar": {"workdays": ["Funday"]}}, "calendar.workdays"),
        ({"status_date": "yesterday"}, "status_date"),
        ({"name": ""}, "name"),
    ]:
        response = client.patch(url, json=fields)
        assert response.status_code == 422, (fields, response.text)
        assert response.json()["problems"][0]["field"] == field
    assert client.patch(url, json={"start": "2027-01-11"}).status_code == 200
    reported = client.post(
        f"{url}/progress", json={"reports": [{"task": "a", "actual_start": 0}]}
    )
    assert reported.status_code == 200, reported.text
    response = client.patch(url, json={"start": "2027-01-18"})
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "start"
    moved_back = client.patch(url, json={"status_date": "2027-01-10"})
    assert moved_back.status_code == 422  # before a's actual start (2027-01-11)
    assert moved_back.json()["problems"][0]["field"] == "tasks[a].actual_start"


def test_contributors_report_progress_planners_change_project_fields(
    client: httpx.Client, client_as: ClientMaker
) -> None:
    project_id = create(client)
    report = {"reports": [{"task": "a", "actual_start": 0}]}
    viewer = client_as("viewer", project_id)
    contributor = client_as("contributor", project_id)
    planner = client_as("planner", project_id)
    url = f"/projects/{project_id}"
    assert viewer.post(f"{url}/progress", json=report).status_code == 403
    assert contributor.post(f"{url}/progress", json=report).status_code == 200
    assert contributor.patch(url, json={"deadline": 40}).status_code == 403
    assert planner.patch(url, json={"deadline": 40}).status_code == 200


def test_health_measures_against_the_committed_baseline(client: httpx.Client) -> None:
    document = {
        **CHAIN,
        "deadline": 18,
        "tasks": [{**task, "demands": {"ann": 1}} for task in CHAIN["tasks"]],
    }
    response = client.post("/projects", json=document)
    project_id = response.json()["id"]
    url = f"/projects/{project_id}"
    empty = client.get(f"{url}/health").json()
    assert empty["rag"] == "amber"
    assert empty["bac"] is None
    plan = client.post(f"{url}/plans", json={"time_limit": 5}).json()
    assert client.post(f"{url}/plans/{plan['id']}/commit").status_code == 200
    report = {
        "status_date": 7,
        "reports": [
            {"task": "a", "actual_start": 0, "actual_finish": 7, "actual_cost": 800}
        ],
    }
    forecast = client.post(f"{url}/forecasts", json={"samples": 500, "seed": 1})
    assert forecast.status_code in (200, 201), forecast.text
    assert client.post(f"{url}/progress", json=report).status_code == 200
    health = client.get(f"{url}/health")
    assert health.status_code == 200, health.text
    body = health.json()
    # Baseline a 0-5, b 5-10, c 10-15 at 100/day: BAC 1500; at day 7 PV = 700.
    assert (body["bac"], body["pv"], body["ev"], body["ac"]) == (1500, 700, 500, 800)
    assert body["on_time_rate"] == 0.0
    assert body["status_date"] == 7
    assert body["rag"] == "red"
    assert "SPI 0.71 is below 0.85" in body["reasons"]
    # The latest forecast was recorded before the progress report: say so.
    assert (
        "the latest forecast starts from an earlier status than day 7: replan to "
        "forecast from the latest actuals" in body["reasons"]
    )
    replanned = client.post(f"{url}/plans", json={"time_limit": 5}).json()
    client.post(f"{url}/forecasts", json={"plan_id": replanned["id"], "samples": 500})
    reasons = client.get(f"{url}/health").json()["reasons"]
    assert not any("earlier status" in reason for reason in reasons)
    rows = client.get("/portfolio").json()
    (row,) = [r for r in rows if r["id"] == project_id]
    assert row["health"]["rag"] == "red"


def test_a_forecast_can_be_calibrated_over_http(client: httpx.Client) -> None:
    done = {
        **CHAIN,
        "name": "Done",
        "tasks": [
            {**task, "group": "web", "actual_start": 8 * k, "actual_finish": 8 * k + 8}
            for k, task in enumerate(CHAIN["tasks"])
        ],
    }
    assert client.post("/projects", json=done).status_code == 201
    fresh = {
        **CHAIN,
        "tasks": [{**task, "group": "web"} for task in CHAIN["tasks"]],
    }
    project_id = client.post("/projects", json=fresh).json()["id"]
    plan = client.post(f"/projects/{project_id}/plans", json={}).json()
    body = {"plan_id": plan["id"], "samples": 500, "calibrate": True}
    response = client.post(f"/projects/{project_id}/forecasts", json=body)
    assert response.status_code == 201, response.text
    calibration = response.json()["calibration"]
    (factor,) = [f for f in calibration["factors"] if f["reference_class"] == "web / -"]
    assert factor["observations"] == 3
    assert factor["mean_ratio"] == 1.6  # 8 days for a most likely of 5
    assert 1 < calibration["tasks"]["a"] == factor["factor"] < 1.6


def test_a_document_may_give_actual_dates(client: httpx.Client) -> None:
    tasks = [dict(task) for task in CHAIN["tasks"]]
    tasks[0] |= {"actual_start": "2027-01-04", "actual_finish": "2027-01-12"}
    response = client.post("/projects", json={**CHAIN, "tasks": tasks})
    assert response.status_code == 201, response.text
    task_a = response.json()["tasks"][0]
    assert (task_a["actual_start"], task_a["actual_finish"]) == (0, 7)  # Tue: end 7
    no_start = {k: v for k, v in CHAIN.items() if k != "start"} | {"tasks": tasks}
    refused = client.post("/projects", json=no_start)
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["field"] == "tasks[a].actual_start"
