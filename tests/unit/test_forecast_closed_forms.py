"""Forecasts checked against closed forms.

Tolerances: every sampled statistic is compared with its exact value within
five standard errors at the sample size used. Seeds are fixed, so a test is
deterministic; five standard errors means a correct implementation would fail
for fewer than one seed in a million, while a wrong formula (a mean, variance
or quantile off by more than the tolerance) fails for nearly every seed.
  - mean:      SE = sigma / sqrt(N)
  - variance:  SE = sqrt((mu4 - sigma^4) / N)    (mu4: fourth central moment)
  - quantile:  SE = sqrt(q (1 - q) / N) / f(x_q)  (f: density at the quantile)
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pytest

from domain import (
    Dependency,
    Distribution,
    Estimate,
    Plan,
    Project,
    Risk,
    ScheduledTask,
    SolveStatus,
    Task,
)
from simulation import forecast
from simulation.montecarlo import Simulation

N = 20_000
QUANTILES = {"p10": 0.10, "p50": 0.50, "p80": 0.80, "p90": 0.90, "p95": 0.95}


def uniform(low: float, high: float) -> Estimate:
    return Estimate(low, (low + high) / 2, high, Distribution.UNIFORM)


def chain(tasks: list[Task], risks: tuple[Risk, ...] = ()) -> Project:
    """The tasks in a finish-to-start chain, in order."""
    dependencies = tuple(Dependency(a.id, b.id) for a, b in pairwise(tasks))
    return Project("p", tuple(tasks), dependencies=dependencies, risks=risks)


def left_justified_plan(project: Project) -> Plan:
    """Earliest FS schedule with planned durations (the projects here use no
    resources, so any valid plan gives the same network)."""
    finish: dict[str, int] = {}
    scheduled = []
    for task in project.tasks:
        start = max(
            (
                finish[d.predecessor]
                for d in project.dependencies
                if d.successor == task.id
            ),
            default=0,
        )
        finish[task.id] = start + task.planned_duration
        scheduled.append(ScheduledTask(task.id, start, finish[task.id]))
    makespan = max(finish.values())
    return Plan(SolveStatus.OPTIMAL, makespan, makespan, tuple(scheduled), id="plan-1")


def project_durations(project: Project, samples: int, seed: int) -> np.ndarray:
    """Every sample's project duration, through the engine the forecast uses."""
    simulation = Simulation.prepare(project, left_justified_plan(project))
    return np.concatenate(
        [chunk.project_duration for chunk in simulation.chunks(samples, seed)]
    )


def test_chain_mean_and_variance_add_up() -> None:
    tasks = [Task("a", estimate=uniform(0, 10)), Task("b", duration=5)]
    tasks += [Task(f"u{k}", estimate=uniform(0, 10)) for k in range(2)]
    result = forecast(chain(tasks), left_justified_plan(chain(tasks)), N, seed=3)
    # Three uniforms (mean 5, variance 100/12) plus a fixed 5.
    mean, variance = 3 * 5 + 5, 3 * 100 / 12
    # Fourth central moment of the sum: sum of mu4 (each 10^4/80) plus
    # 6 * sum over pairs of the variances' product.
    mu4 = 3 * 10**4 / 80 + 6 * 3 * (100 / 12) ** 2
    assert result.duration.mean == pytest.approx(mean, abs=5 * math.sqrt(variance / N))
    assert result.duration.std**2 == pytest.approx(
        variance, abs=5 * math.sqrt((mu4 - variance**2) / N)
    )


def test_chain_of_two_uniforms_has_triangular_percentiles() -> None:
    tasks = [Task("a", estimate=uniform(0, 10)), Task("b", estimate=uniform(0, 10))]
    result = forecast(chain(tasks), left_justified_plan(chain(tasks)), N, seed=5)
    for name, q in QUANTILES.items():
        # The sum is triangular on [0, 20] with mode 10.
        exact = math.sqrt(200 * q) if q <= 0.5 else 20 - math.sqrt(200 * (1 - q))
        density = min(exact, 20 - exact) / 100
        standard_error = math.sqrt(q * (1 - q) / N) / density
        assert getattr(result.duration, name) == pytest.approx(
            exact, abs=5 * standard_error
        ), name


