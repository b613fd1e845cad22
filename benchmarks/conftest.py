"""Shared fixtures for the benchmark suites: where PSPLIB lives, its best bounds."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

PSPLIB = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "psplib"


@pytest.fixture(scope="session")
def psplib_dir() -> Path:
    """The shared PSPLIB directory; benchmarks skip when it is absent."""
    if not PSPLIB.is_dir():
        pytest.skip(f"shared PSPLIB data not found at {PSPLIB}")
    return PSPLIB


@pytest.fixture(scope="session")
def best_known(psplib_dir: Path) -> dict[str, int]:
    """Instance stem -> best known makespan from psplib_bounds.csv."""
    with (psplib_dir / "psplib_bounds.csv").open(newline="") as bounds:
        return {
            row["instance"].removesuffix(".sm"): int(row["best_known_ub"])
            for row in csv.DictReader(bounds)
        }
