"""Long work on a Dask cluster: the service's jobs run there when
`PLANFORGE_DASK_SCHEDULER` names one.

The work goes through the cluster's `concurrent.futures` executor
(`Client.get_executor`), the same path the nightly batch takes
(`service.commands.batch_executor`); the functions and arguments are the
ones the worker pool runs (`service.compute`). Progress travels as Dask
events (`Worker.log_event` -> `Client.subscribe_topic`), one topic per piece
of work, so a job's `progress` and its server-sent events look the same as on
the pool.

Cancelling is best effort, as far as Dask goes: work still waiting is never
started; running work cannot be interrupted on a Dask worker, so the job is
cancelled at once (its answer is dropped, nothing is recorded) while the
worker thread finishes its solve or forecast within the request's own limits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import uuid4

import orjson

from service.workers import Report, ignore

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")
DRAIN_SECONDS = 2.0  # how long the last progress events may trail the answer


def connect(address: str) -> Client:
    """A client of the Dask scheduler at `address` (tcp://host:8786)."""
    from distributed import Client

    return Client(address)  # type: ignore[no-untyped-call]


def _run_reporting(topic: str, function: Callable[..., T], args: tuple[Any, ...]) -> T:
    """The worker side: progress as events on `topic`, then `finished`."""
    from distributed import get_worker

    worker = get_worker()

    def report(payload: Mapping[str, Any]) -> None:
        plain = orjson.loads(orjson.dumps(payload, option=orjson.OPT_SERIALIZE_NUMPY))
        worker.log_event(topic, plain)  # events must be msgpack-able

    report({"event": "started", "worker": worker.address})
    try:
        return function(*args, report=report)
    finally:
        report({"event": "finished"})


class DaskRunner:
    """A `service.workers.Runner` over a Dask cluster's executor."""

    def __init__(self, address: str) -> None:
        self._client = connect(address)
        self._executor = self._client.get_executor(pure=False)  # type: ignore[no-untyped-call]
        self._running: dict[Future[Any], Future[Any]] = {}

    def submit(
        self, function: Callable[..., T], *args: Any, report: Report = ignore
    ) -> Future[T]:
        topic = f"planforge-progress-{uuid4()}"
        drained = threading.Event()

        def forward(event: tuple[float, Mapping[str, Any]]) -> None:
            payload = event[1]
            if payload.get("event") == "finished":
                drained.set()
            else:
                report(payload)

        self._client.subscribe_topic(topic, forward)  # type: ignore[no-untyped-call]
        running: Future[T]
        running = self._executor.submit(_run_reporting, topic, function, args)
        answer: Future[T] = Future()
        self._running[answer] = running
        threading.Thread(
            target=self._settle,
            args=(topic, running, drained, answer),
            name="planforge-dask-answer",
            daemon=True,
        ).start()
        return answer

    def cancel(self, future: Future[Any]) -> bool:
        """Drop the work: never started if it waits; if it runs, its answer
        is dropped (a Dask worker cannot interrupt it)."""
        running = self._running.get(future)
        if running is None or not running.cancel():
            return False
        future.cancel()
        return True

    def _settle(
        self,
        topic: str,
        running: Future[T],
        drained: threading.Event,
        answer: Future[T],
    ) -> None:
        """The answer once the work's last progress event came in (events and
        results travel apart)."""
        try:
            result = running.result()
        except BaseException as error:
            if not answer.cancelled():
                answer.set_exception(error)
        else:
            drained.wait(DRAIN_SECONDS)
            if answer.set_running_or_notify_cancel():
                answer.set_result(result)
        finally:
            self._running.pop(answer, None)
            self._client.unsubscribe_topic(topic)  # type: ignore[no-untyped-call]

    def close(self) -> None:
        self._client.close()  # type: ignore[no-untyped-call]
