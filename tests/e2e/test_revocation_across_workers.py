"""A token revoked through one uvicorn worker is refused by the other at
once (PostgreSQL, `planforge serve --workers 2`): each worker keeps the
access registry in memory, and looks at the database's version of it on
every request."""

from __future__ import annotations

import http.client
import json
import os
from pathlib import Path

import psutil
import pytest

from benchmarks.throughput import planforge_serve
from tests.integration.conftest import POSTGRES_URL_VARIABLE, _fresh_postgres_schema

pytestmark = pytest.mark.postgres


def call(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    token: str,
    body: object = None,
) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    sent = None if body is None else json.dumps(body)
    connection.request(method, path, sent, headers)
    answer = connection.getresponse()
    return answer.status, answer.read()


def worker_of(connection: http.client.HTTPConnection, server: int) -> int:
    """The pid of the worker process holding this connection's other end."""
    port = connection.sock.getsockname()[1]
    for worker in psutil.Process(server).children(recursive=True):
        if any(c.raddr and c.raddr.port == port for c in worker.net_connections()):
            return worker.pid
    raise AssertionError(f"no worker holds the connection from port {port}")


def test_a_token_revoked_through_one_worker_is_refused_by_the_other(
    tmp_path: Path,
) -> None:
    base = os.environ.get(POSTGRES_URL_VARIABLE)
    if not base:
        pytest.skip(f"set {POSTGRES_URL_VARIABLE} to run against PostgreSQL")
    schemas = _fresh_postgres_schema(base)
    try:
        with planforge_serve(tmp_path, next(schemas), workers=2) as served:
            url, admin, server = served
            host, port = url.removeprefix("http://").split(":")
            by_worker: dict[int, http.client.HTTPConnection] = {}
            opened = []
            while len(by_worker) < 2 and len(opened) < 100:  # new ones until both
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
                opened.append(connection)
                assert call(connection, "GET", "/health", admin)[0] == 200
                by_worker.setdefault(worker_of(connection, server), connection)
            assert len(by_worker) == 2, "every connection went to one worker"
            first, second = by_worker.values()
            token = {"name": "viewer", "role": "viewer"}
            status, made = call(first, "POST", "/tokens", admin, token)
            assert status == 201, made
            secret = json.loads(made)["token"]
            assert call(second, "GET", "/projects", secret)[0] == 200  # known there

            assert call(first, "DELETE", "/tokens/viewer", admin)[0] == 204

            assert call(second, "GET", "/projects", secret)[0] == 401
            assert call(first, "GET", "/projects", secret)[0] == 401
            for connection in opened:
                connection.close()
    finally:
        next(schemas, None)
