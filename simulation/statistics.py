"""What a forecast computes from its samples: percentiles with their Monte
Carlo error, the S-curve, and rank correlations for the driver analysis.

Quantile confidence intervals are distribution-free order-statistic intervals:
with n samples the number below the true q-quantile is Binomial(n, q), so the
order statistics at n q -/+ z sqrt(n q (1 - q)) (normal approximation of the
binomial, z for the confidence) bracket it with that confidence.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
from numpy.typing import NDArray

from domain import Interval, Percentiles
from simulation import threads

QUANTILES = {"p10": 10, "p50": 50, "p80": 80, "p90": 90, "p95": 95}
CONFIDENCE = 0.95
_RANK_BLOCK = 32  # rows sorted at once (in cache), on both cores


def quantile_interval(
    ordered: NDArray[np.floating], q: float, confidence: float = CONFIDENCE
) -> Interval:
    """Confidence interval of the q-quantile from sorted samples."""
    n = ordered.size
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    spread = z * math.sqrt(n * q * (1 - q))
    low = min(max(math.floor(n * q - spread) - 1, 0), n - 1)
    high = min(max(math.ceil(n * q + spread) - 1, 0), n - 1)
    return Interval(float(ordered[low]), float(ordered[high]))


def intervals(ordered: NDArray[np.floating]) -> dict[str, Interval]:
    """Confidence intervals of P10, P50, P80, P90 and P95."""
    return {key: quantile_interval(ordered, p / 100) for key, p in QUANTILES.items()}


def summarise_rows(values: NDArray[np.floating]) -> list[Percentiles]:
    """Mean, standard deviation (population) and percentiles of each row
    (linear interpolation, as numpy.percentile), rows sorted on two threads,
    a block at a time so each block is summarised while it is in cache."""
    if values.shape[0] == 0:
        return []
    means = np.empty(values.shape[0])
    stds = np.empty(values.shape[0])
    quantiles = np.empty((values.shape[0], len(QUANTILES)))
    size = values.shape[1]
    positions = (size - 1) * np.array(list(QUANTILES.values())) / 100
    lower = np.floor(positions).astype(np.intp)
    upper = np.minimum(lower + 1, size - 1)
    fraction = positions - lower

    def block(rows: slice) -> None:
        means[rows] = values[rows].mean(axis=1, dtype=np.float64)
        stds[rows] = values[rows].std(axis=1, dtype=np.float64)
        ordered = np.sort(values[rows], axis=1)
        low = ordered[:, lower].astype(np.float64)
        high = ordered[:, upper].astype(np.float64)
        quantiles[rows] = low + fraction * (high - low)

    threads.each(block, threads.row_blocks(values.shape[0], _RANK_BLOCK))
    return [
        Percentiles(float(means[row]), float(stds[row]), *quantiles[row].tolist())
        for row in range(values.shape[0])
    ]


def s_curve(ordered: NDArray[np.floating]) -> tuple[float, ...]:
    """Quantiles at 0%, 1%, ..., 100% (linear interpolation), from sorted samples."""
    return tuple(sorted_quantiles(ordered, np.arange(101) / 100).tolist())


def sorted_quantiles(
    ordered: NDArray[np.floating], fractions: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Quantiles of sorted samples by linear interpolation between order
    statistics, as numpy.percentile's default (which would also import
    numpy.ma, ~0.05 s of a command's start)."""
    positions = (ordered.size - 1) * np.asarray(fractions, dtype=np.float64)
    lower = np.floor(positions).astype(np.intp)
    upper = np.minimum(lower + 1, ordered.size - 1)
    low = ordered[lower].astype(np.float64)
    high = ordered[upper].astype(np.float64)
    result: NDArray[np.float64] = low + (positions - lower) * (high - low)
    return result


def midranks(values: NDArray[np.floating]) -> NDArray[np.float64]:
    """Ranks (1..n) along the last axis, ties given their average rank."""
    values = np.atleast_2d(values)
    rows, size = values.shape
    order = np.argsort(values, axis=1, kind="stable")
    ordered = np.take_along_axis(values, order, axis=1)
    new = np.ones((rows, size), dtype=bool)
    new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    position = np.arange(size)
    first = np.maximum.accumulate(np.where(new, position, 0), axis=1)
    ends = np.ones((rows, size), dtype=bool)
    ends[:, :-1] = new[:, 1:]
    last = np.minimum.accumulate(np.where(ends, position, size)[:, ::-1], axis=1)[
        :, ::-1
    ]
    ranks = np.empty((rows, size))
    np.put_along_axis(ranks, order, (first + last) / 2 + 1, axis=1)
    return ranks


def spearman_rows(
    values: NDArray[np.float32], target: NDArray[np.floating]
) -> NDArray[np.float64]:
    """Spearman rank correlation (ties at their average rank) of each row of
    non-negative `values` with `target`; rows without spread get 0.

    Each row is sorted once as (float32 bits, sample) pairs packed in uint64
    (for x >= 0 the bits order like the values), which gives its order and its
    ties together; ties then correct the sum and the norm of the ranks run by
    run, without a second sort. Rows are sorted on two threads.
    """
    size = values.shape[1]
    target_ranks = midranks(target)[0]
    centred_target = target_ranks - target_ranks.mean()
    target_norm = float(np.sqrt(centred_target @ centred_target))
    result = np.zeros(values.shape[0])
    if target_norm == 0 or size < 2:
        return result
    centred_position = np.arange(size) - (size - 1) / 2
    sample = np.arange(size, dtype=np.uint64)

    def block(rows: slice) -> None:
        keys = values[rows].view(np.uint32).astype(np.uint64)
        keys <<= np.uint64(32)
        keys |= sample
        keys.sort(axis=1)
        gathered = centred_target[(keys & np.uint64(0xFFFFFFFF)).astype(np.intp)]
        keys >>= np.uint64(32)
        dot = gathered @ centred_position
        correction, ties = _tie_runs(keys, gathered)
        # Sum of squared centred midranks: n(n^2 - 1)/12 less (t^3 - t)/12 per run.
        square = (size**3 - size - ties) / 12
        spread = square > 0
        result[rows] = (
            np.where(
                spread, (dot + correction) / np.sqrt(np.where(spread, square, 1.0)), 0.0
            )
            / target_norm
        )

    threads.each(block, threads.row_blocks(values.shape[0], _RANK_BLOCK))
    return result


def _tie_runs(
    ordered: NDArray[np.uint64], gathered: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Per row of sorted keys: what midranks add to sum(gathered * position),
    and the sum of t^3 - t over its runs of t equal keys."""
    rows = ordered.shape[0]
    row, left = np.nonzero(ordered[:, 1:] == ordered[:, :-1])  # left ties left + 1
    correction = np.zeros(rows)
    ties = np.zeros(rows, dtype=np.int64)
    if not row.size:
        return correction, ties
    new = np.ones(row.size, dtype=bool)
    new[1:] = (row[1:] != row[:-1]) | (left[1:] != left[:-1] + 1)
    run = np.cumsum(new) - 1
    first = left[new]
    ends = np.flatnonzero(np.append(new[1:], True))
    last = left[ends] + 1
    run_row = row[new]
    middle = (first + last) / 2
    members = gathered[row, left] * (middle[run] - left)
    correction += np.bincount(row, members, minlength=rows)
    correction += np.bincount(
        run_row, gathered[run_row, last] * (middle - last), minlength=rows
    )
    length = (last - first + 1).astype(np.int64)
    np.add.at(ties, run_row, length**3 - length)
    return correction, ties
