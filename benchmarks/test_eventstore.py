"""Event-store benchmarks at small sizes, on SQLite and (when configured)
PostgreSQL; `python -m benchmarks.eventstore --full` runs the large ones."""

from __future__ import annotations

import os
from typing import Any

import pytest

from benchmarks.eventstore import (
    append_batched,
    history,
    load_seconds,
    portfolio_log,
    rebuild_rate,
    store_at,
)

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not os.environ.get("PLANFORGE_TEST_POSTGRES_URL"),
            reason="set PLANFORGE_TEST_POSTGRES_URL to run against PostgreSQL",
        ),
    ),
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_batched_append(benchmark: Any, backend: str) -> None:
    with store_at(backend) as store:
        rate = benchmark.pedantic(append_batched, (store, 5000), rounds=1, iterations=1)
        assert rate > 500
        assert store.events(store.project_ids()[0])[-1].version == 5001


@pytest.mark.parametrize("backend", BACKENDS)
def test_load_with_snapshots_is_flat(benchmark: Any, backend: str) -> None:
    with store_at(backend) as store:
        short, long = history(store, 100), history(store, 5000)
        benchmark.pedantic(store.get_project, (long,), rounds=5, iterations=1)
        assert store.get_project(long).version == 5000
        assert load_seconds(store, long, True) < 0.05
        assert (
            load_seconds(store, long, True)
            < 5 * load_seconds(store, short, False) + 0.01
        )


@pytest.mark.parametrize("backend", BACKENDS)
def test_portfolio_rebuild(benchmark: Any, backend: str) -> None:
    with store_at(backend) as store:
        portfolio_log(store, 5000)
        rate = benchmark.pedantic(rebuild_rate, (store, 5000), rounds=1, iterations=1)
        assert rate > 1000
