"""The service answers while its worker pool is full: /health and a project
read stay under 50 ms at the 99th percentile while every worker runs a long
forecast and the queue is full (skipped, saying so, when the machine is so
loaded that an idle server's /health p99 is over 25 ms). A real `planforge
serve` process (the figures are the server's, not the test process's), real
worker processes."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.serve import planforge_serve

REQUESTS = 300
LAUNCH = Path(__file__).resolve().parents[1] / "service" / "data" / "launch.json"
LONG_FORECAST = {"engine": "dynamic", "samples": 1_000_000, "seed": 1}


def p99_milliseconds(client: httpx.Client, path: str) -> float:
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        answer = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200
    timings.sort()
    return timings[int(0.99 * len(timings)) - 1]


def test_reads_stay_fast_while_the_pool_is_full(benchmark: Any, tmp_path: Path) -> None:
    with planforge_serve(
        tmp_path, workers="2", queue_limit="2", worker_priority="idle"
    ) as (url, secret, _):
        headers = {"Authorization": f"Bearer {secret}"}
        with httpx.Client(base_url=url, timeout=600, headers=headers) as client:
            measure(benchmark, client)


def measure(benchmark: Any, client: httpx.Client) -> None:
    project_id = client.post("/projects", json=json.loads(LAUNCH.read_text())).json()[
        "id"
    ]
    idle = p99_milliseconds(client, "/health")
    idle_read = p99_milliseconds(client, f"/projects/{project_id}")
    if max(idle, idle_read) > 25:
        pytest.skip(
            f"machine too loaded to judge: idle p99 /health {idle:.0f} ms, "
            f"read {idle_read:.0f} ms"
        )
    plan = client.post(f"/projects/{project_id}/plans", json={"time_limit": 20})
    forecasts = f"/projects/{project_id}/forecasts"
    body = {**LONG_FORECAST, "plan_id": plan.json()["id"]}
    for _ in range(4):  # two running, two waiting: the pool is full
        threading.Thread(
            target=lambda: client.post(forecasts, json=body),
            daemon=True,
        ).start()
    time.sleep(2)
    refused = client.post(forecasts, json=body)
    assert refused.status_code == 503, refused.text  # the pool really is full
    health = benchmark.pedantic(
        p99_milliseconds, (client, "/health"), rounds=1, iterations=1
    )
    read = p99_milliseconds(client, f"/projects/{project_id}")
    benchmark.extra_info.update(
        idle_health_p99_ms=idle,
        idle_read_p99_ms=idle_read,
        health_p99_ms=health,
        read_p99_ms=read,
    )
    assert health < 50, f"/health p99 {health:.1f} ms"
    assert read < 50, f"project read p99 {read:.1f} ms"
