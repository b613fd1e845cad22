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
from tests.e2e.hold import hold

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
