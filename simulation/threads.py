"""Row work on both cores: one chunk's inverse CDFs, tallies and sorts.

NumPy releases the GIL inside each call on a block of rows, so two threads
overlap where a block's work is a few calls on tens of thousands of numbers
(a row of a chunk is 4,096 samples). The passes of the network, a few calls
of one row each per task, would spend their time handing the GIL back and
forth instead: they stay on the calling thread (measured on the 1,000-task
network, 2 cores: chunks on two threads 0.40 s for 20,000 samples against
0.51 s on one, the threads contending for the GIL in the passes). Each item
writes its own rows, so results do not depend on the threads.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

THREADS = min(2, len(os.sched_getaffinity(0)))  # the machines have 2 cores
PER_THREAD = 4  # items (blocks of rows) a thread needs to be worth its start

Item = TypeVar("Item")
_pool: ThreadPoolExecutor | None = None
_made = threading.Lock()
_inside = threading.local()  # set on the pool's own threads


def each(work: Callable[[Item], object], items: Sequence[Item]) -> None:
    """`work(item)` for every item, the items split into one contiguous run
    per thread (neighbouring rows stay with one thread, in cache). Inline
    with one thread, fewer than `PER_THREAD` items a thread (handing work
    over costs more than it saves), or when called from a pool thread."""
    parts = min(THREADS, len(items) // PER_THREAD)
    if parts < 2 or getattr(_inside, "pool", False):
        for item in items:
            work(item)
        return
    size = -(-len(items) // parts)
    runs = [items[first : first + size] for first in range(0, len(items), size)]

    def run(part: Sequence[Item]) -> None:
        for item in part:
            work(item)

    for _ in _shared_pool().map(run, runs):
        pass


def row_blocks(rows: int, block: int) -> list[slice]:
    """Slices of at most `block` rows covering `rows` rows."""
    return [slice(first, min(first + block, rows)) for first in range(0, rows, block)]


def _shared_pool() -> ThreadPoolExecutor:
    """The process's pool, made on first use (its threads wait idle after)."""
    global _pool
    with _made:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                THREADS, "planforge-rows", initializer=_mark_inside
            )
        return _pool


def _mark_inside() -> None:
    _inside.pool = True


def _forget_pool() -> None:
    """A forked child has the parent's pool object but none of its threads."""
    global _pool, _made
    _pool, _made = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_pool)
