"""A restart never loses a job: the real server process is SIGKILLed while a
job solves, started again on the same store, and the job runs again under
its id and records its plan once."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.hard import hard_project
from tests.e2e.serve import planforge_serve
from tests.e2e.test_http_jobs import ASYNC, finished

pytestmark = pytest.mark.slow


def test_a_job_running_when_the_server_is_killed_completes_after_a_restart(
    tmp_path: Path,
) -> None:
    with planforge_serve(tmp_path) as (url, token, server):
        client = httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )
        project_id = client.post("/projects", json=hard_project()).json()["id"]
        accepted = client.post(
            f"/projects/{project_id}/plans", json={"time_limit": 3}, headers=ASYNC
        )
        location = accepted.headers["Location"]
        deadline = time.monotonic() + 60
        while client.get(location).json()["status"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.killpg(server.pid, signal.SIGKILL)  # the server and its workers
        server.wait(timeout=30)
        client.close()

    with planforge_serve(tmp_path) as (url, token, _):
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
            job = finished(client, location)
            assert job["status"] == "succeeded", job
            assert job["runs"] == 2
            plan = client.get(job["links"]["result"])
            assert plan.status_code == 200
            events = client.get(f"/projects/{project_id}/events").json()
            proposed = [e for e in events if e["type"] == "PlanProposed"]
            assert len(proposed) == 1
            assert proposed[0]["data"]["plan_id"] == plan.json()["id"]
