"""Duration sampling: supports, degenerate estimates, risk occurrences."""

from __future__ import annotations

import numpy as np
import pytest

from domain import Distribution, Estimate, Project, Risk, Task
from simulation.distributions import Quantiles
from simulation.sampling import DurationModel


def rng() -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(1)))


THREE_POINT = [d for d in Distribution if d is not Distribution.DISCRETE]


def draw(estimates: list[Estimate], size: int) -> np.ndarray:
    return Quantiles.of(estimates).apply(rng().random((len(estimates), size)))


@pytest.mark.parametrize("distribution", THREE_POINT)
def test_draws_stay_within_optimistic_and_pessimistic(
    distribution: Distribution,
) -> None:
    if distribution is Distribution.LOGNORMAL:
        pytest.skip("a lognormal is unbounded above; see test_document_risk_fields")
    draws = draw([Estimate(3, 4, 9, distribution)], 5_000)
    assert draws.shape == (1, 5_000)
    assert draws.min() >= 3.0
    assert draws.max() <= 9.0


@pytest.mark.parametrize(
    "distribution", [d for d in THREE_POINT if d is not Distribution.LOGNORMAL]
)
def test_a_degenerate_estimate_is_a_constant(distribution: Distribution) -> None:
    draws = draw([Estimate(4, 4, 4, distribution)], 100)
    assert set(draws.ravel().tolist()) == {4.0}


def test_mode_at_an_end_is_allowed() -> None:
    estimates = [
        Estimate(2, 2, 6, Distribution.TRIANGULAR),
        Estimate(2, 6, 6, Distribution.PERT),
    ]
    draws = draw(estimates, 20_000)
    # Triangular (2, 2, 6) has mean 10/3; PERT (2, 6, 6) has mean 16/3. Each
    # standard deviation is below 1, so 0.05 is over 5 standard errors.
    np.testing.assert_allclose(draws.mean(axis=1), [10 / 3, 16 / 3], atol=0.05)


def test_model_rows_follow_the_project_tasks() -> None:
    project = Project(
        "p",
        (
            Task("fixed", duration=7),
            Task("spread", estimate=Estimate(1, 2, 3, Distribution.UNIFORM)),
            Task("empty"),
        ),
        risks=(Risk("never", 0.0, ("fixed",), 100.0),),
    )
    durations = DurationModel.of(project).sample(rng(), 1_000).durations
    assert set(durations[0].tolist()) == {7.0}
    assert 1.0 <= durations[1].min() <= durations[1].max() <= 3.0
    assert set(durations[2].tolist()) == {0.0}
