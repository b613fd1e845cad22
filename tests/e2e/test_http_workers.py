"""Solves run in the bounded worker pool; a full pool answers 503 at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from domain.access import Role
from service.settings import Settings
from service.workers import Runner
from tests.e2e.conftest import serving
from tests.e2e.hard import hard_project
from tests.e2e.hold import hold
from tests.e2e.test_http_jobs import finished

ASYNC = {"Prefer": "respond-async"}
PROJECT = {"name": "Small", "tasks": [{"id": "a", "duration": 2}]}


@pytest.fixture
def full_pool(tmp_path: Path) -> Iterator[tuple[httpx.Client, Runner]]:
    settings = Settings(data_dir=tmp_path, workers=1, queue_limit=0, retry_after=3)
    with serving(settings) as (url, planforge):
        secret = planforge.access.issue_token("admin", Role.ADMIN, None, "test-setup")
        headers = {"Authorization": f"Bearer {secret}"}
        with httpx.Client(base_url=url, timeout=30, headers=headers) as client:
            yield client, planforge.runner


def test_a_plan_past_the_queue_limit_gets_503_with_retry_after(
    full_pool: tuple[httpx.Client, Runner],
) -> None:
    client, runner = full_pool
    project_id = client.post("/projects", json=PROJECT).json()["id"]
    holding = runner.submit(hold, 2.0)

    refused = client.post(f"/projects/{project_id}/plans", json={"time_limit": 1})
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "3"
    assert "queue is full" in refused.json()["detail"]
    assert client.get(f"/projects/{project_id}").status_code == 200
    assert client.get("/health").json() == {"status": "ok"}

    holding.result()
    planned = client.post(f"/projects/{project_id}/plans", json={"time_limit": 1})
    assert planned.status_code == 201, planned.text
    assert planned.json()["makespan"] == 2


def test_past_its_share_of_the_job_queue_a_caller_gets_429_and_past_the_queue_503(
    tmp_path: Path,
) -> None:
    settings = Settings(
        data_dir=tmp_path, workers=1, queue_limit=2, retry_after=4, jobs_per_principal=2
    )
    with serving(settings) as (url, planforge):

        def client(name: str) -> httpx.Client:
            secret = planforge.access.issue_token(name, Role.ADMIN, None, "setup")
            headers = {"Authorization": f"Bearer {secret}", **ASYNC}
            return httpx.Client(base_url=url, timeout=30, headers=headers)

        alice, bob, carol = client("alice"), client("bob"), client("carol")
        project_id = alice.post("/projects", json=hard_project()).json()["id"]
        plans = f"/projects/{project_id}/plans"
        first = [alice.post(plans, json={"time_limit": 60}) for _ in range(2)]
        assert [answer.status_code for answer in first] == [202, 202]

        over_share = alice.post(plans, json={"time_limit": 60})
        assert over_share.status_code == 429, over_share.text
        assert over_share.headers["Retry-After"] == "4"
        assert "your share" in over_share.json()["detail"]
        bobs = bob.post(plans, json={"time_limit": 60})
        assert bobs.status_code == 202

        full = carol.post(plans, json={"time_limit": 60})
        assert full.status_code == 503, full.text
        assert full.headers["Retry-After"] == "4"
        for job in first:  # cancelled: room again
            assert alice.delete(job.headers["Location"]).status_code == 200
            assert finished(alice, job.headers["Location"])["status"] == "cancelled"
        again = carol.post(plans, json={"time_limit": 60})
        assert again.status_code == 202, again.text
        for http, job in ((bob, bobs), (carol, again)):
            http.delete(job.headers["Location"])
            http.close()
        alice.close()
