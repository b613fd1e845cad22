"""Run chunks in order: in this process, or on worker processes.

Each chunk's draws come from its own seed (`chunk_rng`), and results are
handed back in chunk order, so the outcome is the same bits whatever the
number of workers. In this process chunks run one after the other, each
spreading its row work over both cores (`simulation.threads`), the next
chunk drawn meanwhile. The consumer may stop early (a precision rule):
chunks not yet drawn never run, batches in flight on workers are cancelled.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from functools import partial

from simulation.montecarlo import Simulation
from simulation.tally import ChunkStats

MAX_BATCH = 8  # chunks a worker runs per call

_worker_simulation: Simulation | None = None


def run_chunks(
    simulation: Simulation,
    chunks: Sequence[tuple[int, int]],
    seed: int,
    lhs: bool = False,
    workers: int = 1,
) -> Iterator[ChunkStats]:
    """What a forecast keeps of `chunks` (number, size), in order."""
    if workers <= 1 or len(chunks) <= 1:
        yield from _drawn_ahead(simulation, chunks, seed, lhs)
        return
    # Worker processes only when asked for: multiprocessing is ~10 ms of a
    # command's start.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    per_batch = max(1, min(MAX_BATCH, math.ceil(len(chunks) / workers)))
    batches = [chunks[i : i + per_batch] for i in range(0, len(chunks), per_batch)]
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_adopt, initargs=(simulation,)
    )
    with pool:
        yield from _in_order(pool, workers, batches, partial(_run, seed=seed, lhs=lhs))


def _drawn_ahead(
    simulation: Simulation,
    chunks: Sequence[tuple[int, int]],
    seed: int,
    lhs: bool,
) -> Iterator[ChunkStats]:
    """The chunks one after the other, each next chunk's draws made on a
    second thread while this one runs the passes (a few calls of one row
    each per task: the GIL-bound part) and tallies the chunk before."""
    if not chunks:
        return
    with ThreadPoolExecutor(1, "planforge-draws") as drawer:
        upcoming = drawer.submit(simulation.draw, *chunks[0], seed, lhs)
        for position, (number, _) in enumerate(chunks):
            drawn = upcoming.result()
            if position + 1 < len(chunks):
                following = chunks[position + 1]
                upcoming = drawer.submit(simulation.draw, *following, seed, lhs)
            yield simulation.tally(number, *drawn)


def _in_order(
    executor: Executor,
    flight_limit: int,
    batches: list[Sequence[tuple[int, int]]],
    run: Callable[[Sequence[tuple[int, int]]], list[ChunkStats]],
) -> Iterator[ChunkStats]:
    """At most `flight_limit` batches in flight; results yielded in batch
    order; whatever is still in flight when the consumer stops is cancelled."""
    flight: deque[Future[list[ChunkStats]]] = deque()
    queue = deque(batches)
    try:
        while queue or flight:
            while queue and len(flight) < flight_limit:
                flight.append(executor.submit(run, queue.popleft()))
            yield from flight.popleft().result()
    finally:
        for future in flight:
            future.cancel()


def _adopt(simulation: Simulation) -> None:
    global _worker_simulation
    _worker_simulation = simulation


def _run(batch: Sequence[tuple[int, int]], *, seed: int, lhs: bool) -> list[ChunkStats]:
    assert _worker_simulation is not None
    return [_worker_simulation.chunk_stats(n, size, seed, lhs) for n, size in batch]
