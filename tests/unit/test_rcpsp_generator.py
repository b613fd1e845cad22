"""The RCPSP generator keeps ProGen's parameters and repeats from its seed."""

from __future__ import annotations

import pytest

from benchmarks.plain_cpsat import solve_plain
from benchmarks.rcpsp_generator import (
    RESOURCES,
    Parameters,
    generate,
    instance_set,
    network_complexity,
)
from scheduler import validate_plan


def test_same_recipe_same_project() -> None:
    recipe = Parameters(60, 1.8, 0.5, 0.3, seed=7)

    assert generate(recipe) == generate(recipe)
    assert generate(recipe) != generate(Parameters(60, 1.8, 0.5, 0.3, seed=8))


@pytest.mark.parametrize("nc", [1.5, 1.8, 2.1])
@pytest.mark.parametrize("tasks", [30, 120])
def test_network_complexity_is_met(tasks: int, nc: float) -> None:
    project = generate(Parameters(tasks, nc, 0.5, 0.3, seed=1))

    assert network_complexity(project) == pytest.approx(nc, abs=0.15)
    assert len(project.tasks) == tasks


@pytest.mark.parametrize("rf", [0.25, 0.5, 0.75, 1.0])
def test_resource_factor_is_the_share_of_resources_asked_for(rf: float) -> None:
    project = generate(Parameters(60, 1.5, rf, 0.3, seed=2))

    asked = [len(task.demands) for task in project.tasks]
    assert sum(asked) / (len(asked) * RESOURCES) == pytest.approx(rf)
    assert min(asked) >= 1


def test_resource_strength_spans_largest_demand_to_unconstrained_peak() -> None:
    tight = generate(Parameters(60, 1.5, 1.0, 0.0, seed=3))
    loose = generate(Parameters(60, 1.5, 1.0, 1.0, seed=3))

    for resource in tight.resources:
        largest = max(task.demands.get(resource.id, 0) for task in tight.tasks)
        assert resource.capacity == largest
    # RS 1: the earliest-start schedule already fits, so the optimum is the
    # critical path, which plain CP-SAT proves at once.
    plan = solve_plain(loose, time_limit=5.0)
    assert plan.makespan == plan.lower_bound
    assert validate_plan(loose, plan) == []


def test_held_out_and_tuning_sets_do_not_overlap() -> None:
    held_out, tuning = instance_set("held_out"), instance_set("tuning")

    assert {r.tasks for r in held_out} == {30, 60, 120, 300}
    assert not {r.seed for r in held_out} & {r.seed for r in tuning}
