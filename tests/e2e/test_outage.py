"""The store goes down and comes back (PostgreSQL behind a cuttable TCP
forwarder): /health says 503 within 2 s, requests get 503 with Retry-After
instead of hanging, and the service recovers by itself."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from domain.access import Role
from service.settings import Settings
from tests.e2e.conftest import serving
from tests.e2e.tcp_proxy import TcpProxy
from tests.e2e.test_http_projects import LAUNCH
from tests.integration.conftest import POSTGRES_URL_VARIABLE, _fresh_postgres_schema

pytestmark = pytest.mark.postgres


@pytest.fixture
def through_proxy(tmp_path: Path) -> Iterator[tuple[httpx.Client, TcpProxy]]:
    base = os.environ.get(POSTGRES_URL_VARIABLE)
    if not base:
        pytest.skip(f"set {POSTGRES_URL_VARIABLE} to run against PostgreSQL")
    schemas = _fresh_postgres_schema(base)
    direct = urlsplit(next(schemas))
    proxy = TcpProxy((direct.hostname or "127.0.0.1", direct.port or 5432))
    netloc = f"{direct.username}:{direct.password}@127.0.0.1:{proxy.port}"
    url = urlunsplit(direct._replace(netloc=netloc))
    with serving(Settings(data_dir=tmp_path, database_url=url)) as (base_url, app):
        secret = app.access.issue_token("ops", Role.ADMIN, None, "setup")
        headers = {"Authorization": f"Bearer {secret}"}
        with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
            yield client, proxy
    proxy.cut()
    next(schemas, None)


def timed(call: object) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    assert callable(call)
    response = call()
    return response, time.monotonic() - started


def test_down_then_back(through_proxy: tuple[httpx.Client, TcpProxy]) -> None:
    client, proxy = through_proxy
    project_id = client.post("/projects", json=LAUNCH).json()["id"]
    proxy.cut()

    health, health_seconds = timed(lambda: client.get("/health"))
    read, read_seconds = timed(lambda: client.get(f"/projects/{project_id}"))
    write, _ = timed(
        lambda: client.patch(f"/projects/{project_id}/tasks/a", json={"duration": 4})
    )

    assert health.status_code == 503
    assert health_seconds < 2.0
    assert read.status_code == write.status_code == 503, (read.text, write.text)
    assert read.headers["Retry-After"] == write.headers["Retry-After"] == "2"
    assert read_seconds < 5.0
    again, again_seconds = timed(lambda: client.get(f"/projects/{project_id}"))
    assert again.status_code == 503
    assert again_seconds < 0.5  # known down: answered without waiting

    proxy.restore()
    deadline = time.monotonic() + 20
    while client.get("/health").status_code != 200:
        assert time.monotonic() < deadline, "did not recover"
        time.sleep(0.2)
    assert client.get(f"/projects/{project_id}").status_code == 200
    edited = client.patch(f"/projects/{project_id}/tasks/a", json={"duration": 4})
    assert edited.status_code == 200
