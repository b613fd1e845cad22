"""What a forecast keeps of each chunk of samples, in memory bounded in the
samples, and how task percentiles are read back from it.

Per sample only the project duration (and each risk's re-run) is kept, 4
bytes each; the project's percentiles are exact. Per task a chunk adds:
counts (critical samples, samples on plan), sums of the finish and the
duration and of their squares (mean and std, exact; shifted by the smallest
value so the squares do not cancel), and a finish histogram of
`HISTOGRAM_BINS` equal bins between the task's earliest possible and latest
possible finish (`Tracking`). A percentile read from the histogram places
each order statistic evenly inside its bin, so it is off from the exact one
by at most one bin width: `Tracking.bin_width`, stated with every forecast.
The durations of the first samples (`SUBSAMPLE` of them) are kept for the
rank statistics (cruciality).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from simulation import threads

Float32Array = NDArray[np.float32]
FloatArray = NDArray[np.float64]
Counts = NDArray[np.int64]

HISTOGRAM_BINS = 1024
_ROW_BLOCK = 16  # tasks tallied at once: their temporaries stay in cache
# Rank statistics (cruciality) use the first SUBSAMPLE samples: Spearman's rho
# through Fisher's z has standard error sqrt(1.06 / (n - 3)) (Fieller, Hartley
# & Pearson 1957), 0.02 at n = 2,653: a cruciality near 0 is known within
# +-0.04 (95%), one of size r within about (1 - r^2) x that.
CRUCIALITY_STANDARD_ERROR = 0.02
SUBSAMPLE = 3 + math.ceil(1.06 / CRUCIALITY_STANDARD_ERROR**2)


@dataclass(frozen=True)
class Tracking:
    """Per task, what the tallies measure against: the planned finish, the
    histogram's lower edge and bins per day, the shortest duration."""

    planned: FloatArray
    finish_low: FloatArray
    bins_per_day: FloatArray
    duration_low: FloatArray

    @classmethod
    def of(
        cls,
        planned: FloatArray,
        finish_low: FloatArray,
        finish_high: FloatArray,
        duration_low: FloatArray,
    ) -> Tracking:
        span = finish_high - finish_low
        bins = np.where(span > 0, HISTOGRAM_BINS / np.where(span > 0, span, 1), 0.0)
        return cls(planned, finish_low, bins, duration_low)

    @property
    def bin_width(self) -> FloatArray:
        """Days per histogram bin (0 for a task whose finish never varies)."""
        width: FloatArray = np.where(
            self.bins_per_day > 0, 1 / np.maximum(self.bins_per_day, 1e-300), 0.0
        )
        return width


@dataclass(frozen=True)
class ChunkStats:
    """What a forecast keeps of one chunk (see the module docstring)."""

    project_duration: Float32Array  # (size,)
    without_risk: Float32Array  # (risks, size): project duration, risk off
    risk_counts: Counts  # samples in which each risk occurred
    critical_counts: Counts
    on_plan: FloatArray  # a count, summed with the others
    finish_sum: FloatArray
    finish_square: FloatArray
    duration_sum: FloatArray
    duration_square: FloatArray
    finish_min: FloatArray
    finish_max: FloatArray
    histogram: Counts  # (tasks, HISTOGRAM_BINS)
    kept: Float32Array  # (tasks, k): durations of the chunk's first k samples

    @classmethod
    def of(
        cls,
        tracking: Tracking,
        durations: Float32Array,
        finishes: Float32Array,
        critical_counts: Counts,
        risks: tuple[Float32Array, Float32Array, Counts],
        kept: int,
    ) -> ChunkStats:
        """Tally a chunk: durations and finishes of shape (tasks, size);
        `risks`: project durations, each risk's re-run, occurrences."""
        project_duration, without_risk, risk_counts = risks
        tasks = durations.shape[0]
        # finish, its square, duration, its square, on plan, least and most finish
        sums = np.zeros((7, tasks))
        histogram = np.zeros((tasks, HISTOGRAM_BINS), np.int64)

        def tally(rows: slice) -> None:
            _tally_rows(
                tracking, rows, durations[rows], finishes[rows], sums, histogram
            )

        threads.each(tally, threads.row_blocks(tasks, _ROW_BLOCK))
        return cls(
            project_duration,
            without_risk,
            risk_counts,
            critical_counts,
            sums[4],
            sums[0],
            sums[1],
            sums[2],
            sums[3],
            sums[5],
            sums[6],
            histogram,
            durations[:, :kept].copy(),
        )


