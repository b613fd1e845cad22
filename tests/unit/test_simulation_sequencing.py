"""Resource-sequence edges: the plan's order on shared resources holds in
every sample, so no sample exceeds a capacity."""

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
)
from simulation import forecast
from simulation.montecarlo import ChunkResult, Simulation
from simulation.sequencing import reduced_order, sequence_edges

SPREAD = Estimate(5, 6, 10, Distribution.UNIFORM)


def all_samples(project: Project, plan: Plan, samples: int, seed: int) -> ChunkResult:
    """Every sample in one result (tests use few enough samples)."""
    chunks = list(Simulation.prepare(project, plan).chunks(samples, seed))
    return ChunkResult(
        *(
            np.concatenate([getattr(c, name) for c in chunks], axis=-1)
            for name in ("durations", "starts", "finishes", "project_duration")
        ),
        critical_counts=sum(c.critical_counts for c in chunks),
        without_risk=np.concatenate([c.without_risk for c in chunks], axis=-1),
        risk_counts=sum(c.risk_counts for c in chunks),
    )


def two_tasks_on_a_crane() -> tuple[Project, Plan]:
    tasks = tuple(Task(t, estimate=SPREAD, demands={"crane": 1}) for t in "ab")
    project = Project("crane", tasks, resources=(Resource("crane", 1),))
    plan = Plan(
        SolveStatus.OPTIMAL,
        12,
        12,
        (ScheduledTask("a", 0, 6), ScheduledTask("b", 6, 12)),
    )
    return project, plan


def test_contended_tasks_run_in_the_plan_order_in_every_sample() -> None:
    project, plan = two_tasks_on_a_crane()
    result = all_samples(project, plan, samples=2_000, seed=4)
    (a, b) = (0, 1)
    assert np.all(result.starts[b] >= result.finishes[a])
    np.testing.assert_allclose(result.project_duration, result.durations.sum(axis=0))


def test_contention_makes_the_duration_the_sum() -> None:
    project, plan = two_tasks_on_a_crane()
    result = forecast(project, plan, samples=4_000, seed=4)
    # The sum of two uniform(5, 10) has mean 15.
    assert result.duration.mean == pytest.approx(15.0, abs=0.1)
    assert all(task.criticality == 1.0 for task in result.tasks)


def test_a_shared_person_sequences_like_a_resource() -> None:
    tasks = (Task("a", estimate=SPREAD), Task("b", estimate=SPREAD))
    plan = Plan(
        SolveStatus.OPTIMAL,
        12,
        12,
        (ScheduledTask("a", 6, 12, ("ana",)), ScheduledTask("b", 0, 6, ("ana",))),
    )
    project = Project("people", tasks)
    assert sequence_edges(project, plan) == [(1, 0)]


def test_a_resource_that_never_binds_gets_no_edges() -> None:
    tasks = tuple(Task(t, duration=3, demands={"lab": 1}) for t in "abc")
    plan = Plan(
        SolveStatus.OPTIMAL,
        9,
        9,
        tuple(ScheduledTask(t, 3 * k, 3 * k + 3) for k, t in enumerate("abc")),
    )
    project = Project("lab", tasks, resources=(Resource("lab", 3),))
    assert sequence_edges(project, plan) == []


def test_reduction_of_a_capacity_one_sequence_is_a_chain() -> None:
    starts = np.array([4.0, 0.0, 8.0, 2.0])
    finishes = np.array([8.0, 2.0, 9.0, 4.0])
    assert sorted(reduced_order(starts, finishes)) == [(0, 2), (1, 3), (3, 0)]


def test_reduction_keeps_every_predecessor_still_running() -> None:
    # a [0,4) and b [0,2) then c [2,5) (with a) and d [5,6) after all.
    starts = np.array([0.0, 0.0, 2.0, 5.0])
    finishes = np.array([4.0, 2.0, 5.0, 6.0])
    assert sorted(reduced_order(starts, finishes)) == [(0, 3), (1, 2), (2, 3)]


def test_zero_length_tasks_at_one_instant_are_ordered_without_a_cycle() -> None:
    starts = np.array([3.0, 3.0, 3.0])
    finishes = np.array([3.0, 3.0, 5.0])
    assert sorted(reduced_order(starts, finishes)) == [(0, 1), (1, 2)]


def test_a_link_back_against_the_plan_order_is_left_out_of_samples() -> None:
    """b may start up to 5 days before a (SS -5): a maximum time lag that no
    forward pass can hold once the plan runs b first; samples keep the plan's
    order on the rig and leave the backward link out."""
    tasks = tuple(Task(t, duration=2, demands={"rig": 1}) for t in "ab")
    project = Project(
        "against",
        tasks,
        resources=(Resource("rig", 1),),
        dependencies=(Dependency("a", "b", DependencyType.SS, -5),),
    )
    plan = Plan(
        SolveStatus.FEASIBLE,
        4,
        None,
        (ScheduledTask("a", 2, 4), ScheduledTask("b", 0, 2)),
    )
    result = forecast(project, plan, samples=10)

    assert result.duration.p50 == 4


def random_plan(rng: random.Random, capacity: int) -> tuple[Project, Plan]:
    """Random tasks on one resource, placed by a serial schedule on whole days."""
    tasks, used, scheduled = [], np.zeros(200, dtype=int), []
    for index in range(12):
        mode = rng.randint(0, 5)
        estimate = Estimate(mode * 0.5, mode, mode * 2 + 1, Distribution.TRIANGULAR)
        units = rng.randint(1, capacity)
        task = Task(f"t{index}", estimate=estimate, demands={"r": units})
        length = task.planned_duration
        start = rng.randint(0, 10)
        while np.any(used[start : start + length] + units > capacity):
            start += 1
        used[start : start + length] += units
        tasks.append(task)
        scheduled.append(ScheduledTask(task.id, start, start + length))
    project = Project("random", tuple(tasks), resources=(Resource("r", capacity),))
    return project, Plan(SolveStatus.FEASIBLE, None, None, tuple(scheduled))


@pytest.mark.parametrize("seed", range(6))
def test_no_sample_exceeds_the_capacity(seed: int) -> None:
    rng = random.Random(seed)
    capacity = rng.randint(1, 3)
    project, plan = random_plan(rng, capacity)
    positive = [i for i, t in enumerate(plan.tasks) if t.finish > t.start]
    result = all_samples(project, plan, samples=300, seed=seed)
    starts, finishes = result.starts[positive], result.finishes[positive]
    units = np.array([project.tasks[i].demands["r"] for i in positive])
    # Usage peaks at some task's start: sum the units running at each start.
    running = (starts[:, None, :] <= starts[None, :, :]) & (
        starts[None, :, :] < finishes[:, None, :]
    )
    usage = (running * units[:, None, None]).sum(axis=0)
    assert usage.max() <= capacity


@pytest.mark.parametrize("seed", range(5))
def test_reduction_implies_exactly_the_plan_order(seed: int) -> None:
    rng = np.random.default_rng(seed)
    starts = rng.integers(0, 12, size=25).astype(float)
    finishes = starts + rng.integers(0, 4, size=25)
    count = len(starts)
    rank = np.lexsort((np.arange(count), finishes, starts)).argsort()
    full = (finishes[:, None] <= starts[None, :]) & (rank[:, None] < rank[None, :])
    closure = np.zeros((count, count), dtype=bool)
    for before, after in reduced_order(starts, finishes):
        closure[before, after] = True
    for middle in range(count):  # Floyd-Warshall transitive closure
        closure |= closure[:, middle, None] & closure[None, middle, :]
    np.testing.assert_array_equal(closure, full)
