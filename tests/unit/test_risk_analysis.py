"""Schedule risk analysis checked against closed forms and invariants.

Tolerances come from standard errors at the sample size used (fixed seeds):
a quantile's SE is sqrt(q (1 - q) / N) / f(x_q); five SEs are allowed.
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pytest

from domain import (
    Correlation,
    Dependency,
    DependencyType,
    Distribution,
    Estimate,
    Plan,
    Project,
    Resource,
    Risk,
    ScheduledTask,
    SolveStatus,
    Task,
)
from simulation import forecast
from simulation.montecarlo import Engine, Simulation
from simulation.statistics import quantile_interval, spearman_rows

N = 20_000
QUANTILES = {"p10": 0.10, "p50": 0.50, "p80": 0.80, "p90": 0.90, "p95": 0.95}


def uniform(low: float, high: float) -> Estimate:
    return Estimate(low, (low + high) / 2, high, Distribution.UNIFORM)


def earliest_plan(project: Project) -> Plan:
    """FS/SS earliest schedule with planned durations (no resources)."""
    finish: dict[str, int] = {}
    start: dict[str, int] = {}
    scheduled = []
    for task in project.tasks:
        begin = 0
        for d in project.dependencies:
            if d.successor == task.id:
                end = finish if d.type is DependencyType.FS else start
                begin = max(begin, end[d.predecessor] + d.lag)
        start[task.id], finish[task.id] = begin, begin + task.planned_duration
        scheduled.append(ScheduledTask(task.id, begin, finish[task.id]))
    makespan = max(finish.values())
    return Plan(SolveStatus.OPTIMAL, makespan, makespan, tuple(scheduled), id="p")


def chain(tasks: list[Task], **extra: object) -> Project:
    deps = tuple(Dependency(a.id, b.id) for a, b in pairwise(tasks))
    return Project("chain", tuple(tasks), dependencies=deps, **extra)  # type: ignore[arg-type]


def durations_of(
    project: Project, samples: int, seed: int, **options: object
) -> np.ndarray:
    simulation = Simulation.prepare(project, earliest_plan(project))
    return np.concatenate(
        [c.project_duration for c in simulation.chunks(samples, seed, **options)]  # type: ignore[arg-type]
    )


def assert_quantiles(
    result_duration: object, exact: dict[str, float], density: dict[str, float]
) -> None:
    for key, q in QUANTILES.items():
        se = math.sqrt(q * (1 - q) / N) / density[key]
        assert getattr(result_duration, key) == pytest.approx(exact[key], abs=5 * se), (
            key
        )


def test_chain_quantiles_match_the_numerical_convolution() -> None:
    tasks = [
        Task("a", estimate=uniform(2, 8)),
        Task("b", estimate=Estimate(1, 3, 9, Distribution.TRIANGULAR)),
        Task("c", estimate=uniform(0, 4)),
    ]
    result = forecast(chain(tasks), earliest_plan(chain(tasks)), N, seed=5)
    step = 0.001
    grid = np.arange(0, 25, step)
    pdf_a = np.where((grid >= 2) & (grid <= 8), 1 / 6, 0.0)
    pdf_b = np.where(grid < 3, (grid - 1) / (2 * 8 / 2), (9 - grid) / (6 * 8 / 2))
    pdf_b = np.where((grid >= 1) & (grid <= 9), pdf_b, 0.0)
    pdf_c = np.where(grid <= 4, 1 / 4, 0.0)
    pdf = np.convolve(np.convolve(pdf_a, pdf_b) * step, pdf_c)[: grid.size] * step
    cdf = np.cumsum(pdf) * step
    exact = {k: float(np.interp(q, cdf, grid)) for k, q in QUANTILES.items()}
    density = {k: float(np.interp(exact[k], grid, pdf)) for k in QUANTILES}
    assert_quantiles(result.duration, exact, density)


@pytest.mark.parametrize("k", [2, 5])
def test_merge_of_k_parallel_tasks_follows_f_to_the_k(k: int) -> None:
    tasks = [Task(f"t{i}", estimate=uniform(10, 20)) for i in range(k)]
    merge = tuple(Dependency(t.id, "end") for t in tasks)
    project = Project("merge", (*tasks, Task("end", duration=0)), dependencies=merge)
    result = forecast(project, earliest_plan(project), N, seed=9)
    # P(max <= x) = ((x - 10) / 10)^k, so x_q = 10 + 10 q^(1/k).
    exact = {key: 10 + 10 * q ** (1 / k) for key, q in QUANTILES.items()}
    density = {key: k * q ** ((k - 1) / k) / 10 for key, q in QUANTILES.items()}
    assert_quantiles(result.duration, exact, density)


def test_a_risk_event_makes_the_finish_bimodal_and_its_driver_days_exact() -> None:
    project = chain([Task("a", duration=10)], risks=(Risk("r", 0.3, ("a",), 5.0),))
    result = forecast(project, earliest_plan(project), N, seed=2)
    durations = durations_of(project, N, seed=2)
    assert set(np.unique(durations).tolist()) == {10.0, 15.0}
    share = float(np.mean(durations == 15.0))
    assert share == pytest.approx(0.3, abs=5 * math.sqrt(0.3 * 0.7 / N))
    assert (result.duration.p50, result.duration.p80) == (10.0, 15.0)
    (risk,) = result.risks
    assert risk.p80_days == 5.0  # P80 15 with the risk, 10 without it
    assert risk.occurrence == pytest.approx(share)


def test_correlated_chain_variance_follows_the_covariance_formula() -> None:
    rho, sigma = 0.6, 10 / math.sqrt(12)
    tasks = [Task(t, estimate=uniform(0, 10)) for t in "abc"]
    project = chain(tasks, correlations=(Correlation(("a", "b", "c"), (), rho),))
    simulation = Simulation.prepare(project, earliest_plan(project))
    chunks = list(simulation.chunks(N, seed=4))
    durations = np.concatenate([c.durations for c in chunks], axis=1).astype(float)
    total = durations.sum(axis=0)
    # Uniform marginals: Pearson == Spearman under a normal copula.
    exact = 3 * sigma**2 + 2 * 3 * rho * sigma**2
    fourth = np.mean((total - total.mean()) ** 4)
    se = math.sqrt((fourth - total.var() ** 2) / N)
    assert total.var() == pytest.approx(exact, abs=5 * se)
    spearman = spearman_rows(durations[1:].astype(np.float32), durations[0])
    np.testing.assert_allclose(spearman, rho, atol=5 * (1 - rho**2) / math.sqrt(N))
    # Marginals intact: each task still uniform on [0, 10] (KS distance).
    for row in durations:
        ordered = np.sort(row)
        ks = np.max(np.abs(ordered / 10 - (np.arange(N) + 0.5) / N))
        assert ks < 1.63 / math.sqrt(N)  # the 1% critical value


def test_contention_on_a_single_capacity_resource_adds_the_durations() -> None:
    tasks = tuple(Task(t, estimate=uniform(4, 8), demands={"crane": 1}) for t in "ab")
    project = Project("crane", tasks, resources=(Resource("crane", 1),))
    plan = Plan(
        SolveStatus.OPTIMAL,
        12,
        12,
        (ScheduledTask("a", 0, 6), ScheduledTask("b", 6, 12)),
    )
    for engine in Engine:
        simulation = Simulation.prepare(project, plan, engine)
        (chunk,) = list(simulation.chunks(300, seed=1))
        np.testing.assert_allclose(
            chunk.project_duration, chunk.durations.sum(axis=0), rtol=1e-6
        )


def test_quantile_confidence_intervals_cover_at_their_level() -> None:
    rng = np.random.default_rng(0)
    true_p80 = 0.8416212335729143  # standard normal
    reps = 400
    covered = 0
    for _ in range(reps):
        interval = quantile_interval(np.sort(rng.standard_normal(500)), 0.8)
        covered += interval.low <= true_p80 <= interval.high
    # 95% nominal; 3 binomial SEs at 400 repetitions is 0.033.
    assert abs(covered / reps - 0.95) < 0.033


def test_cruciality_and_sensitivity_of_a_chain_and_a_side_task() -> None:
    tasks = [Task("a", estimate=uniform(0, 10)), Task("b", duration=5)]
    project = Project(
        "p",
        (*tasks, Task("side", estimate=uniform(0, 1))),
        dependencies=(Dependency("a", "b"),),
    )
    result = forecast(project, earliest_plan(project), 5_000, seed=3)
    by_id = {t.task_id: t for t in result.tasks}
    assert by_id["a"].cruciality == pytest.approx(1.0)
    assert by_id["a"].sensitivity == pytest.approx(1.0, rel=1e-6)
    assert (by_id["b"].cruciality, by_id["b"].sensitivity) == (0.0, 0.0)
    assert by_id["side"].criticality == 0.0
    assert by_id["side"].sensitivity == 0.0
