"""Rank correlation between draws, induced by the Iman-Conover method.

Iman & Conover (1982): give each correlated variable a column of van der
Waerden normal scores in random order, transform the score matrix so its
correlation matrix becomes the target, then reorder each variable's draws to
follow the ranks of its transformed scores. The draws are only permuted, so
every marginal distribution (and a Latin hypercube's strata) stays intact.

The document's coefficient is a Spearman rank correlation; normal scores are
given the Pearson correlation 2 sin(pi rho / 6), which is the one whose
Spearman correlation is rho for a normal copula. A target that is not
positive semi-definite (overlapping groups can make one) is repaired by
clipping its eigenvalues and rescaling to a unit diagonal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from simulation.distributions import Uniforms, normal_ppf

FloatArray = NDArray[np.float64]
_MIN_EIGENVALUE = 1e-6


@dataclass(frozen=True)
class RankCorrelation:
    """Which rows of the uniform matrix are correlated, and the target matrix
    (Pearson correlation of their normal scores) as its Cholesky factor."""

    rows: NDArray[np.intp]
    target: FloatArray  # Spearman targets as given (after repair)
    factor: FloatArray  # lower Cholesky factor of the normal-score target
    repaired: bool

    @classmethod
    def of(cls, rows: list[int], spearman: FloatArray) -> RankCorrelation:
        """`spearman[i, j]`: the wanted rank correlation of rows[i] and rows[j]."""
        normal = 2 * np.sin(np.pi * spearman / 6)
        np.fill_diagonal(normal, 1.0)
        repaired_normal, repaired = nearest_correlation(normal)
        target = 6 / np.pi * np.arcsin(repaired_normal / 2)
        np.fill_diagonal(target, 1.0)
        return cls(
            rows=np.asarray(rows, dtype=np.intp),
            target=target,
            factor=np.asarray(np.linalg.cholesky(repaired_normal), dtype=np.float64),
            repaired=repaired,
        )

    def apply(self, rng: np.random.Generator, uniforms: Uniforms) -> None:
        """Reorder the correlated rows of `uniforms` (variables x samples) in place."""
        size = uniforms.shape[1]
        if size < 3 or self.rows.size < 2:
            return
        scores = normal_ppf(np.arange(1, size + 1) / (size + 1))
        columns = np.stack([rng.permutation(scores) for _ in self.rows], axis=1)
        achieved = np.corrcoef(columns, rowvar=False)
        achieved_factor = np.linalg.cholesky(achieved)
        # columns @ inv(L_achieved).T has identity correlation; @ L_target.T
        # then gives the target correlation.
        whitened = np.linalg.solve(achieved_factor, columns.T).T
        transformed = whitened @ self.factor.T
        for position, row in enumerate(self.rows):
            ranks = np.argsort(np.argsort(transformed[:, position]))
            uniforms[row] = np.sort(uniforms[row])[ranks]


def nearest_correlation(matrix: FloatArray) -> tuple[FloatArray, bool]:
    """`matrix` if positive definite enough, else its eigenvalue-clipped repair."""
    values, vectors = np.linalg.eigh(matrix)
    if values.min() >= _MIN_EIGENVALUE:
        return matrix, False
    clipped = (vectors * np.maximum(values, _MIN_EIGENVALUE)) @ vectors.T
    scale = 1 / np.sqrt(np.diag(clipped))
    repaired = clipped * scale[:, None] * scale[None, :]
    np.fill_diagonal(repaired, 1.0)
    return repaired, True
