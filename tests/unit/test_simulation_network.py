"""The precedence network: each dependency type and lag, one at a time."""

from __future__ import annotations

import numpy as np
import pytest

from domain import (
    Dependency,
    DependencyType,
    Plan,
    Project,
    ScheduledTask,
    SolveStatus,
    Task,
    ValidationError,
)
from simulation import forecast
from simulation.network import Constraint, Network, topological_order

FS, SS, FF, SF = (
    DependencyType.FS,
    DependencyType.SS,
    DependencyType.FF,
    DependencyType.SF,
)


def starts_of(project: Project) -> dict[str, float]:
    """Each task's (deterministic) start, from a forecast of a trivial plan."""
    plan = Plan(
        SolveStatus.FEASIBLE,
        None,
        None,
        tuple(ScheduledTask(t.id, 0, t.planned_duration) for t in project.tasks),
    )
    result = forecast(project, plan, samples=4)
    return {
        t.task_id: t.finish.p50 - (project.task(t.task_id).duration or 0)
        for t in result.tasks
    }


def pair(kind: DependencyType, lag: int, *, b_duration: float = 3) -> Project:
    """x (5 days) -> a (10 days) -> b via `kind` with `lag`; a starts at 5."""
    tasks = (
        Task("x", duration=5),
        Task("a", duration=10),
        Task("b", duration=b_duration),
    )
    dependencies = (Dependency("x", "a"), Dependency("a", "b", kind, lag))
    return Project("pair", tasks, dependencies=dependencies)


@pytest.mark.parametrize(
    ("kind", "lag", "b_start"),
    [
        (FS, 0, 15),  # start_b >= finish_a
        (FS, 2, 17),
        (FS, -4, 11),
        (SS, 0, 5),  # start_b >= start_a
        (SS, 3, 8),
        (SS, -3, 2),
        (SS, -9, 0),  # never before the project start
        (FF, 0, 12),  # finish_b >= finish_a: 15 - 3
        (FF, -2, 10),
        (FF, 4, 16),
        (SF, 0, 2),  # finish_b >= start_a: 5 - 3
        (SF, -1, 1),
        (SF, 6, 8),
    ],
)
def test_dependency_type_and_lag(kind: DependencyType, lag: int, b_start: int) -> None:
    starts = starts_of(pair(kind, lag))
    assert starts["a"] == 5
    assert starts["b"] == b_start


def test_latest_times_give_zero_float_on_the_longest_path() -> None:
    network = Network.build(
        ["a", "b", "c"], [Constraint(0, 1), Constraint(0, 2, SS, 1)]
    )
    durations = np.array([[2.0], [3.0], [1.0]])
    earliest = network.earliest_times(durations)
    latest = network.latest_times(durations, earliest[3:].max(axis=0))
    total_float = (latest[:3] - earliest[:3])[:, 0]
    np.testing.assert_allclose(total_float, [0.0, 0.0, 3.0])


def test_finish_constraints_bound_the_latest_start_by_the_duration() -> None:
    # FF a -> b: b finishes no earlier than a, so a's latest finish is b's.
    network = Network.build(["a", "b"], [Constraint(0, 1, FF, 0)])
    durations = np.array([[4.0], [1.0]])
    earliest = network.earliest_times(durations)
    np.testing.assert_allclose(earliest[:, 0], [0.0, 3.0, 4.0, 4.0])
    latest = network.latest_times(durations, np.array([4.0]))
    np.testing.assert_allclose(latest[:, 0], [0.0, 3.0, 4.0, 4.0])


def test_topological_order_puts_predecessors_first() -> None:
    order = topological_order(
        ["a", "b", "c", "d"], [Constraint(2, 0), Constraint(0, 1), Constraint(3, 1)]
    )
    position = {task: order.index(task) for task in range(4)}
    assert position[2] < position[0] < position[1]
    assert position[3] < position[1]


def test_a_cycle_is_refused_with_the_tasks_named() -> None:
    with pytest.raises(ValidationError, match="around: a, b"):
        topological_order(["a", "b"], [Constraint(0, 1), Constraint(1, 0)])