@pytest.mark.parametrize("k", [2, 4, 8])
def test_merge_of_parallel_uniforms_has_cdf_to_the_power_k(k: int) -> None:
    branches = tuple(Task(f"b{i}", estimate=uniform(0, 10)) for i in range(k))
    project = Project(
        "merge",
        (*branches, Task("finish", duration=0)),
        dependencies=tuple(Dependency(b.id, "finish") for b in branches),
    )
    result = forecast(project, left_justified_plan(project), N, seed=k)
    for name, q in QUANTILES.items():
        exact = 10 * q ** (1 / k)  # F(x) = (x / 10)^k
        density = k * exact ** (k - 1) / 10**k
        standard_error = math.sqrt(q * (1 - q) / N) / density
        assert getattr(result.duration, name) == pytest.approx(
            exact, abs=5 * standard_error
        ), name


def test_risk_event_adds_its_whole_impact_when_it_occurs() -> None:
    project = Project(
        "risky", (Task("a", duration=10),), risks=(Risk("r", 0.3, ("a",), 5.0),)
    )
    durations = project_durations(project, N, seed=9)
    assert set(np.unique(durations).tolist()) == {10.0, 15.0}
    p_late_se = math.sqrt(0.3 * 0.7 / N)  # a Bernoulli proportion
    assert np.mean(durations == 15.0) == pytest.approx(0.3, abs=5 * p_late_se)
    result = forecast(project, left_justified_plan(project), N, seed=9)
    assert result.duration.mean == pytest.approx(11.5, abs=5 * 5 * p_late_se)
    assert result.duration.p50 == 10.0
    assert result.duration.p80 == 15.0


def test_risk_with_estimated_impact_adds_to_every_listed_task() -> None:
    impact = Estimate(2, 2, 2, Distribution.TRIANGULAR)  # degenerate: always 2
    tasks = [Task("a", duration=1), Task("b", duration=1)]
    project = chain(tasks, risks=(Risk("r", 1.0, ("a", "b"), impact),))
    assert set(project_durations(project, 100, seed=1).tolist()) == {6.0}


@pytest.mark.parametrize(
    ("distribution", "mean", "variance"),
    [
        # low 2, mode 4, high 12
        (Distribution.PERT, (2 + 4 * 4 + 12) / 6, (5 - 2) * (12 - 5) / 7),
        (
            Distribution.TRIANGULAR,
            (2 + 4 + 12) / 3,
            (2**2 + 4**2 + 12**2 - 2 * 4 - 2 * 12 - 4 * 12) / 18,
        ),
        (Distribution.UNIFORM, 7.0, 10**2 / 12),
    ],
)
def test_estimate_mean_and_std_match_the_formula(
    distribution: Distribution, mean: float, variance: float
) -> None:
    project = Project("one", (Task("a", estimate=Estimate(2, 4, 12, distribution)),))
    durations = project_durations(project, N, seed=13)
    assert durations.min() >= 2.0
    assert durations.max() <= 12.0
    assert durations.mean() == pytest.approx(mean, abs=5 * math.sqrt(variance / N))
    # Bounded on [2, 12], so mu4 <= 10^2 * variance gives a safe variance SE.
    assert durations.var() == pytest.approx(
        variance, abs=5 * math.sqrt((100 * variance - variance**2) / N)
    )


def test_deterministic_project_reproduces_the_left_justified_plan() -> None:
    tasks = (
        Task("a", duration=3),
        Task("b", duration=4),
        Task("c", duration=2),
        Task("d", duration=0),
    )
    dependencies = (Dependency("a", "c"), Dependency("b", "c"), Dependency("c", "d"))
    project = Project("fixed", tasks, dependencies=dependencies, deadline=6)
    plan = left_justified_plan(project)
    result = forecast(project, plan, samples=500, seed=1)
    for value in (result.duration.mean, result.duration.p10, result.duration.p95):
        assert value == plan.makespan == 6
    assert result.duration.std == 0.0
    for task in result.tasks:
        assert task.finish.p50 == plan.scheduled(task.task_id).finish
    assert result.deadline_probability == 1.0
