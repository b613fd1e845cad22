"""The bounded worker pool: solves, forecasts and scenarios run in worker
processes, never on the threads that answer requests.

One mechanism serves synchronous requests, jobs and the command line: a
`Runner` takes a module-level function and its (picklable) arguments and
returns a `concurrent.futures.Future`. The function receives a `report`
keyword to send progress (a small JSON mapping) back to the caller.

- `WorkerPool` (the service): at most `workers` run at once, at most
  `queue_limit` more wait; past that `submit` raises `Busy` at once (HTTP 503
  with Retry-After) rather than queueing without end. Workers are forked from
  a forkserver that has already imported the solver and the simulator, so a
  job starts in milliseconds, and run at a lower CPU priority than the
  process answering requests (`priority`, see `_start_worker`). `cancel`
  kills the worker process running the job (pebble), so a CP-SAT solve stops
  at once; the pool starts a fresh worker in its place.
- `InlineRunner` (the CLI, batch workers): runs in the calling thread.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from itertools import count
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from domain import PlanforgeError

if TYPE_CHECKING:
    from pebble import ProcessPool

T = TypeVar("T")
TICK_SECONDS = 0.5
Report = Callable[[Mapping[str, Any]], None]


def ignore(_: Mapping[str, Any]) -> None:
    """A report nobody listens to."""


@contextmanager
def ticking(report: Report, time_limit: float) -> Iterator[None]:
    """Report the `seconds` spent (of `time_limit`) when the body starts,
    every TICK_SECONDS while it runs and when it ends: the progress of a
    search that reports none of its own."""
    began = time.monotonic()
    done = threading.Event()

    def spent() -> None:
        seconds = round(time.monotonic() - began, 2)
        report({"event": "search", "seconds": seconds, "time_limit": time_limit})

    def tick() -> None:
        while not done.wait(TICK_SECONDS):
            spent()

    spent()
    ticker = threading.Thread(target=tick, name="planforge-ticker", daemon=True)
    ticker.start()
    try:
        yield
    finally:
        done.set()
        ticker.join()
        spent()


class Busy(PlanforgeError):
    """Every worker is busy and the queue is full: try again later."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(
            f"all workers are busy and the queue is full; retry in {retry_after} s"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.retry_after,))


class TooManyJobs(PlanforgeError):
    """The caller already holds its share of the job queue: retry later."""

    def __init__(self, held: int, retry_after: int) -> None:
        self.held, self.retry_after = held, retry_after
        super().__init__(
            f"you have {held} jobs queued or running, your share of the queue; "
            f"retry in {retry_after} s or cancel one"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.held, self.retry_after))


class Runner(Protocol):
    def submit(
        self, function: Callable[..., T], *args: Any, report: Report = ignore
    ) -> Future[T]:
        """Start `function(*args, report=...)`; its result comes in the future."""

    def cancel(self, future: Future[Any]) -> bool:
        """Stop the work, running or waiting; False when it already ended."""


class InlineRunner:
    """Runs the work in the calling thread (command line, batch workers)."""

    def submit(
        self, function: Callable[..., T], *args: Any, report: Report = ignore
    ) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(function(*args, report=report))
        except BaseException as error:
            future.set_exception(error)
        return future

    def cancel(self, future: Future[Any]) -> bool:
        return False


# The progress channel of a worker process, set once by `_start_worker`.
_worker_channel: Any = None


def _start_worker(channel: Any, priority: str) -> None:
    """Keep the progress channel; yield the CPU to the threads that answer
    requests (a full pool must not slow /health and reads): `idle` runs the
    worker in Linux's SCHED_IDLE class (CPU time nothing else wants; a request
    preempts it at once), `low` at nice 10, `normal` as the server."""
    global _worker_channel
    _worker_channel = channel
    if priority == "idle":
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    elif priority == "low":
        os.nice(10)


