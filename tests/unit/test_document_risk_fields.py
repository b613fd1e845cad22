"""Document v1 additions: lognormal, fixed and discrete estimates; correlations."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from domain import Distribution, Estimate, ValidationError
from domain.document import project_from_document
from domain.document_writer import project_to_document
from domain.model import lognormal_parameters
from simulation.correlation import RankCorrelation
from simulation.distributions import Quantiles


def document(**extra: Any) -> dict[str, Any]:
    tasks = [
        {"id": "a", "estimate": {"distribution": "lognormal", "optimistic": 2,
                                 "most_likely": 4, "pessimistic": 10}},
        {"id": "b", "estimate": {"distribution": "discrete", "values": [1, 2, 5],
                                 "weights": [1, 3, 1]}},
        {"id": "c", "estimate": {"distribution": "fixed", "most_likely": 3}},
    ]  # fmt: skip
    risk = {"id": "r", "probability": 0.5, "tasks": ["a"], "impact": 2}
    return {"name": "p", "tasks": tasks, "risks": [risk], **extra}


def problem(doc: dict[str, Any]) -> tuple[str, str]:
    with pytest.raises(ValidationError) as caught:
        project_from_document(doc)
    first = caught.value.problems[0]
    return first.field, first.message


def test_new_estimates_and_correlations_round_trip() -> None:
    doc = document(correlations=[{"tasks": ["a", "b"], "risks": ["r"],
                                  "coefficient": 0.5}])  # fmt: skip
    project = project_from_document(doc)
    b = project.task("b").estimate
    assert b == Estimate(1, 2, 5, Distribution.DISCRETE, (1, 2, 5), (1, 3, 1))
    assert project.task("b").planned_duration == 2
    assert project.task("c").estimate == Estimate(3, 3, 3, Distribution.FIXED)
    assert project_from_document(project_to_document(project)) == project


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"values": []}, "tasks[b].estimate.values", "non-empty"),
        ({"weights": [1, 2]}, "tasks[b].estimate.weights", "2 weights for 3 values"),
        ({"weights": [0, 0, 0]}, "tasks[b].estimate.weights", "positive total"),
        ({"values": [1, "x", 2]}, "tasks[b].estimate.values[1]", "number"),
        ({"values": [-1, 2, 3]}, "tasks[b].estimate.values[0]", ">= 0"),
    ],
)
def test_discrete_estimates_are_checked(
    change: dict[str, Any], field: str, words: str
) -> None:
    doc = document()
    doc["tasks"][1]["estimate"].update(change)
    assert problem(doc)[0] == field
    assert words in problem(doc)[1]


def test_lognormal_needs_a_strict_three_point_order() -> None:
    doc = document()
    doc["tasks"][0]["estimate"]["most_likely"] = 2
    assert problem(doc)[1].startswith("a lognormal needs optimistic < most_likely")


@pytest.mark.parametrize(
    ("group", "field", "words"),
    [
        ({"tasks": ["a", "b"], "coefficient": 1.5}, "correlations[0].coefficient",
         "within [-1, 1]"),
        ({"tasks": ["a", "zz"], "coefficient": 0.5}, "correlations[0].tasks",
         "unknown task 'zz'"),
        ({"tasks": ["a", "c"], "coefficient": 0.5}, "correlations[0].tasks",
         "fixed duration"),
        ({"tasks": ["a"], "coefficient": 0.5}, "correlations[0]", "at least two"),
        ({"tasks": ["a", "b"]}, "correlations[0].coefficient", "required"),
    ],
)  # fmt: skip
def test_correlation_groups_are_checked(
    group: dict[str, Any], field: str, words: str
) -> None:
    found_field, message = problem(document(correlations=[group]))
    assert found_field == field
    assert words in message


def test_lognormal_has_its_mode_and_p90_where_the_document_says() -> None:
    estimate = Estimate(2, 4, 10, Distribution.LOGNORMAL)
    mu, sigma = lognormal_parameters(estimate)
    assert np.exp(mu - sigma**2) == pytest.approx(2)  # mode - optimistic
    p90 = Quantiles.of([estimate]).apply(np.array([[0.9]]))[0, 0]
    assert p90 == pytest.approx(10, rel=1e-6)


def test_pert_table_matches_beta_quantiles() -> None:
    estimate = Estimate(2, 3, 10, Distribution.PERT)
    u = np.linspace(0.01, 0.99, 99)[None, :]
    table = Quantiles.of([estimate]).apply(u)[0]
    draws = 2 + 8 * np.random.default_rng(0).beta(1.5, 4.5, 400_000)
    exact = np.quantile(draws, u[0])
    np.testing.assert_allclose(table, exact, atol=0.02)


def test_an_impossible_correlation_target_is_repaired() -> None:
    target = np.full((3, 3), -0.9)
    np.fill_diagonal(target, 1.0)
    correlation = RankCorrelation.of([0, 1, 2], target)
    assert correlation.repaired
    assert np.linalg.eigvalsh(correlation.target).min() > -1e-9