def _tally_rows(
    tracking: Tracking,
    rows: slice,
    durations: Float32Array,
    finishes: Float32Array,
    sums: FloatArray,
    histogram: Counts,
) -> None:
    """Sums, on-plan counts and histogram rows of a block of tasks (small
    enough for its temporaries to stay in cache)."""
    planned = tracking.planned[rows] + 1e-6
    sums[4, rows] = np.count_nonzero(finishes <= planned[:, None], axis=1)
    sums[5, rows] = finishes.min(axis=1)
    sums[6, rows] = finishes.max(axis=1)
    sums[0, rows], sums[1, rows], shifted = _shifted_sums(
        finishes, tracking.finish_low[rows]
    )
    sums[2, rows], sums[3, rows], _ = _shifted_sums(
        durations, tracking.duration_low[rows]
    )
    shifted *= tracking.bins_per_day[rows].astype(np.float32)[:, None]
    # (np.clip on float32 takes several times as long as these two)
    np.maximum(shifted, np.float32(0), out=shifted)
    np.minimum(shifted, np.float32(HISTOGRAM_BINS - 1), out=shifted)
    cells = shifted.astype(np.intp)
    count = cells.shape[0]
    cells += (np.arange(count) * HISTOGRAM_BINS)[:, None]
    counts = np.bincount(cells.ravel(), minlength=count * HISTOGRAM_BINS)
    histogram[rows] = counts.reshape(count, HISTOGRAM_BINS)


SUMMED = (
    "risk_counts",
    "critical_counts",
    "on_plan",
    "finish_sum",
    "finish_square",
    "duration_sum",
    "duration_square",
    "histogram",
)


@dataclass
class Totals:
    """Chunks folded in as they come, in chunk order (so the sums do not
    depend on threads or workers): per-task figures summed, the least and
    most finish `seen`, and the per-sample arrays of each chunk in lists."""

    summed: dict[str, NDArray[Any]] = field(default_factory=dict)
    seen: tuple[FloatArray, FloatArray] = (np.full(0, np.inf), np.full(0, -np.inf))
    project: list[Float32Array] = field(default_factory=list)
    without: list[Float32Array] = field(default_factory=list)
    kept: list[Float32Array] = field(default_factory=list)

    def add(self, stats: ChunkStats) -> None:
        for name in SUMMED:
            value = getattr(stats, name)
            total = self.summed.get(name)
            self.summed[name] = value.copy() if total is None else total + value
        least, most = (
            self.seen if self.project else (stats.finish_min, stats.finish_max)
        )
        self.seen = (
            np.minimum(least, stats.finish_min),
            np.maximum(most, stats.finish_max),
        )
        self.project.append(stats.project_duration)
        self.without.append(stats.without_risk)
        if stats.kept.shape[1]:
            self.kept.append(stats.kept)


def _shifted_sums(
    values: Float32Array, low: FloatArray
) -> tuple[FloatArray, FloatArray, Float32Array]:
    """Per row: sum and sum of squares of values - low, and those values."""
    shifted = values - low.astype(np.float32)[:, None]
    total = shifted.sum(axis=1, dtype=np.float64)
    square = np.einsum("ij,ij->i", shifted, shifted, dtype=np.float64)
    return total, square, shifted


def moments(
    total: FloatArray, square: FloatArray, samples: int
) -> tuple[FloatArray, FloatArray]:
    """Mean and population std from sums of (shifted) values and squares."""
    mean = total / samples
    return mean, np.sqrt(np.maximum(square / samples - mean * mean, 0.0))


def histogram_quantiles(
    histogram: Counts,
    tracking: Tracking,
    quantiles: FloatArray,
    seen: tuple[FloatArray, FloatArray],
) -> FloatArray:
    """Per task (row) each quantile as numpy.percentile's linear interpolation
    between order statistics, each order statistic placed evenly inside its
    bin and within the least and most finish `seen`: within one bin width of
    the exact value, and exact for a task whose finish never varies."""
    samples = int(histogram[0].sum()) if len(histogram) else 0
    position = quantiles * (samples - 1)
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, samples - 1)
    fraction = position - below
    cumulative = histogram.cumsum(axis=1)
    low = _order_statistics(histogram, cumulative, below)
    high = _order_statistics(histogram, cumulative, above)
    bins = low + fraction * (high - low)
    width = tracking.bin_width[:, None]
    result: FloatArray = tracking.finish_low[:, None] + bins * width
    return np.clip(result, seen[0][:, None], seen[1][:, None])


def _order_statistics(
    histogram: Counts, cumulative: Counts, ranks: NDArray[np.int64]
) -> FloatArray:
    """(tasks, ranks): where each rank-th smallest sample sits, in bins: the
    bins whose cumulative count is at most the rank, by one binary search in
    the rows laid end to end (row k shifted by k x (samples + 1), so the
    whole stays sorted)."""
    tasks = cumulative.shape[0]
    shift = (int(cumulative[0, -1]) + 1 if tasks else 1) * np.arange(tasks)
    flat = (cumulative + shift[:, None]).ravel()
    wanted = ranks[None, :] + shift[:, None]
    found = np.searchsorted(flat, wanted, side="right")
    cells = found - (np.arange(tasks) * HISTOGRAM_BINS)[:, None]
    cells = np.minimum(cells, HISTOGRAM_BINS - 1)
    count = np.take_along_axis(histogram, cells, axis=1)
    before = np.take_along_axis(cumulative, cells, axis=1) - count
    inside: FloatArray = cells + (ranks[None, :] - before + 0.5) / np.maximum(count, 1)
    return inside
