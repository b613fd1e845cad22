"""The throughput mix against a real server (benchmarks/throughput.py): every
answer a success and, when the machine has room for it, 100 requests/s served
with p99 under 1 s: a guard against collapse, not the target. Measured at
100/s: p99 20 ms in one run, 215 ms (SQLite) and 279 ms (PostgreSQL, 2
workers) in a CI run on the quiet machine; at 200/s the queue grows and p99 is
seconds. The issue's target (200/s, p99 < 100 ms) is NOT met: README, "How
good are the numbers". CI runs 20 s per backend;
`python -m benchmarks.throughput --rate 200 --seconds 60` measures the target."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.throughput import measure
from tests.integration.conftest import POSTGRES_URL_VARIABLE, _fresh_postgres_schema

RATE, SECONDS = 100.0, 20.0
P99_LIMIT_MS = 1000.0
BUSY_LOAD = 1.5  # load average per core above which latency cannot be judged


def check(figures: dict[str, object]) -> None:
    print(figures)
    assert figures["errors"] == 0, figures["first_errors"]
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    if load > BUSY_LOAD:
        pytest.skip(
            f"machine too loaded to judge latency (load {load:.1f}/core): {figures}"
        )
    p99 = figures["p99_ms"]
    assert isinstance(p99, float)
    assert figures["rate"] >= 0.95 * RATE
    assert p99 < P99_LIMIT_MS


@pytest.mark.slow
def test_sqlite_one_process(tmp_path: Path) -> None:
    check(measure(RATE, SECONDS, tmp_path))


@pytest.mark.slow
@pytest.mark.postgres
def test_postgresql_two_workers(tmp_path: Path) -> None:
    base = os.environ.get(POSTGRES_URL_VARIABLE)
    if not base:
        pytest.skip(f"set {POSTGRES_URL_VARIABLE} to run against PostgreSQL")
    schemas = _fresh_postgres_schema(base)
    try:
        check(measure(RATE, SECONDS, tmp_path, next(schemas)))
    finally:
        next(schemas, None)
