"""Two `planforge serve` processes on one store (SQLite and PostgreSQL) share
their jobs: either answers for a job the other runs (its progress too),
either cancels it (the runner stops within a second), and a job whose
process is SIGKILLed runs again in the other, once, recording once."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.e2e.hard import hard_project
from tests.e2e.serve import planforge_serve
from tests.e2e.test_http_jobs import ASYNC, finished

pytestmark = pytest.mark.slow
LEASE_SECONDS = "2"


@pytest.fixture
def two_servers(
    event_store_url: str, tmp_path: Path
) -> Iterator[tuple[httpx.Client, httpx.Client, int]]:
    """Clients of two server processes on one store, and the first's pid."""
    settings = {"database_url": event_store_url, "job_lease_seconds": LEASE_SECONDS}
    with ExitStack() as stack:
        servers = [
            stack.enter_context(planforge_serve(tmp_path / name, **settings))
            for name in ("a", "b")
        ]
        clients = [
            stack.enter_context(
                httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"})
            )
            for url, token, _ in servers
        ]
        yield clients[0], clients[1], servers[0][2].pid


def running(client: httpx.Client, location: str) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while True:
        job = client.get(location).json()
        if job["status"] == "running" and job["progress"].get("seconds"):
            return dict(job)
        assert time.monotonic() < deadline, job
        time.sleep(0.05)


def test_either_server_reads_and_cancels_a_job_the_other_runs(
    two_servers: tuple[httpx.Client, httpx.Client, int],
) -> None:
    a, b, _ = two_servers
    project_id = a.post("/projects", json=hard_project()).json()["id"]
    accepted = a.post(
        f"/projects/{project_id}/plans", json={"time_limit": 60}, headers=ASYNC
    )
    location = accepted.headers["Location"]
    first = running(b, location)["progress"]
    time.sleep(1.5)
    later = b.get(location).json()["progress"]
    assert later["seconds"] > first["seconds"]  # progress reaches the store

    asked = time.perf_counter()
    assert b.delete(location).status_code == 200
    while (job := b.get(location).json())["status"] != "cancelled":
        assert time.perf_counter() - asked < 1.0, job
        time.sleep(0.02)
    print(f"cancelled through the other process in {time.perf_counter() - asked:.2f} s")
    assert a.get(location).json()["status"] == "cancelled"
    events = a.get(f"/projects/{project_id}/events").json()
    assert "PlanProposed" not in [e["type"] for e in events]


def test_a_job_of_a_killed_server_runs_again_in_the_other_once(
    two_servers: tuple[httpx.Client, httpx.Client, int],
) -> None:
    a, b, a_pid = two_servers
    project_id = a.post("/projects", json=hard_project()).json()["id"]
    accepted = a.post(
        f"/projects/{project_id}/plans", json={"time_limit": 3}, headers=ASYNC
    )
    location = accepted.headers["Location"]
    running(a, location)
    os.killpg(a_pid, signal.SIGKILL)  # the server and its workers

    job = finished(b, location, within=60)
    assert job["status"] == "succeeded", job
    assert job["runs"] == 2
    events = b.get(f"/projects/{project_id}/events").json()
    proposed = [e for e in events if e["type"] == "PlanProposed"]
    assert len(proposed) == 1
    assert proposed[0]["data"]["plan_id"] == b.get(job["links"]["result"]).json()["id"]
