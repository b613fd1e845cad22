"""The bounded worker pool: its limit, cancelling, errors across processes."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from domain import Problem, ValidationError
from service.workers import Busy, WorkerPool
from tests.e2e.hold import hold


def refuse(*, report: Any) -> None:
    raise ValidationError([Problem("tasks[0].duration", "must not be negative")])


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(workers=1, queue_limit=1, retry_after=7)
    yield workers
    workers.close()


def test_work_past_the_queue_limit_is_refused_with_a_retry_time(
    pool: WorkerPool,
) -> None:
    running = pool.submit(hold, 0.5)
    waiting = pool.submit(hold, 0.0)
    with pytest.raises(Busy) as refused:
        pool.submit(hold, 0.0)
    assert refused.value.retry_after == 7
    assert (running.result(), waiting.result()) == (0.5, 0.0)
    assert pool.submit(hold, 0.0).result() == 0.0  # the slots came back


def test_a_cancelled_job_stops_its_worker_within_a_second(pool: WorkerPool) -> None:
    reports: list[Mapping[str, Any]] = []
    future = pool.submit(hold, 60.0, report=reports.append)
    while not reports:
        time.sleep(0.01)
    pid = reports[0]["pid"]
    started = time.perf_counter()
    assert pool.cancel(future)
    while _alive(pid) and time.perf_counter() - started < 5:
        time.sleep(0.005)
    assert not _alive(pid)
    assert time.perf_counter() - started < 1.0
    assert pool.submit(hold, 0.0).result() == 0.0  # a fresh worker took its place


def test_a_validation_error_keeps_its_problems_across_processes(
    pool: WorkerPool,
) -> None:
    with pytest.raises(ValidationError) as refused:
        pool.submit(refuse).result()
    assert refused.value.problems == [
        Problem("tasks[0].duration", "must not be negative")
    ]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a killed child stays a zombie until reaped: read its state
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False
