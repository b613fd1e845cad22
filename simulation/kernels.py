# mypy: disable-error-code="no-untyped-def"
"""Compiled passes (numba): the network's forward and backward passes, the
critical count and each risk's re-run, fused and in cache-sized blocks.

They do what `simulation.network`'s NumPy passes do, in the same float32
operations in the same order, so their times are the same bits; what they
save is the Python call per task and edge, the temporaries and the memory
traffic: each pass walks the tasks once per block of `BLOCK` samples, whose
rows stay in cache from a task's predecessors to its successors.

A network is given as CSR arrays (`CompiledNetwork`): task t's incoming
edges are `in_row[in_ptr[t]:in_ptr[t + 1]]` (the row of the bounding time,
start rows 0..n-1, finish rows n..2n-1), their lags and whether each bounds
t's finish; outgoing edges alike. The kernels are compiled once and cached on
disk (`cache=True`) and release the GIL (`nogil`).
Importing numba and loading the cached kernels costs about half a second of
CPU, so `simulation.montecarlo` uses them only where that pays.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numba import njit
from numpy.typing import NDArray

from simulation.network import Edge, Network

GROUP = 1024  # (risk, sample) pairs re-run at once
Csr = tuple[
    NDArray[np.int64], NDArray[np.int64], NDArray[np.float32], NDArray[np.bool_]
]


@dataclass(frozen=True)
class CompiledNetwork:
    """A `Network` and its risks as the arrays the kernels read: `less`
    (risks, tasks) is what a risk's impact is multiplied by on each task (0
    off its tasks, else the task's pause stretch); `risk_of[risk_ptr[t]:
    risk_ptr[t + 1]]` the risks that hit task t."""

    order: NDArray[np.int64]
    floors: NDArray[np.float32]
    in_ptr: NDArray[np.int64]
    in_row: NDArray[np.int64]
    in_lag: NDArray[np.float32]
    in_to_finish: NDArray[np.bool_]
    out_ptr: NDArray[np.int64]
    out_row: NDArray[np.int64]
    out_lag: NDArray[np.float32]
    out_from_finish: NDArray[np.bool_]
    less: NDArray[np.float32]
    risk_ptr: NDArray[np.int64]
    risk_of: NDArray[np.int64]

    @classmethod
    def of(
        cls,
        network: Network,
        risk_tasks: Sequence[NDArray[np.intp]],
        stretch: NDArray[np.float32] | None,
    ) -> CompiledNetwork:
        def csr(edges: Sequence[Sequence[Edge]]) -> Csr:
            pointer = np.zeros(len(edges) + 1, np.int64)
            pointer[1:] = np.cumsum([len(task_edges) for task_edges in edges])
            flat = [edge for task_edges in edges for edge in task_edges]
            return (
                pointer,
                np.array([row for row, _, _ in flat], np.int64),
                np.array([lag for _, lag, _ in flat], np.float32),
                np.array([flag for _, _, flag in flat], np.bool_),
            )

        count = network.task_count
        less = np.zeros((len(risk_tasks), count), np.float32)
        for risk, rows in enumerate(risk_tasks):
            less[risk, rows] = 1 if stretch is None else stretch[rows]
        hits = [np.flatnonzero(column) for column in less.T]
        risk_ptr = np.zeros(count + 1, np.int64)
        risk_ptr[1:] = np.cumsum([rows.size for rows in hits])
        return cls(
            np.array(network.order, np.int64),
            np.array(network.floors, np.float32),
            *csr(network.incoming),
            *csr(network.outgoing),
            less,
            risk_ptr,
            np.concatenate([*hits, np.zeros(0, np.intp)]).astype(np.int64),
        )

    def run(
        self,
        durations: NDArray[np.float32],
        tolerance_scale: float,
        occurs: NDArray[np.bool_],
        impact: NDArray[np.float32],
        fresh: bool = True,
    ) -> tuple[
        NDArray[np.float32], NDArray[np.float32], NDArray[np.int64], NDArray[np.float32]
    ]:
        """Earliest times (2 tasks, samples), each sample's project duration,
        how many samples each task is critical in (total float at most
        `tolerance_scale` x max(duration, 1)), and the project duration with
        each risk switched off in the samples it occurs in (risks, samples).
        Not `fresh`: the times are this thread's scratch, overwritten by its
        next run (fresh pages cost more than the passes on them)."""
        count, samples = durations.shape
        cells = 2 * count * samples
        times = np.empty(cells, np.float32) if fresh else _scratch("times", cells)
        ends = np.empty(samples, np.float32)
        critical = np.zeros(count, np.int64)
        without = np.empty((len(occurs), samples), np.float32)
        _run(
            self.order,
            self.floors,
            self.in_ptr,
            self.in_row,
            self.in_lag,
            self.in_to_finish,
            self.out_ptr,
            self.out_row,
            self.out_lag,
            self.out_from_finish,
            durations,
            np.float32(tolerance_scale),
            occurs,
            impact,
            self.risk_ptr,
            self.risk_of,
            self.less,
            times.reshape(2 * count, samples),
            ends,
            critical,
            without,
            _scratch("latest", cells).reshape(2 * count, samples),
            _scratch("rerun", 2 * count * GROUP),
        )
        return times.reshape(2 * count, samples), ends, critical, without


_held = threading.local()


def _scratch(name: str, size: int) -> NDArray[np.float32]:
    """`size` float32 values of this thread's buffer `name`, kept between
    runs (a forecast's threads end with it, and their buffers with them)."""
    buffer: NDArray[np.float32] | None = getattr(_held, name, None)
    if buffer is None or buffer.size < size:
        buffer = np.empty(size, np.float32)
        setattr(_held, name, buffer)
    return buffer[:size]


@njit(cache=True, nogil=True)
def _run(
    order,
    floors,
    in_ptr,
    in_row,
    in_lag,
    in_to_finish,
    out_ptr,
    out_row,
    out_lag,
    out_from_finish,
    durations,
    tolerance_scale,
    occurs,
    impact,
    risk_ptr,
    risk_of,
    less,
    times,
    ends,
    critical,
    without,
    latest,
    buffer,
):
    """The forward pass, the backward pass with the critical count (in
    `latest`), then every risk's re-run of the samples it occurs in, `GROUP`
    (risk, sample) pairs at a time (`_forward` over gathered columns, in
    `buffer`)."""
    count, samples = durations.shape
    everything = np.arange(samples)
    no_risk = np.empty(0, np.int64)
    length = np.empty(max(samples, GROUP), np.float32)
    _forward(
        order, floors, in_ptr, in_row, in_lag, in_to_finish, durations,
        everything, no_risk, risk_ptr, risk_of, less, impact, times, length, ends,
    )  # fmt: skip
    _critical(
        order, out_ptr, out_row, out_lag, out_from_finish, durations,
        tolerance_scale, times, ends, critical, latest,
    )  # fmt: skip
    risks = occurs.shape[0]
    for r in range(risks):
        without[r] = ends
    pairs = 0
    for r in range(risks):
        for s in range(samples):
            pairs += occurs[r, s]
    column = np.empty(pairs, np.int64)
    risk = np.empty(pairs, np.int64)
    k = 0
    for r in range(risks):
        for s in range(samples):
            if occurs[r, s]:
                column[k] = s
                risk[k] = r
                k += 1
    rerun_ends = np.empty(GROUP, np.float32)
    for first in range(0, pairs, GROUP):
        last = min(first + GROUP, pairs)
        width = last - first
        _forward(
            order, floors, in_ptr, in_row, in_lag, in_to_finish, durations,
            column[first:last], risk[first:last], risk_ptr, risk_of, less, impact,
            buffer[: 2 * count * width].reshape((2 * count, width)), length,
            rerun_ends,
        )  # fmt: skip
        for j in range(width):
            without[risk[first + j], column[first + j]] = rerun_ends[j]


@njit(cache=True, nogil=True)
def _forward(
    order,
    floors,
    in_ptr,
    in_row,
    in_lag,
    in_to_finish,
    durations,
    columns,
    risk,
    risk_ptr,
    risk_of,
    less,
    impact,
    times,
    length,
    ends,
):
    """Earliest times of samples `columns` into `times` (2 tasks, columns)
    and their project durations into `ends`; with `risk` (one per column, or
    empty), each column's risk switched off (its impact taken back)."""
    count = durations.shape[0]
    width = columns.size
    whole = width == durations.shape[1] and risk.size == 0
    for s in range(width):
        ends[s] = np.float32(0)
    for task in order:
        row = durations[task]
        if whole:
            task_length = row
        else:
            for s in range(width):
                length[s] = row[columns[s]]
            for h in range(risk_ptr[task], risk_ptr[task + 1]):
                hit, cut = risk_of[h], less[risk_of[h], task]
                for s in range(width):
                    if risk[s] == hit:
                        length[s] -= impact[hit, columns[s]] * cut
            task_length = length
        start = times[task]
        floor = floors[task]
        for s in range(width):
            start[s] = floor
        for e in range(in_ptr[task], in_ptr[task + 1]):
            other, lag = times[in_row[e]], in_lag[e]
            if in_to_finish[e]:
                for s in range(width):
                    start[s] = max(start[s], (other[s] + lag) - task_length[s])
            else:
                for s in range(width):
                    start[s] = max(start[s], other[s] + lag)
        finish = times[count + task]
        for s in range(width):
            finish[s] = start[s] + task_length[s]
            ends[s] = max(ends[s], finish[s])


@njit(cache=True, nogil=True)
def _critical(
    order,
    out_ptr,
    out_row,
    out_lag,
    out_from_finish,
    durations,
    tolerance_scale,
    times,
    ends,
    critical,
    latest,
):
    """The backward pass from each sample's project duration (into
    `latest`, 2 tasks x samples): how many samples each task's latest start
    is within the tolerance of its earliest."""
    count, samples = durations.shape
    tolerance = np.empty(samples, np.float32)
    for s in range(samples):
        tolerance[s] = tolerance_scale * max(ends[s], np.float32(1))
    for k in range(order.size - 1, -1, -1):
        task = order[k]
        finish, start = latest[count + task], latest[task]
        for s in range(samples):
            finish[s] = ends[s]
            start[s] = np.inf
        for e in range(out_ptr[task], out_ptr[task + 1]):
            other, lag = latest[out_row[e]], out_lag[e]
            if out_from_finish[e]:
                for s in range(samples):
                    finish[s] = min(finish[s], other[s] - lag)
            else:
                for s in range(samples):
                    start[s] = min(start[s], other[s] - lag)
        task_length, earliest = durations[task], times[task]
        hits = 0
        for s in range(samples):
            latest_start = min(start[s], finish[s] - task_length[s])
            start[s] = latest_start
            finish[s] = latest_start + task_length[s]
            hits += latest_start - earliest[s] <= tolerance[s]
        critical[task] += hits
