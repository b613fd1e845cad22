"""Project-wide rules, each rejected with a message naming what is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from domain import ValidationError
from domain.document import project_from_document


def project(**extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "name": "p",
        "resources": [
            {"id": "crane", "capacity": 2},
            {"id": "alice", "skills": {"backend": 3}},
        ],
        "tasks": [
            {"id": "a", "duration": 2},
            {"id": "b", "duration": 3},
            {"id": "c", "duration": 1},
        ],
    }
    document.update(extra)
    return document


def problems(document: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        project_from_document(document)
    return [str(p) for p in caught.value.problems]


def test_a_valid_project_passes() -> None:
    project_from_document(project(dependencies=[{"from": "a", "to": "b"}]))


def test_duplicate_task_ids() -> None:
    document = project(tasks=[{"id": "a", "duration": 1}, {"id": "a", "duration": 2}])
    assert problems(document) == ["tasks[a]: duplicate id 'a'"]


def test_duplicate_dependency_between_the_same_tasks() -> None:
    document = project(
        dependencies=[{"from": "a", "to": "b"}, {"from": "a", "to": "b"}]
    )
    assert problems(document) == [
        "dependencies[a->b]: duplicate id 'a->b': give each link between a pair "
        "its own id"
    ]


def test_unknown_ids_in_dependencies_demands_and_risks() -> None:
    document = project(
        tasks=[{"id": "a", "duration": 1, "demands": {"forklift": 1}}],
        dependencies=[{"from": "a", "to": "zz"}],
        risks=[{"id": "r", "probability": 0.5, "tasks": ["ghost"], "impact": 1}],
    )
    assert problems(document) == [
        "tasks[a].demands.forklift: unknown resource 'forklift'",
        "dependencies[a->zz].to: unknown task 'zz'",
        "risks[r].tasks: unknown task 'ghost'",
    ]


def test_cycle_is_named_in_order() -> None:
    document = project(
        dependencies=[
            {"from": "a", "to": "b"},
            {"from": "b", "to": "c"},
            {"from": "c", "to": "a"},
        ]
    )
    assert problems(document) == [
        "dependencies: the dependencies form a cycle no schedule can keep (each "
        "task on it would have to start 6 days after itself): a -> b -> c -> a"
    ]


def test_a_loop_with_a_maximum_lag_is_no_cycle() -> None:
    """c starts at most 5 days after a (SS -5 back to a): a plan exists."""
    document = project(
        dependencies=[
            {"from": "a", "to": "b"},
            {"from": "b", "to": "c"},
            {"from": "c", "to": "a", "type": "SS", "lag": -5},
        ]
    )
    loaded = project_from_document(document)  # no ValidationError
    assert len(loaded.dependencies) == 3


def test_self_dependency() -> None:
    document = project(dependencies=[{"from": "a", "to": "a"}])
    assert problems(document) == ["dependencies[a->a]: a task cannot depend on itself"]


def test_negative_and_inverted_estimates() -> None:
    document = project(
        tasks=[
            {
                "id": "neg",
                "estimate": {"optimistic": -1, "most_likely": 2, "pessimistic": 3},
            },
            {
                "id": "inv",
                "estimate": {"optimistic": 5, "most_likely": 4, "pessimistic": 9},
            },
            {"id": "fix", "duration": -2},
        ]
    )
    assert problems(document) == [
        "tasks[neg].estimate.optimistic: must be >= 0, got -1",
        "tasks[inv].estimate: optimistic 5 > most_likely 4",
        "tasks[fix].duration: must be >= 0, got -2",
    ]


def test_tight_estimates_are_accepted() -> None:
    project_from_document(
        project(
            tasks=[
                {
                    "id": "a",
                    "estimate": {"optimistic": 3, "most_likely": 3, "pessimistic": 3},
                },
            ]
        )
    )


def test_demand_above_capacity() -> None:
    document = project(tasks=[{"id": "a", "duration": 1, "demands": {"crane": 3}}])
    assert problems(document) == [
        "tasks[a].demands.crane: 3 units exceed the capacity 2"
    ]


def test_demand_at_capacity_is_accepted() -> None:
    project_from_document(
        project(tasks=[{"id": "a", "duration": 1, "demands": {"crane": 2}}])
    )


@pytest.mark.parametrize("probability", [-0.1, 1.5])
def test_probability_outside_unit_interval(probability: float) -> None:
    document = project(
        risks=[{"id": "r", "probability": probability, "tasks": ["a"], "impact": 2}]
    )
    assert problems(document) == [
        f"risks[r].probability: must be within [0, 1], got {probability}"
    ]


@pytest.mark.parametrize("probability", [0, 1])
def test_probability_bounds_are_accepted(probability: float) -> None:
    project_from_document(
        project(
            risks=[{"id": "r", "probability": probability, "tasks": ["a"], "impact": 2}]
        )
    )


def test_too_few_qualified_people() -> None:
    document = project(
        tasks=[{"id": "a", "duration": 1, "skills": {"backend": 2}, "people": 2}]
    )
    assert problems(document) == [
        "tasks[a].skills: needs 2 people with backend>=2; qualified: alice"
    ]


def test_every_problem_is_listed_at_once() -> None:
    document = project(
        tasks=[{"id": "a", "duration": -1}, {"id": "a", "duration": 1}],
        risks=[{"id": "r", "probability": 2, "tasks": ["a"], "impact": 1}],
    )
    assert len(problems(document)) == 3
