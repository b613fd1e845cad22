"""Real CP-SAT solves of PSPLIB j30 instances against their proven optima."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from domain import SolveStatus
from formats import read_psplib
from scheduler import SolveOptions, solve, validate_plan

PSPLIB = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "psplib"
INSTANCES = ["j301_1", "j305_5", "j3021_7", "j3025_1", "j3041_4"]
OPTIONS = SolveOptions(time_limit=30.0, workers=1, seed=0)

pytestmark = pytest.mark.skipif(
    not PSPLIB.is_dir(), reason=f"shared PSPLIB data not found at {PSPLIB}"
)


@pytest.fixture(scope="module")
def best_known() -> dict[str, int]:
    """Instance stem -> best known makespan (proven optimal for all of j30)."""
    with (PSPLIB / "psplib_bounds.csv").open(newline="") as bounds:
        return {
            row["instance"].removesuffix(".sm"): int(row["best_known_ub"])
            for row in csv.DictReader(bounds)
        }


@pytest.mark.parametrize("instance", INSTANCES)
def test_solves_j30_instance_to_proven_optimum(
    instance: str, best_known: dict[str, int]
) -> None:
    project = read_psplib(PSPLIB / "j30" / f"{instance}.sm")

    plan = solve(project, OPTIONS)

    assert plan.status is SolveStatus.OPTIMAL
    assert plan.makespan == best_known[instance]
    assert plan.lower_bound is not None
    assert plan.lower_bound <= best_known[instance]
    assert validate_plan(project, plan) == []


def test_one_worker_with_a_fixed_seed_is_reproducible() -> None:
    project = read_psplib(PSPLIB / "j30" / "j3021_7.sm")
    options = SolveOptions(
        time_limit=30.0, workers=1, seed=7, deterministic_time_limit=30.0
    )

    first, second = solve(project, options), solve(project, options)

    assert first.tasks == second.tasks
