"""The throughput mix against a real server (benchmarks/throughput.py): every
answer a success and, when the machine has room for it, 200 requests/s served
on SQLite (PostgreSQL with two workers: 150/s) with p99 under 1 s: a guard
against collapse that CI can hold, not the target's 100 ms. Measured on this
2-core machine with the others' work held back (60 s runs, README "How good
are the numbers"): SQLite, one process, 200/s: p99 23 ms, 150/s: p99 10 ms;
PostgreSQL, two workers, 200/s: p99 19 ms, 150/s: p99 360 ms (one stall of
the writes); 0 errors in each. CI runs 20 s per backend;
`python -m benchmarks.throughput --rate 200 --seconds 60` measures the target."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.throughput import measure
from tests.integration.conftest import POSTGRES_URL_VARIABLE, _fresh_postgres_schema

SQLITE_RATE, POSTGRES_RATE, SECONDS = 200.0, 150.0, 20.0
P99_LIMIT_MS = 1000.0
BUSY_LOAD = 1.5  # load average per core above which latency cannot be judged


def check(figures: dict[str, object], rate: float) -> None:
    print(figures)
    assert figures["errors"] == 0, figures["first_errors"]
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    if load > BUSY_LOAD:
        pytest.skip(
            f"machine too loaded to judge latency (load {load:.1f}/core): {figures}"
        )
    p99 = figures["p99_ms"]
    assert isinstance(p99, float)
    assert figures["rate"] >= 0.95 * rate
    assert p99 < P99_LIMIT_MS


@pytest.mark.slow
def test_sqlite_one_process(tmp_path: Path) -> None:
    check(measure(SQLITE_RATE, SECONDS, tmp_path), SQLITE_RATE)


@pytest.mark.slow
@pytest.mark.postgres
def test_postgresql_two_workers(tmp_path: Path) -> None:
    base = os.environ.get(POSTGRES_URL_VARIABLE)
    if not base:
        pytest.skip(f"set {POSTGRES_URL_VARIABLE} to run against PostgreSQL")
    schemas = _fresh_postgres_schema(base)
    try:
        check(measure(POSTGRES_RATE, SECONDS, tmp_path, next(schemas)), POSTGRES_RATE)
    finally:
        next(schemas, None)
