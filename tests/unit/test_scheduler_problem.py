"""Solver input: built from a Project, checked on construction, no solver needed."""

from __future__ import annotations

import os

import pytest

from domain import (
    Dependency,
    DependencyType,
    Estimate,
    Project,
    Resource,
    Task,
    ValidationError,
)
from scheduler import PrecedenceData, SchedulingProblem, SolveOptions, TaskData


def test_from_project_resolves_indices_durations_and_candidates() -> None:
    project = Project(
        name="p",
        tasks=(
            Task("a", duration=2.5, demands={"crane": 1, "lift": 0}),
            Task("b", estimate=Estimate(1, 3, 8), skills={"java": 2}, people=1),
        ),
        resources=(
            Resource("crane", capacity=2),
            Resource("lift", capacity=1),
            Resource("ann", skills={"java": 3}),
            Resource("ben", skills={"java": 1}),
            Resource("cat", capacity=0, skills={"java": 5}),
        ),
        dependencies=(Dependency("a", "b", DependencyType.SS, -1),),
    )

    problem = SchedulingProblem.from_project(project)

    assert problem.task_ids == ("a", "b")
    assert problem.resource_ids == ("crane", "lift", "ann", "ben", "cat")
    assert problem.tasks == (
        TaskData(duration=3, demands=((0, 1),)),
        TaskData(duration=3, people=1, candidates=(2,)),
    )
    assert problem.capacities == (2, 1, 1, 1, 0)
    assert problem.precedences == (PrecedenceData(0, 1, DependencyType.SS, -1),)


def test_horizon_is_all_durations_plus_positive_lags() -> None:
    problem = SchedulingProblem(
        task_ids=("a", "b", "c"),
        resource_ids=(),
        tasks=(TaskData(2), TaskData(3), TaskData(4)),
        capacities=(),
        precedences=(PrecedenceData(0, 1, lag=5), PrecedenceData(1, 2, lag=-2)),
    )

    assert problem.horizon == 2 + 3 + 4 + 5


@pytest.mark.parametrize(
    ("dependency_type", "lag", "length"),
    [
        (DependencyType.FS, 1, 3 + 1 + 2),
        (DependencyType.SS, 2, 2 + 2),
        (DependencyType.FF, 1, 3 + 1),
        (DependencyType.SF, 6, 6),
        (DependencyType.SS, -2, 3),
    ],
)
def test_critical_path_follows_each_dependency_type(
    dependency_type: DependencyType, lag: int, length: int
) -> None:
    problem = SchedulingProblem(
        task_ids=("p", "q"),
        resource_ids=(),
        tasks=(TaskData(3), TaskData(2)),
        capacities=(),
        precedences=(PrecedenceData(0, 1, dependency_type, lag),),
    )

    assert problem.critical_path_length() == length


def test_critical_path_is_none_for_a_positive_cycle() -> None:
    problem = SchedulingProblem(
        task_ids=("p", "q"),
        resource_ids=(),
        tasks=(TaskData(3), TaskData(2)),
        capacities=(),
        precedences=(PrecedenceData(0, 1), PrecedenceData(1, 0)),
    )

    assert problem.critical_path_length() is None


def test_zero_cycle_is_satisfiable() -> None:
    problem = SchedulingProblem(
        task_ids=("p", "q"),
        resource_ids=(),
        tasks=(TaskData(3), TaskData(2)),
        capacities=(),
        precedences=(
            PrecedenceData(0, 1, DependencyType.SS, 0),
            PrecedenceData(1, 0, DependencyType.SS, 0),
        ),
    )

    assert problem.critical_path_length() == 3


def project_with(task: Task, *resources: Resource) -> Project:
    return Project(name="p", tasks=(task,), resources=resources)


@pytest.mark.parametrize(
    ("project", "complaint"),
    [
        (
            project_with(Task("a", 1, demands={"crane": 2}), Resource("crane")),
            "tasks.a.demands.crane: needs 2 units, capacity is 1",
        ),
        (
            project_with(Task("a", 1, demands={"crane": 1})),
            "tasks.a.demands: unknown resource crane",
        ),
        (
            project_with(Task("a", 1, demands={"crane": -1}), Resource("crane")),
            "units must be positive",
        ),
        (
            project_with(Task("a", 1, skills={"java": 1}), Resource("ann")),
            "needs 1 qualified people, only 0 available",
        ),
        (
            project_with(
                Task("a", 1, skills={"java": 1}, people=2),
                Resource("ann", skills={"java": 1}),
            ),
            "needs 2 qualified people, only 1 available",
        ),
        (
            project_with(
                Task("a", 1, skills={"java": 1}, people=0),
                Resource("ann", skills={"java": 1}),
            ),
            "must be at least 1",
        ),
        (project_with(Task("a", -1)), "tasks.a.duration: must not be negative"),
    ],
)
def test_rejects_input_the_model_cannot_hold(project: Project, complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        SchedulingProblem.from_project(project)


def test_rejects_dependency_on_unknown_or_same_task() -> None:
    unknown = Project("p", (Task("a", 1),), dependencies=(Dependency("a", "z"),))
    itself = Project("p", (Task("a", 1),), dependencies=(Dependency("a", "a"),))

    with pytest.raises(ValidationError, match="unknown task z"):
        SchedulingProblem.from_project(unknown)
    with pytest.raises(ValidationError, match="cannot depend on itself"):
        SchedulingProblem.from_project(itself)


def test_rejects_duplicate_task_ids() -> None:
    with pytest.raises(ValidationError, match="task ids must be unique"):
        SchedulingProblem(("a", "a"), (), (TaskData(1), TaskData(1)), ())


def test_options_default_to_the_cores_this_process_may_use() -> None:
    assert SolveOptions().num_workers == len(os.sched_getaffinity(0))
    assert SolveOptions(workers=1).num_workers == 1


@pytest.mark.parametrize(
    "options",
    [
        {"time_limit": 0},
        {"workers": 0},
        {"deterministic_time_limit": -1.0},
    ],
)
def test_options_reject_nonsense(options: dict[str, float]) -> None:
    with pytest.raises(ValidationError):
        SolveOptions(**options)  # type: ignore[arg-type]
