"""Run chunks in order, in this process or on a pool of worker processes.

Each chunk's draws come from its own seed (`chunk_rng`), and results are
handed back in chunk order, so the outcome is the same bits whatever the
number of workers. The consumer may stop early (a precision rule): chunks
still in flight are cancelled.
"""

from __future__ import annotations

import math
import multiprocessing
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from simulation.montecarlo import ChunkResult, Simulation

_worker_simulation: Simulation | None = None


def run_chunks(
    simulation: Simulation,
    chunks: Sequence[tuple[int, int]],
    seed: int,
    lhs: bool = False,
    workers: int = 1,
) -> Iterator[ChunkResult]:
    """Results of `chunks` (number, size), in order."""
    per_batch = simulation.batch_chunks()
    if workers > 1:
        per_batch = max(1, min(per_batch, math.ceil(len(chunks) / workers)))
    batches = [chunks[i : i + per_batch] for i in range(0, len(chunks), per_batch)]
    if workers <= 1 or len(batches) <= 1:
        for batch in batches:
            yield from simulation.run_batch(batch, seed, lhs)
        return
    yield from _pooled(simulation, batches, seed, lhs, workers)


def _pooled(
    simulation: Simulation,
    batches: list[Sequence[tuple[int, int]]],
    seed: int,
    lhs: bool,
    workers: int,
) -> Iterator[ChunkResult]:
    """At most `workers` batches in flight; results yielded in batch order."""
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_adopt, initargs=(simulation,)
    )
    try:
        flight: deque[Future[list[ChunkResult]]] = deque()
        queue = deque(batches)
        while queue or flight:
            while queue and len(flight) < workers:
                flight.append(pool.submit(_run, queue.popleft(), seed, lhs))
            yield from flight.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _adopt(simulation: Simulation) -> None:
    global _worker_simulation
    _worker_simulation = simulation


def _run(batch: Sequence[tuple[int, int]], seed: int, lhs: bool) -> list[ChunkResult]:
    assert _worker_simulation is not None
    return _worker_simulation.run_batch(batch, seed, lhs)
