"""Benchmark: RCPSP/max instances (maximum time lags), each answer checked.

Feasible ones at their known optimum, validated; one with no schedule comes
back infeasible with its conflicts named. `python -m benchmarks.rcpsp_max_table`
measures the whole sample.
"""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.rcpsp_max_table import DATA
from domain import Plan, SolveStatus
from formats.rcpsp_max import read_rcpsp_max
from scheduler import SolveOptions, solve, validate_plan

OPTIONS = SolveOptions(time_limit=20.0, workers=2, seed=0)
# Two with a schedule, one without (sm_j10 PSP31 has none).
INSTANCES = [("sm_j10", "PSP1"), ("sm_j20", "PSP16"), ("sm_j10", "PSP31")]


def known(instance_set: str, name: str) -> str:
    lines = (DATA / instance_set / "optimum.csv").read_text().splitlines()
    return dict(line.split(",") for line in lines[1:])[f"{name}.SCH"]


@pytest.mark.parametrize(("instance_set", "name"), INSTANCES)
def test_rcpsp_max(benchmark: BenchmarkFixture, instance_set: str, name: str) -> None:
    project = read_rcpsp_max(DATA / instance_set / f"{name}.SCH")
    expected = known(instance_set, name)

    plan: Plan = benchmark.pedantic(  # type: ignore[no-untyped-call]
        solve, args=(project, OPTIONS), rounds=1, iterations=1
    )

    assert validate_plan(project, plan) == []
    if expected == "unsat":
        assert plan.status is SolveStatus.INFEASIBLE
        assert plan.conflicts
    else:
        assert (plan.status, plan.makespan) == (SolveStatus.OPTIMAL, int(expected))
