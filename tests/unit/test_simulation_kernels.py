"""The compiled passes (numba) give the NumPy passes' numbers bit for bit:
every dependency type with lags, floors, risks with fixed and estimated
impacts, pauses, a shared resource's order; and "auto" says which ran."""

from __future__ import annotations

import random
import sys

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
    Risk,
    ScheduledTask,
    SolveStatus,
    Task,
    ValidationError,
)
from domain.timing import TaskTiming
from simulation import forecast
from simulation.forecasting import compiles
from simulation.montecarlo import Simulation


def mixed_project(seed: int, size: int = 60) -> tuple[Project, Plan]:
    """Links of all four types with lags, a few releases, risks with fixed
    and estimated impacts, one shared crane (ordered by the plan), and a plan
    that spreads some tasks over more days than they take (pauses)."""
    rng = random.Random(seed)
    tasks, links = [], []
    for index in range(size):
        mode = rng.randint(1, 6)
        estimate = Estimate(
            0.6 * mode, mode, 2.2 * mode, rng.choice(list(Distribution)[:3])
        )
        release = rng.choice([None, None, None, rng.randint(0, 10)])
        tasks.append(
            Task(
                f"t{index}",
                estimate=estimate,
                demands={"crane": 1} if index % 7 == 0 else {},
                timing=TaskTiming(release=release),
            )
        )
        for predecessor in rng.sample(range(index), min(index, rng.randint(0, 3))):
            kind = rng.choice(list(DependencyType))
            links.append(
                Dependency(f"t{predecessor}", f"t{index}", kind, rng.randint(0, 3))
            )
    risks = tuple(
        Risk(
            f"r{k}",
            rng.uniform(0.1, 0.5),
            tuple(f"t{rng.randrange(size)}" for _ in range(rng.randint(1, 3))),
            rng.choice([2.0, Estimate(1, 2, 5, Distribution.TRIANGULAR)]),
        )
        for k in range(6)
    )
    project = Project(
        "mixed",
        tuple(tasks),
        resources=(Resource("crane", 1),),
        dependencies=tuple(links),
        risks=risks,
    )
    # Longest paths with most-likely durations, crane tasks one after another.
    simulation = Simulation.prepare(project, _placeholder(project))
    durations = np.array([[t.planned_duration] for t in project.tasks], np.float32)
    starts = simulation.network.earliest_times(durations)[:size, 0]
    scheduled, crane_free = [], 0
    for index in np.argsort(starts, kind="stable"):
        task = project.tasks[index]
        start = int(np.ceil(starts[index]))
        if task.demands:
            start = max(start, crane_free)
        span = task.planned_duration + (1 if index % 5 == 0 else 0)  # a pause
        crane_free = start + span if task.demands else crane_free
        scheduled.append(ScheduledTask(task.id, start, start + span))
    makespan = max(s.finish for s in scheduled)
    return project, Plan(SolveStatus.FEASIBLE, makespan, None, tuple(scheduled))


def _placeholder(project: Project) -> Plan:
    """A plan with every task at day 0 (only its network is used)."""
    tasks = tuple(ScheduledTask(t.id, 0, t.planned_duration) for t in project.tasks)
    return Plan(SolveStatus.FEASIBLE, 0, None, tasks)


@pytest.mark.parametrize("seed", range(3))
def test_compiled_passes_give_the_same_bits(seed: int) -> None:
    project, plan = mixed_project(seed)
    plain = Simulation.prepare(project, plan)
    compiled = Simulation.prepare(project, plan, compiled=True)
    assert compiled.compiled is not None
    assert compiled.stretch is not None  # pauses are part of the test
    for numpy_chunk, numba_chunk in zip(
        plain.chunks(5000, seed), compiled.chunks(5000, seed), strict=True
    ):
        for name in numpy_chunk.__dataclass_fields__:
            np.testing.assert_array_equal(
                getattr(numpy_chunk, name), getattr(numba_chunk, name), err_msg=name
            )


def test_forecasts_are_equal_and_say_which_kernel_ran() -> None:
    project, plan = mixed_project(7)
    by_numpy = forecast(project, plan, 6000, 5, kernel="numpy")
    by_numba = forecast(project, plan, 6000, 5, kernel="numba")
    assert (by_numpy.kernel, by_numba.kernel) == ("numpy", "numba")
    assert by_numpy == by_numba
    dynamic = forecast(project, plan, 20, 5, engine="dynamic", kernel="numba")
    assert dynamic.kernel == "numpy"  # SimPy dispatch: no compiled passes


def test_auto_compiles_large_runs_only(monkeypatch: pytest.MonkeyPatch) -> None:
    large, _ = mixed_project(1, size=300)
    small, _ = mixed_project(1, size=60)
    monkeypatch.delitem(sys.modules, "numba", raising=False)
    assert not compiles(large, 10_000)
    assert compiles(large, 200_000)
    assert not compiles(small, 1_000_000)  # NumPy is as quick on small networks


def test_an_unknown_kernel_is_refused() -> None:
    project, plan = mixed_project(2, size=5)
    with pytest.raises(ValidationError, match="kernel"):
        forecast(project, plan, 100, 1, kernel="fortran")
