"""Inverse CDFs: each estimate turns a uniform draw into a duration.

Every distribution is sampled by its inverse CDF, so plain Monte Carlo (iid
uniforms), Latin hypercube sampling (stratified uniforms) and Iman-Conover
(reordered uniforms) share one path. Exact for triangular, uniform, fixed,
discrete and lognormal (normal quantiles by Acklam's rational approximation,
relative error < 1.2e-9). PERT (a scaled Beta) has no closed-form inverse: its
CDF is integrated on Chebyshev nodes, inverted once per task onto a table of
`PERT_TABLE` cells and read by linear interpolation (error < 1e-4 of the
range except within the outer 1/PERT_TABLE of either tail).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
from numpy.typing import NDArray

from domain import Distribution, Estimate
from domain.model import lognormal_parameters
from simulation import threads

FloatArray = NDArray[np.float64]
Uniforms = NDArray[np.floating[Any]]  # float32 draws, float64 for Latin hypercube
PERT_TABLE = 4096
_PERT_NODES = 4097
_OPEN = 2.0**-26  # half the float32 uniforms' step: (0, 1) for the lognormal
_ROW_BLOCK = 8  # rows of uniforms turned into durations at once (in cache)

_A = (-39.69683028665376, 220.9460984245205, -275.9285104469687,
      138.3577518672690, -30.66479806614716, 2.506628277459239)  # fmt: skip
_B = (-54.47609879822406, 161.5858589586894, -155.6989798598866,
      66.80131188771972, -13.28068155288572)  # fmt: skip
_C = (-7.784894002430293e-03, -0.3223964580411365, -2.400758277161838,
      -2.549732539343734, 4.374664141464968, 2.938163982698783)  # fmt: skip
_D = (7.784695709041462e-03, 0.3224671290700398, 2.445134137142996,
      3.754408661907416)  # fmt: skip


def normal_ppf(u: FloatArray) -> FloatArray:
    """Standard normal quantiles of u in (0, 1) (Acklam's approximation)."""
    u = np.asarray(u, dtype=np.float64)
    q = np.minimum(u, 1 - u)
    low = q < 0.02425
    out = np.empty_like(u)
    tail = np.sqrt(-2 * np.log(np.where(low, q, 0.5)))
    tail_value = _poly(_C, tail) / (_poly((*_D, 1.0), tail))
    r = (u - 0.5) ** 2
    centre = (u - 0.5) * _poly(_A, r) / _poly((*_B, 1.0), r)
    out[...] = np.where(low, np.where(u < 0.5, tail_value, -tail_value), centre)
    return out


def _poly(coefficients: Sequence[float], x: FloatArray) -> FloatArray:
    """Horner evaluation, highest power first."""
    result = np.full_like(x, coefficients[0])
    for coefficient in coefficients[1:]:
        result = result * x + coefficient
    return result


@dataclass(frozen=True)
class Quantiles:
    """Inverse CDFs of a list of estimates, evaluated row by row."""

    kinds: tuple[Distribution, ...]
    low: FloatArray
    mode: FloatArray
    high: FloatArray
    lognormal: FloatArray  # (estimates, 2): mu, sigma (0 where not lognormal)
    pert: dict[int, NDArray[np.float32]]  # row -> inverse CDF table
    discrete: dict[int, tuple[FloatArray, FloatArray]]  # row -> (cum. prob, value)

    @classmethod
    def of(cls, estimates: Sequence[Estimate]) -> Quantiles:
        """Parameters and tables for `estimates`, in order."""
        kinds = tuple(e.distribution for e in estimates)
        lognormal = np.zeros((len(estimates), 2))
        for row, e in enumerate(estimates):
            if e.distribution is Distribution.LOGNORMAL:
                lognormal[row] = lognormal_parameters(e)
        pert_rows = [r for r, k in enumerate(kinds) if k is Distribution.PERT]
        tables = pert_tables([estimates[r] for r in pert_rows])
        return cls(
            kinds=kinds,
            low=np.array([e.optimistic for e in estimates], dtype=np.float64),
            mode=np.array([e.most_likely for e in estimates], dtype=np.float64),
            high=np.array([e.pessimistic for e in estimates], dtype=np.float64),
            lognormal=lognormal,
            pert=dict(zip(pert_rows, tables, strict=True)),
            discrete={
                row: _discrete_table(e)
                for row, e in enumerate(estimates)
                if e.distribution is Distribution.DISCRETE
            },
        )

    def rows(self, kind: Distribution) -> NDArray[np.intp]:
        return np.array([r for r, k in enumerate(self.kinds) if k is kind], np.intp)

    def apply(
        self,
        uniforms: Uniforms,
        out: NDArray[np.float32] | None = None,
        at: NDArray[np.intp] | None = None,
    ) -> NDArray[np.float32]:
        """Durations of shape (estimates, size) from uniforms of that shape,
        `_ROW_BLOCK` rows at a time so the float64 temporaries stay in cache,
        the blocks on both cores (`simulation.threads`); into rows `at` of
        `out` when given (estimate k into row at[k]: no copy afterwards)."""
        if out is None:
            out = np.empty(uniforms.shape, dtype=np.float32)
        target = out
        if at is None:
            at = np.arange(len(self.kinds), dtype=np.intp)
        blocks = [
            (kind, rows[first : first + _ROW_BLOCK])
            for kind in Distribution
            for rows in [self.rows(kind)]
            for first in range(0, rows.size, _ROW_BLOCK)
        ]

        def fill(block: tuple[Distribution, NDArray[np.intp]]) -> None:
            kind, rows = block
            target[at[rows]] = self._kind_ppf(kind, rows, uniforms[rows])

        threads.each(fill, blocks)
        return out

    def extremes(self) -> tuple[FloatArray, FloatArray]:
        """Each row's smallest and largest value; a lognormal's largest is its
        1 - 1e-9 quantile (it has no largest)."""
        top = [1 - 1e-9 if k is Distribution.LOGNORMAL else 1.0 for k in self.kinds]
        low = self.apply(np.zeros((len(self.kinds), 1)))[:, 0].astype(np.float64)
        high = self.apply(np.array(top)[:, None])[:, 0].astype(np.float64)
        for row, (_, values) in self.discrete.items():
            low[row], high[row] = values.min(), values.max()
        return low, high

    def _kind_ppf(
        self, kind: Distribution, rows: NDArray[np.intp], u: Uniforms
    ) -> NDArray[np.floating[Any]]:
        low, mode, high = (v[rows, None] for v in (self.low, self.mode, self.high))
        if kind is Distribution.TRIANGULAR:
            return triangular_ppf(u, low, mode, high)
        if kind is Distribution.UNIFORM:
            return low + (high - low) * u
        if kind is Distribution.FIXED:
            return np.broadcast_to(mode, u.shape)
        if kind is Distribution.LOGNORMAL:
            mu, sigma = (self.lognormal[rows, k, None] for k in (0, 1))
            # float32 uniforms can be 0: keep the normal quantile finite.
            inner = np.clip(u, _OPEN, 1 - _OPEN).astype(np.float64)
            lognormal: FloatArray = low + np.exp(mu + sigma * normal_ppf(inner))
            return lognormal
        if kind is Distribution.PERT:
            table = np.stack([self.pert[int(r)] for r in rows])
            return low + (high - low) * table_ppf(table, u)
        return np.stack(
            [
                np.asarray(values)[np.searchsorted(cumulative, row_u, side="right")]
                for (cumulative, values), row_u in zip(
                    (self.discrete[int(r)] for r in rows), u, strict=True
                )
            ]
        )


def triangular_ppf(
    u: Uniforms, low: FloatArray, mode: FloatArray, high: FloatArray
) -> NDArray[np.float32]:
    """Triangular inverse CDF, in float32 (durations are float32 anyway):
    low + sqrt(u (high - low)(mode - low)) below the mode's share of the
    range, high - sqrt((1 - u)(high - low)(high - mode)) above it;
    optimistic == pessimistic gives a constant."""
    width = high - low
    split = np.where(width > 0, (mode - low) / np.where(width > 0, width, 1.0), 0.0)
    rising = np.sqrt(u, dtype=np.float32)
    rising *= np.sqrt(width * (mode - low)).astype(np.float32)
    rising += low.astype(np.float32)
    falling = np.subtract(np.float32(1), u, dtype=np.float32)
    np.sqrt(falling, out=falling)
    falling *= np.sqrt(width * (high - mode)).astype(np.float32)
    np.subtract(high.astype(np.float32), falling, out=falling)
    np.copyto(falling, rising, where=u < split)
    return falling


def table_ppf(table: NDArray[np.float32], u: Uniforms) -> FloatArray:
    """Linear interpolation in per-row tables at u * (cells)."""
    cells = table.shape[1] - 1
    position = np.clip(u, 0.0, 1.0)
    position *= cells
    left = position.astype(np.intp)
    np.minimum(left, cells - 1, out=left)
    fraction = position - left
    left += np.arange(table.shape[0])[:, None] * table.shape[1]
    flat = table.ravel()
    lower = flat.take(left).astype(np.float64)
    left += 1
    upper = flat.take(left) - lower
    upper *= fraction
    upper += lower
    return upper


def pert_tables(estimates: Sequence[Estimate]) -> list[NDArray[np.float32]]:
    """Inverse-CDF tables on [0, 1] of Beta(1 + 4(m-a)/(b-a), 1 + 4(b-m)/(b-a)).

    The CDF is integrated in s, x = (1 - cos(pi s)) / 2, where the integrand
    pdf(x) dx/ds is smooth at both ends, then inverted by interpolation.
    """
    if not estimates:
        return []
    s = np.linspace(0.0, 1.0, _PERT_NODES)
    x = (1 - np.cos(np.pi * s)) / 2
    inner = np.clip(x, 1e-300, 1 - 1e-16)
    grid = np.linspace(0.0, 1.0, PERT_TABLE + 1)
    tables = []
    for e in estimates:
        width = e.pessimistic - e.optimistic
        if width <= 0:
            tables.append(np.zeros(PERT_TABLE + 1, dtype=np.float32))
            continue
        alpha = 1 + 4 * (e.most_likely - e.optimistic) / width
        beta = 1 + 4 * (e.pessimistic - e.most_likely) / width
        log_pdf = (alpha - 1) * np.log(inner) + (beta - 1) * np.log1p(-inner)
        integrand = np.exp(log_pdf - log_pdf.max()) * np.sin(np.pi * s)
        cdf = np.concatenate(([0.0], np.cumsum((integrand[1:] + integrand[:-1]) / 2)))
        tables.append(np.interp(grid, cdf / cdf[-1], x).astype(np.float32))
    return tables


def _discrete_table(estimate: Estimate) -> tuple[FloatArray, FloatArray]:
    weights = np.asarray(estimate.weights or [1.0] * len(estimate.values), float)
    cumulative = np.cumsum(weights)[:-1] / weights.sum()
    return cumulative, np.asarray(estimate.values, dtype=np.float64)


def cdf(estimate: Estimate, x: float) -> float:
    """P(duration <= x): exact for every kind but PERT, which inverts its
    inverse-CDF table (error < 1e-4, as for sampling it)."""
    low, mode, high = estimate.optimistic, estimate.most_likely, estimate.pessimistic
    kind = estimate.distribution
    if kind is Distribution.DISCRETE:
        cumulative, values = _discrete_table(estimate)
        weights = np.diff(np.concatenate(([0.0], cumulative, [1.0])))
        return float(weights[values <= x].sum())
    if x >= high and kind is not Distribution.LOGNORMAL:
        return 1.0
    if x < low or (x == low and kind is not Distribution.FIXED):
        return 0.0
    if kind is Distribution.FIXED:
        return 1.0 if x >= mode else 0.0
    if kind is Distribution.UNIFORM:
        return (x - low) / (high - low)
    if kind is Distribution.TRIANGULAR:
        if x <= mode:
            return (x - low) ** 2 / ((high - low) * (mode - low))
        return 1 - (high - x) ** 2 / ((high - low) * (high - mode))
    if kind is Distribution.LOGNORMAL:
        mu, sigma = lognormal_parameters(estimate)
        return NormalDist(mu, sigma).cdf(math.log(x - low))
    (table,) = pert_tables([estimate])
    grid = np.linspace(0.0, 1.0, table.size)
    return float(np.interp((x - low) / (high - low), table, grid))
