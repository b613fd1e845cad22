"""What a job costs over a synchronous request, and how fast a cancel stops a
solve: a real server (uvicorn thread, worker processes), a small project that
CP-SAT solves at once, and a 120-task one it cannot prove in minutes."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import httpx
from distributed import Client, LocalCluster

from domain.access import Role
from service.settings import Settings
from tests.e2e.conftest import serving
from tests.e2e.hard import hard_project
from tests.e2e.test_http_jobs import ASYNC
from tests.e2e.test_http_jobs_dask import busy_on_the_worker

SMALL = {"name": "Small", "tasks": [{"id": "a", "duration": 3}, {"id": "b"}]}
SMALL["tasks"][1]["duration"] = 2
ROUNDS = 10


def sync_seconds(client: httpx.Client, plans: str) -> float:
    started = time.perf_counter()
    assert client.post(plans, json={"time_limit": 5}).status_code == 201
    return time.perf_counter() - started


def async_seconds(client: httpx.Client, plans: str) -> float:
    started = time.perf_counter()
    location = client.post(plans, json={"time_limit": 5}, headers=ASYNC).headers[
        "Location"
    ]
    while client.get(location).json()["status"] != "succeeded":
        time.sleep(0.005)
    return time.perf_counter() - started


def cancel_seconds(client: httpx.Client, plans: str) -> float:
    """From the DELETE to the job read back `cancelled` (polled every 10 ms)."""
    location = client.post(plans, json={"time_limit": 120}, headers=ASYNC).headers[
        "Location"
    ]
    while client.get(location).json()["status"] != "running":
        time.sleep(0.02)
    time.sleep(0.5)  # the solver is searching
    started = time.perf_counter()
    client.delete(location)
    while client.get(location).json()["status"] != "cancelled":
        assert time.perf_counter() - started < 5
        time.sleep(0.01)
    return time.perf_counter() - started


def test_job_overhead_and_cancel(benchmark: Any, tmp_path: Path) -> None:
    with serving(Settings(data_dir=tmp_path)) as (url, planforge):
        secret = planforge.access.issue_token("bench", Role.ADMIN, None, "bench")
        headers = {"Authorization": f"Bearer {secret}"}
        with httpx.Client(base_url=url, timeout=60, headers=headers) as client:
            small = client.post("/projects", json=SMALL).json()["id"]
            hard = client.post("/projects", json=hard_project()).json()["id"]
            plans = f"/projects/{small}/plans"
            sync_seconds(client, plans)  # the workers are warm
            direct = statistics.median(
                sync_seconds(client, plans) for _ in range(ROUNDS)
            )
            as_job = statistics.median(
                async_seconds(client, plans) for _ in range(ROUNDS)
            )
            cancel = benchmark.pedantic(
                cancel_seconds, (client, f"/projects/{hard}/plans"), rounds=1
            )
    benchmark.extra_info.update(
        sync_plan_s=direct,
        job_plan_s=as_job,
        job_overhead_s=as_job - direct,
        cancel_s=cancel,
    )
    assert as_job - direct < 0.5, f"a job costs {as_job - direct:.3f} s more"
    assert cancel < 1.0, f"cancel took {cancel:.2f} s"


def test_cancel_on_a_dask_cluster(benchmark: Any, tmp_path: Path) -> None:
    """A job solving on a Dask worker: DELETE -> `cancelled`, and DELETE ->
    the worker runs nothing (its child process killed)."""
    with LocalCluster(
        n_workers=1, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        settings = Settings(data_dir=tmp_path, dask_scheduler=cluster.scheduler_address)
        with serving(settings) as (url, planforge), Client(cluster) as observer:
            secret = planforge.access.issue_token("bench", Role.ADMIN, None, "bench")
            headers = {"Authorization": f"Bearer {secret}"}
            with httpx.Client(base_url=url, timeout=60, headers=headers) as client:
                hard = client.post("/projects", json=hard_project()).json()["id"]
                plans = f"/projects/{hard}/plans"
                cancel = benchmark.pedantic(cancel_seconds, (client, plans), rounds=1)
                started = time.perf_counter()
                while busy_on_the_worker(observer)[0]:
                    assert time.perf_counter() - started < 5
                    time.sleep(0.01)
                free = cancel + time.perf_counter() - started
    benchmark.extra_info.update(cancel_s=cancel, worker_free_s=free)
    assert free < 1.0, f"the worker was free {free:.2f} s after the cancel"
