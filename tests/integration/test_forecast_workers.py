"""Chunks on a pool of worker processes give the same bits as in process."""

from __future__ import annotations

from simulation import forecast
from simulation.montecarlo import CHUNK_SIZE
from tests.unit.test_forecast_engines import random_network
from tests.unit.test_risk_analysis import earliest_plan


def test_one_worker_and_two_workers_give_the_same_bits() -> None:
    project = random_network(7, tasks=30)
    plan = earliest_plan(project)
    samples = 3 * CHUNK_SIZE
    one = forecast(project, plan, samples, seed=3, workers=1)
    two = forecast(project, plan, samples, seed=3, workers=2)
    assert one == two
