"""Long work on a Dask cluster: the service's jobs run there when
`PLANFORGE_DASK_SCHEDULER` names one.

The work goes through the cluster's `concurrent.futures` executor
(`Client.get_executor`), the same path the nightly batch takes
(`service.commands.batch_executor`); the functions and arguments are the
ones the worker pool runs (`service.compute`). Progress travels as Dask
events (`Worker.log_event` -> `Client.subscribe_topic`), one topic per piece
of work, so a job's `progress` and its server-sent events look the same as on
the pool.

Cancelling stops the work: waiting work is never started; running work runs
in a child process of the Dask worker (`service.isolated`; a worker's thread
cannot be interrupted), which its thread kills when the piece of work's
`distributed.Event` is set, so the worker is free within a second.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import uuid4

import orjson

from service import isolated
from service.workers import Report, ignore

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")
DRAIN_SECONDS = 2.0  # how long the last progress events may trail the answer


def connect(address: str) -> Client:
    """A client of the Dask scheduler at `address` (tcp://host:8786)."""
    from distributed import Client

    return Client(address)  # type: ignore[no-untyped-call]


def _run_reporting(
    topic: str, stop: str, function: Callable[..., T], args: tuple[Any, ...]
) -> T:
    """The worker side: progress as events on `topic`, then `finished`; the
    work runs in a child process, killed once the event `stop` is set."""
    from distributed import Event, get_worker

    worker = get_worker()
    stopped = Event(stop)  # type: ignore[no-untyped-call]

    def report(payload: Mapping[str, Any]) -> None:
        plain = orjson.loads(orjson.dumps(payload, option=orjson.OPT_SERIALIZE_NUMPY))
        worker.log_event(topic, plain)  # events must be msgpack-able

    report({"event": "started", "worker": worker.address})
    try:
        answer: T = isolated.run(function, args, report, stopped.wait)
        return answer
    finally:
        report({"event": "finished"})


class DaskRunner:
    """A `service.workers.Runner` over a Dask cluster's executor."""

    def __init__(self, address: str) -> None:
        self._client = connect(address)
        self._executor = self._client.get_executor(pure=False)  # type: ignore[no-untyped-call]
        self._running: dict[Future[Any], Future[Any]] = {}
        self._stops: dict[Future[Any], str] = {}  # the Event that stops the work

    def submit(
        self, function: Callable[..., T], *args: Any, report: Report = ignore
    ) -> Future[T]:
        topic, stop = f"planforge-progress-{uuid4()}", f"planforge-stop-{uuid4()}"
        drained = threading.Event()

        def forward(event: tuple[float, Mapping[str, Any]]) -> None:
            payload = event[1]
            if payload.get("event") == "finished":
                drained.set()
            else:
                report(payload)

        self._client.subscribe_topic(topic, forward)  # type: ignore[no-untyped-call]
        running: Future[T]
        running = self._executor.submit(_run_reporting, topic, stop, function, args)
        answer: Future[T] = Future()
        self._running[answer] = running
        self._stops[answer] = stop
        threading.Thread(
            target=self._settle,
            args=(topic, running, drained, answer),
            name="planforge-dask-answer",
            daemon=True,
        ).start()
        return answer

    def cancel(self, future: Future[Any]) -> bool:
        """Stop the work: never started if it waits; killed if it runs."""
        running, stop = self._running.get(future), self._stops.get(future)
        if running is None or stop is None or running.done():
            return False
        from distributed import Event

        Event(stop, client=self._client).set()  # type: ignore[no-untyped-call]
        running.cancel()
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
            self._stops.pop(answer, None)
            self._client.unsubscribe_topic(topic)  # type: ignore[no-untyped-call]

    def close(self) -> None:
        self._client.close()  # type: ignore[no-untyped-call]
