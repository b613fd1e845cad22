"""Writers racing over HTTP, on SQLite and PostgreSQL: blind writes (no
If-Match) are all recorded, a stale If-Match is still a 409, and a plan
solved while the project moved is recorded against the version it used."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from domain.access import Role
from service.settings import Settings
from tests.e2e.conftest import serving
from tests.e2e.test_http_projects import LAUNCH
from tests.integration.conftest import POSTGRES_URL_VARIABLE, _fresh_postgres_schema

WRITERS, EDITS = 8, 50


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[httpx.Client]:
    """An admin client of a fresh server on each backend."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path}/planforge.db"])
    else:
        base = os.environ.get(POSTGRES_URL_VARIABLE)
        if not base:
            pytest.skip(f"set {POSTGRES_URL_VARIABLE} to run against PostgreSQL")
        urls = _fresh_postgres_schema(base)
    url = next(urls)
    settings = Settings(data_dir=tmp_path, database_url=url)
    with serving(settings) as (base_url, planforge):
        secret = planforge.access.issue_token("racer", Role.ADMIN, None, "setup")
        auth = {"Authorization": f"Bearer {secret}"}
        with httpx.Client(base_url=base_url, headers=auth, timeout=60) as client:
            yield client
    next(urls, None)  # drops the PostgreSQL schema


def test_blind_writes_all_land_and_stale_if_match_is_409(
    backend: httpx.Client,
) -> None:
    project_id = backend.post("/projects", json=LAUNCH).json()["id"]

    def writer(n: int) -> list[int]:
        statuses = []
        for k in range(EDITS):
            response = backend.patch(
                f"/projects/{project_id}/tasks/a", json={"duration": 1 + n * EDITS + k}
            )
            statuses.append(response.status_code)
        return statuses

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = [s for run in pool.map(writer, range(WRITERS)) for s in run]

    assert statuses.count(200) == WRITERS * EDITS
    events = backend.get(f"/projects/{project_id}/events").json()
    assert len(events) == 1 + WRITERS * EDITS
    stale = backend.patch(
        f"/projects/{project_id}/tasks/a",
        json={"duration": 2},
        headers={"If-Match": "1"},
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 1 + WRITERS * EDITS


def test_plans_solved_while_the_project_moves_are_all_kept(
    backend: httpx.Client,
) -> None:
    project_id = backend.post("/projects", json=LAUNCH).json()["id"]
    url = f"/projects/{project_id}"

    def propose(_: int) -> httpx.Response:
        return backend.post(f"{url}/plans", json={"time_limit": 1})

    def edit(k: int) -> httpx.Response:
        return backend.patch(f"{url}/tasks/c", json={"duration": 3 + k % 3})

    with ThreadPoolExecutor(8) as pool:
        plans = [pool.submit(propose, n) for n in range(6)]
        edits = [pool.submit(edit, k) for k in range(30)]
        answers = [f.result() for f in plans + edits]

    assert [a.status_code for a in answers] == [201] * 6 + [200] * 30
    for answer in answers[:6]:
        plan = answer.json()
        recorded = backend.get(f"{url}/plans/{plan['id']}").json()
        assert recorded["project_version"] == plan["project_version"]
        solved_from = backend.get(url, params={"version": plan["project_version"]})
        assert solved_from.status_code == 200
