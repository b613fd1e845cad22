"""Delivery latency: from a write's HTTP answer to the signed event's arrival
at a receiver on loopback (real server thread, real deliverer, real HTTP)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import httpx

from domain.access import Role
from service.settings import Settings
from tests.e2e.conftest import serving
from tests.e2e.receiver import receiving

ROUNDS = 20


def latencies(client: httpx.Client, receiver: Any, project_id: str) -> list[float]:
    seen = []
    for number in range(ROUNDS):
        before = len(receiver.events)
        task = {"id": f"t{number}", "duration": 1}
        added = client.post(f"/projects/{project_id}/tasks", json=task)
        answered = time.perf_counter()
        assert added.status_code == 201, added.text
        while len(receiver.events) == before:
            assert time.perf_counter() - answered < 30, "no delivery in 30 s"
            time.sleep(0.001)
        seen.append(receiver.arrivals[before] - answered)
    return seen


def test_delivery_latency(benchmark: Any, tmp_path: Path) -> None:
    with (
        serving(Settings(data_dir=tmp_path)) as (url, planforge),
        receiving() as (hook, receiver),
    ):
        secret = planforge.access.issue_token("bench", Role.ADMIN, None, "bench")
        headers = {"Authorization": f"Bearer {secret}"}
        with httpx.Client(base_url=url, timeout=60, headers=headers) as client:
            made = client.post(
                "/webhooks", json={"url": hook, "events": ["project.changed"]}
            )
            receiver.secret = made.json()["secret"]
            project = client.post("/projects", json={"name": "L", "tasks": []})
            seconds = benchmark.pedantic(
                latencies, (client, receiver, project.json()["id"]), rounds=1
            )
    assert receiver.bad_signatures == 0
    median, worst = statistics.median(seconds), max(seconds)
    benchmark.extra_info.update(median_s=median, max_s=worst)
    assert median < 0.5, f"median delivery latency {median:.3f} s"
