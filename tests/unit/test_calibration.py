"""Calibrated estimates: factors per reference class, shrunk toward 1, and a
forecast centred on what history says work really takes."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from domain import (
    Distribution,
    Estimate,
    Plan,
    Project,
    ScheduledTask,
    SolveStatus,
    Task,
)
from domain.calibration import (
    MIN_SPREAD,
    PRIOR_SPREAD,
    as_of,
    learn,
    task_factors,
)
from domain.timing import TaskTiming
from simulation import forecast

SYMMETRIC = Estimate(8, 10, 12, Distribution.TRIANGULAR)  # median 10, sd 0.8165


def finished(task_id: str, group: str, likely: float, took: int) -> Task:
    estimate = Estimate(0.8 * likely, likely, 1.4 * likely, Distribution.TRIANGULAR)
    timing = TaskTiming(actual_start=0, actual_finish=took)
    return Task(task_id, estimate=estimate, group=group, timing=timing)


def history(count: int, ratio: float, group: str = "frontend") -> list[Project]:
    """`count` projects of one task that took `ratio` x its most likely."""
    likely = [10 + 2 * (k % 5) for k in range(count)]  # ratio x likely: whole
    return [
        Project(f"h{k}", (finished("t", group, m, round(ratio * m)),))
        for k, m in enumerate(likely)
    ]


def test_the_factor_is_the_geometric_mean_shrunk_toward_one() -> None:
    """Identical ratios have no spread: the floor MIN_SPREAD sets the prior
    weight k = (MIN_SPREAD / PRIOR_SPREAD)^2 = 0.444 observations."""
    few, many = learn(history(1, 1.5)), learn(history(200, 1.5))
    prior = (MIN_SPREAD / PRIOR_SPREAD) ** 2
    for factors, n in ((few, 1), (many, 200)):
        (factor,) = factors.values()
        assert factor.observations == n
        weight = n / (n + prior)
        assert factor.factor == pytest.approx(math.exp(weight * math.log(1.5)))
        assert factor.mean_ratio == pytest.approx(1.5)
    assert few["frontend / -"].factor < 1.33 < many["frontend / -"].factor


def test_noisy_history_is_trusted_less() -> None:
    """Ratios 1.2 and 1.875 (log spread 0.32 within the class): k = 1.10, so
    two observations move the factor 2 / 3.10 of the way to their mean 1.5."""
    noisy = [
        Project("h1", (finished("t", "frontend", 10, 12),)),
        Project("h2", (finished("t", "frontend", 8, 15),)),
    ]
    (factor,) = learn(noisy).values()
    spread = abs(math.log(1.875) - math.log(1.2)) / math.sqrt(2)
    weight = 2 / (2 + (spread / PRIOR_SPREAD) ** 2)
    assert factor.factor == pytest.approx(1.5**weight)


def test_classes_are_kept_apart_and_unknown_ones_stay_at_one() -> None:
    factors = learn([*history(50, 1.5), *history(50, 0.8, group="backend")])
    assert factors["frontend / -"].factor > 1.4
    assert factors["backend / -"].factor < 0.85
    fresh = Project("new", (Task("x", estimate=SYMMETRIC, group="ops"),))
    assert task_factors(fresh, factors) == {"x": 1.0}


def test_a_calibrated_forecast_is_centred_on_history() -> None:
    """History: frontend work took 1.5 x its most likely (200 tasks). A new
    frontend task estimated 8/10/12 (median 10) is forecast around 15."""
    factors = learn(history(200, 1.5))
    fresh = Project("new", (Task("x", estimate=SYMMETRIC, group="frontend"),))
    plan = Plan(SolveStatus.OPTIMAL, 10, 10, (ScheduledTask("x", 0, 10),))
    by_task = task_factors(fresh, factors)
    plain = forecast(fresh, plan, 20_000, seed=2)
    tuned = forecast(fresh, plan, 20_000, seed=2, calibration=by_task)
    factor = by_task["x"]
    # median SE = sqrt(0.25 / N) / f(median); f(10) = 1/2 x 1/factor scaled
    error = 5 * math.sqrt(0.25 / 20_000) / (0.5 / factor)
    assert abs(plain.duration.p50 - 10) < 5 * math.sqrt(0.25 / 20_000) / 0.5
    assert abs(tuned.duration.p50 - 10 * factor) < error
    assert abs(tuned.duration.p50 - 15) < 0.2


def test_history_is_replayed_from_a_moment() -> None:
    project = Project(
        "p",
        (
            finished("a", "g", 5, 6),
            replace(finished("b", "g", 5, 7), timing=TaskTiming(actual_start=6,
                    actual_finish=13)),
        ),
    )  # fmt: skip
    seen = as_of(project, 8)
    assert seen.status_date == 8
    assert seen.tasks[0].timing.actual_finish == 6
    assert (seen.tasks[1].timing.actual_start, seen.tasks[1].timing.actual_finish) == (
        6,
        None,
    )
