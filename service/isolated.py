"""One piece of work in a child process that can be killed: how a job on a
Dask worker stops within a second when it is cancelled.

A Dask worker runs work on its threads, which cannot be interrupted, and its
process is a daemon, which `multiprocessing` forbids to have children. So the
work runs in a plain child interpreter (`subprocess`, `python -m
service.isolated`): the parent sends `(function, args)` pickled on the
child's stdin and reads pickled frames from its stdout, `("progress",
payload)` as the work reports, then `("result", value)` or `("error",
exception)`. `run` passes progress on and polls `cancelled()`; when it turns
true the child is killed (a CP-SAT search, a Monte Carlo chunk, anything)
and `run` raises `CancelledError`, so the worker thread is free at once.

A spare child is started ahead (it imports the solver and the simulator while
it waits), so a job does not wait for an interpreter to start. A child whose
parent dies exits by itself.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import CancelledError
from typing import IO, Any

from service.workers import Report

POLL_SECONDS = 0.1
PARENT_CHECK_SECONDS = 1.0
_spare: subprocess.Popen[bytes] | None = None
_spare_lock = threading.Lock()


def run(
    function: Callable[..., Any],
    args: tuple[Any, ...],
    report: Report,
    cancelled: Callable[[float], bool],
) -> Any:
    """`function(*args, report=report)` in a child; `cancelled(timeout)` waits
    up to `timeout` seconds and says whether to stop (then the child is killed
    and CancelledError raised)."""
    child = _take_spare()
    assert child.stdin is not None
    assert child.stdout is not None
    outcome: list[tuple[str, Any]] = []
    reader = threading.Thread(
        target=_read, args=(child.stdout, report, outcome), daemon=True
    )
    reader.start()
    with contextlib.suppress(BrokenPipeError):  # a dead child's exit is read below
        child.stdin.write(pickle.dumps((function, args)))
        child.stdin.close()
    while reader.is_alive():
        if cancelled(POLL_SECONDS):
            child.kill()
            child.wait()
            raise CancelledError
    child.wait()
    if not outcome:
        raise RuntimeError(f"the work's process ended with code {child.returncode}")
    kind, value = outcome[0]
    if kind == "error":
        raise value
    return value


def _read(stream: IO[bytes], report: Report, outcome: list[tuple[str, Any]]) -> None:
    while True:
        try:
            kind, value = pickle.load(stream)  # frames of our own child
        except (EOFError, pickle.UnpicklingError):
            return
        if kind == "progress":
            report(value)
        else:
            outcome.append((kind, value))


def _take_spare() -> subprocess.Popen[bytes]:
    """The waiting child (a fresh one if there is none); another is started."""
    global _spare
    with _spare_lock:
        child = _spare if _spare is not None and _spare.poll() is None else _start()
        _spare = _start()
    return child


def _start() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "service.isolated", str(os.getpid())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )


def _watch_parent(parent: int) -> None:
    """Exit when the parent is gone (its pid is no longer our parent)."""
    while True:
        threading.Event().wait(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(1)


def _child(parent: int) -> None:
    """The child's side: frames go to the real stdout; anything the work
    prints goes to stderr instead."""
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    import service.compute  # noqa: F401  (loaded while the spare waits)

    try:
        function, args = pickle.load(sys.stdin.buffer)
    except EOFError:  # a spare nobody took: its parent closed
        return
    lock = threading.Lock()

    def send(kind: str, value: Any) -> None:
        frame = pickle.dumps((kind, value))  # whole, or nothing is written
        with lock:
            channel.write(frame)
            channel.flush()

    def report(payload: Mapping[str, Any]) -> None:
        send("progress", dict(payload))

    try:
        send("result", function(*args, report=report))
    except Exception as error:  # the parent raises it
        try:
            send("error", error)
        except Exception:  # an exception that does not pickle: its words
            send("error", RuntimeError(f"{type(error).__name__}: {error}"))


if __name__ == "__main__":
    _child(int(sys.argv[1]))
