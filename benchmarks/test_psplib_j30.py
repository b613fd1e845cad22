"""Benchmark: solve PSPLIB j30 instances, and check each answer.

Run timed with `pytest benchmarks --benchmark-enable`; with the project default
(`--benchmark-disable`) each solve runs once as an ordinary test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from domain import Plan, SolveStatus
from formats import read_psplib
from scheduler import SolveOptions, solve, validate_plan

# Spread over the parameter sets, from trivial to a second or so.
INSTANCES = ["j301_1", "j3010_3", "j3017_4", "j3025_1", "j3037_2", "j3046_3"]
OPTIONS = SolveOptions(time_limit=30.0, seed=0)


@pytest.mark.parametrize("instance", INSTANCES)
def test_j30(
    benchmark: BenchmarkFixture,
    psplib_dir: Path,
    best_known: dict[str, int],
    instance: str,
) -> None:
    project = read_psplib(psplib_dir / "j30" / f"{instance}.sm")

    plan: Plan = benchmark.pedantic(  # type: ignore[no-untyped-call]
        solve, args=(project, OPTIONS), rounds=1, iterations=1
    )

    assert plan.status is SolveStatus.OPTIMAL
    assert plan.makespan == best_known[instance]
    assert validate_plan(project, plan) == []
