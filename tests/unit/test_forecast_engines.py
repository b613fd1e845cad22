"""The two engines, the workers, the precision rule and Latin hypercubes."""

from __future__ import annotations

import random

import numpy as np
import pytest

from domain import (
    Dependency,
    DependencyType,
    Distribution,
    Estimate,
    Plan,
    Project,
    Resource,
    ScheduledTask,
    SolveStatus,
    Task,
    ValidationError,
)
from domain.timing import Pin, TaskTiming
from simulation import forecast
from simulation.montecarlo import CHUNK_SIZE, Engine, Simulation
from tests.unit.test_risk_analysis import chain, earliest_plan, uniform


def random_network(seed: int, tasks: int = 40) -> Project:
    """A DAG with FS and SS links (lags >= 0), ample resources: no contention."""
    rng = random.Random(seed)
    items, deps = [], []
    for index in range(tasks):
        kind = rng.choice(list(Distribution)[:3])
        mode = rng.randint(1, 6)
        estimate = Estimate(mode * 0.5, mode, mode * 2.0, kind)
        items.append(Task(f"t{index}", estimate=estimate, demands={"pool": 1}))
        for pred in rng.sample(range(index), min(index, rng.randint(0, 3))):
            link = rng.choice([DependencyType.FS, DependencyType.SS])
            deps.append(Dependency(f"t{pred}", f"t{index}", link, rng.randint(0, 2)))
    return Project(
        "net",
        tuple(items),
        resources=(Resource("pool", tasks),),
        dependencies=tuple(deps),
    )


@pytest.mark.parametrize("seed", range(3))
def test_without_contention_both_engines_give_identical_finishes(seed: int) -> None:
    project = random_network(seed)
    plan = earliest_plan(project)
    committed = Simulation.prepare(project, plan, Engine.COMMITTED)
    dynamic = Simulation.prepare(project, plan, Engine.DYNAMIC)
    (fixed,) = list(committed.chunks(200, seed))
    (picked,) = list(dynamic.chunks(200, seed))
    np.testing.assert_array_equal(fixed.durations, picked.durations)
    np.testing.assert_array_equal(fixed.finishes, picked.finishes)
    np.testing.assert_array_equal(fixed.project_duration, picked.project_duration)


def test_dynamic_dispatch_lets_a_free_resource_pick_up_ready_work() -> None:
    """The plan orders b before c on the crane; when b is late, c goes first
    in the dynamic engine, never in the committed one."""
    tasks = (
        Task("a", estimate=uniform(0, 10)),
        Task("b", duration=3, demands={"crane": 1}),
        Task("c", duration=3, demands={"crane": 1}),
    )
    project = Project(
        "pick",
        tasks,
        resources=(Resource("crane", 1),),
        dependencies=(Dependency("a", "b"),),
    )
    plan = earliest_plan(project)
    moved = (ScheduledTask("b", 5, 8), ScheduledTask("c", 8, 11))
    plan = Plan(plan.status, 11, 11, (plan.tasks[0], *moved))
    committed = forecast(project, plan, 2_000, seed=1)
    dynamic = forecast(project, plan, 2_000, seed=1, engine="dynamic")
    assert dynamic.duration.mean < committed.duration.mean


def test_precision_rule_stops_when_the_p80_is_known_well_enough() -> None:
    project = chain([Task(t, estimate=uniform(0, 10)) for t in "abcd"])
    plan = earliest_plan(project)
    loose = forecast(project, plan, 200_000, seed=1, precision=0.2)
    tight = forecast(project, plan, 200_000, seed=1, precision=0.05)
    assert loose.samples % CHUNK_SIZE == 0
    assert loose.samples < tight.samples
    for result, target in ((loose, 0.2), (tight, 0.05)):
        assert result.precision is not None
        assert result.precision.p80_half_width <= target
        assert result.precision.met
    assert forecast(project, plan, 200_000, seed=1, precision=0.2) == loose
    capped = forecast(project, plan, 5_000, seed=1, precision=0.001)
    assert capped.samples == 5_000
    assert capped.precision is not None
    assert capped.precision.met is False


def test_latin_hypercube_reduces_the_variance_of_the_mean() -> None:
    project = chain([Task(t, estimate=uniform(0, 10)) for t in "abcde"])
    plan = earliest_plan(project)
    plain = [forecast(project, plan, 500, seed=s).duration.mean for s in range(30)]
    lhs = [
        forecast(project, plan, 500, seed=s, lhs=True).duration.mean for s in range(30)
    ]
    # For an additive model LHS removes nearly all variance of the mean; with
    # plain sampling the ratio would be near 1 (F(29, 29) > 3 has p < 0.002).
    assert np.var(plain) / np.var(lhs) > 3


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"engine": "fast"}, "engine"),
        ({"precision": 0}, "precision"),
        ({"workers": 0}, "workers"),
    ],
)
def test_refuses_bad_options(options: dict[str, object], field: str) -> None:
    project = chain([Task("a", duration=1)])
    with pytest.raises(ValidationError) as caught:
        forecast(project, earliest_plan(project), 10, **options)  # type: ignore[arg-type]
    assert caught.value.problems[0].field == field


def test_forecast_carries_s_curve_intervals_and_reproduction_info() -> None:
    project = chain([Task("a", estimate=uniform(0, 10)), Task("b", duration=2)])
    result = forecast(project, earliest_plan(project), 4_000, seed=6, project_version=3)
    assert len(result.s_curve) == 101
    assert list(result.s_curve) == sorted(result.s_curve)
    assert result.s_curve[80] == pytest.approx(result.duration.p80)
    assert result.precision is not None
    for key, interval in result.precision.intervals.items():
        assert interval.low <= getattr(result.duration, key) <= interval.high
    # The plan uses most likely 5 + 2 = 7 days: uniform(0, 10) + 2 <= 7 half the time.
    assert result.plan_percentile == pytest.approx(0.5, abs=0.05)
    assert (result.engine, result.sampling, result.project_version) == (
        "committed",
        "random",
        3,
    )


@pytest.mark.parametrize("engine", list(Engine))
def test_no_sample_starts_a_task_before_its_release_pin_or_actual_start(
    engine: Engine,
) -> None:
    """a (2-6 d) -> b; b is released on day 10, c pinned from day 3, d started
    on day 1: early finishes upstream never pull them earlier."""
    tasks = [
        Task("a", estimate=uniform(2, 6)),
        Task("b", estimate=uniform(1, 3), timing=TaskTiming(release=10)),
        Task("c", estimate=uniform(1, 3), timing=TaskTiming(pin=Pin(3, None))),
        Task("d", estimate=uniform(1, 3), timing=TaskTiming(actual_start=1)),
    ]
    project = Project("floors", tuple(tasks), dependencies=(Dependency("a", "b"),))
    plan = Plan(
        SolveStatus.FEASIBLE,
        13,
        13,
        (
            ScheduledTask("a", 0, 4),
            ScheduledTask("b", 10, 12),
            ScheduledTask("c", 3, 5),
            ScheduledTask("d", 1, 3),
        ),
    )
    (chunk,) = list(Simulation.prepare(project, plan, engine).chunks(300, 5))
    starts = {task.id: chunk.starts[index] for index, task in enumerate(tasks)}

    assert starts["b"].min() == 10
    assert starts["c"].min() == 3
    assert (starts["d"] == 1).all()
    assert (chunk.project_duration >= 11).all()
