"""What a forecast computes from its samples: percentiles with their Monte
Carlo error, the S-curve, and rank correlations for the driver analysis.

Quantile confidence intervals are distribution-free order-statistic intervals:
with n samples the number below the true q-quantile is Binomial(n, q), so the
order statistics at n q -/+ z sqrt(n q (1 - q)) (normal approximation of the
binomial, z for the confidence) bracket it with that confidence.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from statistics import NormalDist

import numpy as np
from numpy.typing import NDArray

from domain import Interval, Percentiles

QUANTILES = {"p10": 10, "p50": 50, "p80": 80, "p90": 90, "p95": 95}
CONFIDENCE = 0.95
_RANK_THREADS = 2  # sorting releases the GIL; the machines have 2 cores


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
    """Mean, standard deviation (population) and percentiles of each row."""
    if values.shape[0] == 0:
        return []
    means = values.mean(axis=1, dtype=np.float64)
    stds = values.std(axis=1, dtype=np.float64)
    quantiles = np.percentile(values, list(QUANTILES.values()), axis=1)
    quantiles = quantiles.astype(np.float64)
    return [
        Percentiles(float(means[row]), float(stds[row]), *quantiles[:, row].tolist())
        for row in range(values.shape[0])
    ]


def s_curve(ordered: NDArray[np.floating]) -> tuple[float, ...]:
    """Quantiles at 0%, 1%, ..., 100% (linear interpolation), from sorted samples."""
    points = np.percentile(ordered, np.arange(101))
    return tuple(float(v) for v in points)


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
    last = np.minimum.accumulate(
        np.where(ends, position, size)[:, ::-1], axis=1
    )[:, ::-1]
    ranks = np.empty((rows, size))
    np.put_along_axis(ranks, order, (first + last) / 2 + 1, axis=1)
    return ranks


def spearman_rows(
    values: NDArray[np.floating], target: NDArray[np.floating]
) -> NDArray[np.float64]:
    """Spearman rank correlation of each row of `values` with `target`.

    Rows without spread get 0. Rows are ranked on two threads.
    """
    target_ranks = midranks(target)[0]
    centred_target = target_ranks - target_ranks.mean()
    target_norm = np.sqrt(np.dot(centred_target, centred_target))
    result = np.zeros(values.shape[0])
    varying = np.flatnonzero(values.min(axis=1) < values.max(axis=1))
    if varying.size == 0 or target_norm == 0:
        return result
    blocks = np.array_split(varying, min(_RANK_THREADS, varying.size))
    with ThreadPoolExecutor(len(blocks)) as pool:
        ranked = list(pool.map(lambda rows: midranks(values[rows]), blocks))
    for rows, ranks in zip(blocks, ranked, strict=True):
        centred = ranks - ranks.mean(axis=1, keepdims=True)
        norms = np.sqrt(np.einsum("ij,ij->i", centred, centred))
        result[rows] = centred @ centred_target / (norms * target_norm)
    return result
