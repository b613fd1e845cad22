"""Benchmark: on generated instances nobody tuned for, our search is at least
level with the textbook CP-SAT model at equal time and workers.

Two 60-task instances of the committed tuning set (benchmarks/rcpsp_generator.py)
that plain CP-SAT does not close in 3 s; both plans are validated. Figures on
the held-out set: `python -m benchmarks.generated_table`, benchmarks/README.md.
"""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.generated_table import duel
from benchmarks.rcpsp_generator import Parameters, instance_set
from scheduler import SolveOptions
from scheduler.search import warm_up

OPTIONS = SolveOptions(time_limit=3.0, workers=2, seed=0)
SLICE = {"g60_nc2.1_rf0.75_rs0.2_s15", "g60_nc1.5_rf1.0_rs0.2_s18"}
RECIPES = [recipe for recipe in instance_set("tuning") if recipe.name in SLICE]


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda recipe: recipe.name)
def test_generated_not_worse_than_plain(
    benchmark: BenchmarkFixture, recipe: Parameters
) -> None:
    warm_up()

    result = benchmark.pedantic(  # type: ignore[no-untyped-call]
        duel, args=(recipe, OPTIONS), rounds=1, iterations=1
    )

    assert result.problems == ()
    assert result.ratio <= 1.0, f"ours {result.ours} > plain {result.plain}"


def test_slice_is_the_committed_one() -> None:
    assert {recipe.name for recipe in RECIPES} == SLICE
