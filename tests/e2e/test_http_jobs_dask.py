"""Jobs on a Dask cluster (a LocalCluster here): with `dask_scheduler` set,
plans, forecasts, scenarios and portfolio plans run there with the same
progress and results as on the worker pool; cancelling stops the work within a
second."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import psutil
import pytest
from distributed import Client, LocalCluster, get_task_stream

from domain.access import Role
from service.settings import Settings
from tests.e2e.conftest import serving
from tests.e2e.hard import hard_project
from tests.e2e.test_http_jobs import ASYNC, finished
from tests.e2e.test_http_projects import LAUNCH

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=1, threads_per_worker=2, dashboard_address=None
    ) as local:
        yield local


@pytest.fixture(scope="module")
def dask_client(
    cluster: LocalCluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("dask"),
        database_url=None,
        dask_scheduler=cluster.scheduler_address,
    )
    with serving(settings) as (url, planforge):
        secret = planforge.access.issue_token("dask-admin", Role.ADMIN, None, "test")
        headers = {"Authorization": f"Bearer {secret}"}
        with httpx.Client(base_url=url, timeout=60, headers=headers) as client:
            yield client


def test_plans_forecasts_scenarios_and_portfolios_run_on_the_cluster(
    cluster: LocalCluster, dask_client: httpx.Client
) -> None:
    client = dask_client
    project_id = client.post("/projects", json=LAUNCH).json()["id"]
    with Client(cluster) as observer, get_task_stream(observer) as stream:
        plan_job = finished(
            client,
            client.post(
                f"/projects/{project_id}/plans", json={"time_limit": 3}, headers=ASYNC
            ).headers["Location"],
        )
        assert plan_job["status"] == "succeeded", plan_job
        assert {"objective", "bound", "gap", "seconds"} <= set(plan_job["progress"])
        plan_id = client.get(plan_job["links"]["result"]).json()["id"]

        body = {"plan_id": plan_id, "samples": 3000, "seed": 5}
        forecasts = f"/projects/{project_id}/forecasts"
        location = client.post(forecasts, json=body, headers=ASYNC).headers["Location"]
        forecast_job = finished(client, location)
        assert forecast_job["status"] == "succeeded", forecast_job
        assert forecast_job["progress"]["samples_done"] == 3000
        on_pool = client.post(forecasts, json=body).json()
        on_dask = client.get(f"{location}/result").json()
        assert on_dask["duration"] == on_pool["duration"]  # same seed, same answer

        changes = {"changes": [{"action": "update_task", "id": "a", "duration": 12}]}
        scenario_job = finished(
            client,
            client.post(
                f"/projects/{project_id}/scenarios",
                json={**changes, "time_limit": 2, "samples": 500},
                headers=ASYNC,
            ).headers["Location"],
        )
        assert scenario_job["status"] == "succeeded", scenario_job
        portfolio_job = finished(
            client,
            client.post(
                "/portfolio/plans",
                json={"project_ids": [project_id], "time_limit": 2},
                headers=ASYNC,
            ).headers["Location"],
        )
        assert portfolio_job["status"] == "succeeded", portfolio_job
        time.sleep(0.5)  # the task stream reports finished tasks periodically
    ran = [task["key"] for task in stream.data]
    assert sum(key.startswith("_run_reporting") for key in ran) >= 4, ran


def busy_on_the_worker(observer: Client) -> tuple[int, int]:
    """(tasks executing, child processes) summed over the cluster's workers."""

    def count(dask_worker: Any) -> tuple[int, int]:
        children = psutil.Process().children()
        return len(dask_worker.state.executing), len(children)

    counts = observer.run(count).values()  # type: ignore[no-untyped-call]
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def test_a_cancelled_job_on_the_cluster_stops_and_frees_the_worker_within_1s(
    cluster: LocalCluster, dask_client: httpx.Client
) -> None:
    client = dask_client
    project_id = client.post("/projects", json=hard_project()).json()["id"]
    location = client.post(
        f"/projects/{project_id}/plans", json={"time_limit": 30}, headers=ASYNC
    ).headers["Location"]
    deadline = time.monotonic() + 60
    while client.get(location).json()["status"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    with Client(cluster) as observer:
        executing, children = busy_on_the_worker(observer)
        assert executing == 1
        started = time.perf_counter()
        assert client.delete(location).status_code == 200
        while busy_on_the_worker(observer) != (0, children - 1):  # the spare stays
            assert time.perf_counter() - started < 1.0, busy_on_the_worker(observer)
            time.sleep(0.02)
        freed = time.perf_counter() - started
    job = finished(client, location, within=5)
    assert job["status"] == "cancelled"
    print(f"worker free {freed * 1000:.0f} ms after the cancel")
    events = client.get(f"/projects/{project_id}/events").json()
    assert "PlanProposed" not in [e["type"] for e in events]
