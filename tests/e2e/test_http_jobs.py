"""Long work as jobs: `Prefer: respond-async`, status and progress, the
result, server-sent events, cancelling, and jobs a restart left behind."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from tests.e2e.hard import hard_project
from tests.e2e.test_http_projects import LAUNCH

ASYNC = {"Prefer": "respond-async"}
FINISHED = ("succeeded", "failed", "cancelled")


def finished(client: httpx.Client, location: str, within: float = 120) -> Any:
    deadline = time.monotonic() + within
    while True:
        job = client.get(location).json()
        if job["status"] in FINISHED:
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.1)


def test_an_async_plan_is_a_job_whose_result_is_the_recorded_plan(
    client: httpx.Client,
) -> None:
    project_id = client.post("/projects", json=LAUNCH).json()["id"]
    accepted = client.post(
        f"/projects/{project_id}/plans", json={"time_limit": 5}, headers=ASYNC
    )
    assert accepted.status_code == 202, accepted.text
    assert accepted.headers["Preference-Applied"] == "respond-async"
    location = accepted.headers["Location"]
    assert location == f"/jobs/{accepted.json()['id']}"
    assert accepted.json()["status"] in ("queued", "running")

    job = finished(client, location)
    assert job["status"] == "succeeded", job
    assert job["kind"] == "plan"
    progress = job["progress"]
    assert {"objective", "bound", "gap", "seconds"} <= set(progress)
    assert progress["bound"] <= progress["objective"]
    plan = client.get(job["links"]["result"])
    assert plan.status_code == 200
    assert plan.json()["id"] == client.get(f"{location}/result").json()["id"]


def test_an_async_forecast_counts_its_samples_and_matches_the_sync_answer(
    client: httpx.Client,
) -> None:
    project_id = client.post("/projects", json=LAUNCH).json()["id"]
    plan = client.post(f"/projects/{project_id}/plans", json={"time_limit": 5})
    body = {"plan_id": plan.json()["id"], "samples": 5000, "seed": 3}
    forecasts = f"/projects/{project_id}/forecasts"
    location = client.post(forecasts, json=body, headers=ASYNC).headers["Location"]
    job = finished(client, location)
    assert job["status"] == "succeeded", job
    assert job["progress"]["samples_done"] == 5000
    assert job["progress"]["samples"] == 5000
    direct = client.post(forecasts, json=body).json()
    assert client.get(f"{location}/result").json()["duration"] == direct["duration"]


def test_a_failed_job_names_the_field(client: httpx.Client) -> None:
    project_id = client.post("/projects", json=LAUNCH).json()["id"]
    accepted = client.post(
        f"/projects/{project_id}/forecasts", json={"samples": 10}, headers=ASYNC
    )
    job = finished(client, accepted.headers["Location"])
    assert job["status"] == "failed"
    assert job["error"]["problems"][0]["field"] == "plan_id"
    assert client.get(f"/jobs/{job['id']}/result").status_code == 404


def test_a_cancelled_solve_stops_within_a_second(client: httpx.Client) -> None:
    project_id = client.post("/projects", json=hard_project()).json()["id"]
    accepted = client.post(
        f"/projects/{project_id}/plans", json={"time_limit": 120}, headers=ASYNC
    )
    location = accepted.headers["Location"]
    deadline = time.monotonic() + 60
    while client.get(location).json()["status"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    started = time.perf_counter()
    assert client.delete(location).status_code == 200
    job = finished(client, location, within=5)
    stopped = time.perf_counter() - started
    assert job["status"] == "cancelled"
    assert stopped < 1.0, f"cancel took {stopped:.2f} s"
    events = client.get(f"/projects/{project_id}/events").json()
    assert "PlanProposed" not in [e["type"] for e in events]


def test_events_stream_progress_then_the_final_status(client: httpx.Client) -> None:
    project_id = client.post("/projects", json=LAUNCH).json()["id"]
    location = client.post(
        f"/projects/{project_id}/plans", json={"time_limit": 3}, headers=ASYNC
    ).headers["Location"]
    names, payloads = [], []
    with client.stream("GET", f"{location}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("event:"):
                names.append(line.split(":", 1)[1].strip())
            elif line.startswith("data:"):
                payloads.append(json.loads(line.split(":", 1)[1]))
    assert names[-1] == "status"
    assert set(names[:-1]) <= {"progress"}
    assert payloads[-1]["status"] == "succeeded"


def test_jobs_of_others_stay_hidden(client: httpx.Client, client_as: Any) -> None:
    project_id = client.post("/projects", json=LAUNCH).json()["id"]
    location = client.post(
        f"/projects/{project_id}/plans", json={"time_limit": 2}, headers=ASYNC
    ).headers["Location"]
    stranger = client_as("planner")  # organisation planner: may read every project
    assert stranger.get(location).status_code == 200
    outsider = client_as("viewer", "00000000-0000-4000-8000-000000000000")
    assert outsider.get(location).status_code == 404
    assert outsider.delete(location).status_code == 404
    finished(client, location)


def test_a_scenario_job_reports_its_steps_and_streams_them(
    client: httpx.Client,
) -> None:
    project_id = client.post("/projects", json=LAUNCH).json()["id"]
    body = {
        "changes": [{"action": "update_task", "id": "a", "duration": 12}],
        "time_limit": 2,
        "samples": 2000,
    }
    location = client.post(
        f"/projects/{project_id}/scenarios", json=body, headers=ASYNC
    ).headers["Location"]
    phases = []
    with client.stream("GET", f"{location}/events") as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                phases.append(
                    json.loads(line.split(":", 1)[1])["progress"].get("phase")
                )
    seen = [phase for phase in dict.fromkeys(phases) if phase is not None]
    # No committed plan: the baseline is planned too; the stream may skip
    # a step that went by between two polls, never reorder them.
    order = ["baseline plan", "scenario plan", "baseline forecast", "scenario forecast"]
    assert seen == [phase for phase in order if phase in seen]
    job = finished(client, location)
    assert job["status"] == "succeeded", job
    progress = job["progress"]
    assert progress["phase"] == "scenario forecast"
    assert (progress["step"], progress["steps"]) == (4, 4)
    assert progress["samples_done"] == 2000
    assert {"objective", "bound", "gap"} <= set(progress)


def test_a_portfolio_job_reports_the_seconds_spent_of_its_time_limit(
    client: httpx.Client,
) -> None:
    project_id = client.post("/projects", json=LAUNCH).json()["id"]
    location = client.post(
        "/portfolio/plans",
        json={"project_ids": [project_id], "time_limit": 2},
        headers=ASYNC,
    ).headers["Location"]
    job = finished(client, location)
    assert job["status"] == "succeeded", job
    assert job["progress"]["time_limit"] == 2
    assert 0 <= job["progress"]["seconds"] <= 3