def _run_in_worker(key: int, function: Callable[..., T], args: tuple[Any, ...]) -> T:
    """The worker side of one piece of work: announce the start, forward
    progress to the parent, run."""
    channel = _worker_channel

    def report(payload: Mapping[str, Any]) -> None:
        channel.put((key, dict(payload)))

    report({"event": "started", "pid": os.getpid()})
    result = function(*args, report=report)
    report({"event": "finished"})  # every progress report is in the channel
    return result


class WorkerPool:
    """At most `workers` processes busy and `queue_limit` pieces of work waiting.

    Started on first use; `close` stops the workers and the progress listener.
    """

    def __init__(
        self, workers: int, queue_limit: int, retry_after: int, priority: str = "low"
    ) -> None:
        self.workers = workers
        self.priority = priority
        self.queue_limit = queue_limit
        self.retry_after = retry_after
        self._slots = threading.BoundedSemaphore(workers + queue_limit)
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["service.compute"])
        self._keys = count(1)
        self._reports: dict[int, Report] = {}
        self._drained: dict[int, threading.Event] = {}
        self._running: dict[Future[Any], Future[Any]] = {}
        self._lock = threading.Lock()
        self._pool: ProcessPool | None = None
        self._channel: Any = None
        self._listener: threading.Thread | None = None

    def submit(
        self, function: Callable[..., T], *args: Any, report: Report = ignore
    ) -> Future[T]:
        if not self._slots.acquire(blocking=False):
            raise Busy(self.retry_after)
        try:
            pool = self._started()
            key = next(self._keys)
            drained = threading.Event()
            self._reports[key] = report
            self._drained[key] = drained
            running: Future[T] = pool.schedule(_run_in_worker, (key, function, args))
        except BaseException:
            self._slots.release()
            raise
        answer: Future[T] = Future()
        self._running[answer] = running
        running.add_done_callback(lambda done: self._settle(key, done, answer))
        return answer

    def cancel(self, future: Future[Any]) -> bool:
        """Cancel waiting work, or kill the worker process running it."""
        running = self._running.get(future)
        return running.cancel() if running is not None else False

    def _settle(self, key: int, running: Future[T], answer: Future[T]) -> None:
        """The answer, once the work's last progress report went out (the
        result and the progress travel on different pipes)."""
        if running.cancelled():
            answer.cancel()
        elif (error := running.exception()) is not None:
            answer.set_exception(error)
        else:
            drained = self._drained.get(key)
            if drained is not None:
                drained.wait(timeout=5)
            answer.set_result(running.result())
        self._running.pop(answer, None)
        self._finished(key)

    @property
    def pending(self) -> int:
        """Pieces of work running or waiting."""
        return len(self._reports)

    def close(self) -> None:
        with self._lock:
            if self._pool is None:
                return
            self._pool.stop()  # type: ignore[no-untyped-call]
            self._pool.join(timeout=10)
            self._channel.put((0, None))
            if self._listener is not None:
                self._listener.join(timeout=5)
            self._pool = None

    def _started(self) -> ProcessPool:
        from pebble import ProcessPool  # with asyncio: the service's pool only

        with self._lock:
            if self._pool is None:
                self._channel = self._context.SimpleQueue()
                self._pool = ProcessPool(
                    max_workers=self.workers,
                    initializer=_start_worker,
                    initargs=(self._channel, self.priority),
                    context=self._context,
                )
                self._listener = threading.Thread(
                    target=self._listen,
                    args=(self._channel,),
                    name="planforge-progress",
                    daemon=True,
                )
                self._listener.start()
            return self._pool

    def _listen(self, channel: Any) -> None:
        while True:
            key, payload = channel.get()
            if payload is None:
                return
            if payload.get("event") == "finished":
                drained = self._drained.get(key)
                if drained is not None:
                    drained.set()
                continue
            report = self._reports.get(key)
            if report is not None:
                report(payload)

    def _finished(self, key: int) -> None:
        self._reports.pop(key, None)
        self._drained.pop(key, None)
        self._slots.release()
