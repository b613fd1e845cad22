"""How a plan is stress-tested: domain.Project + domain.Plan -> Monte Carlo ->
domain.Forecast. Imports only `domain`, NumPy, SimPy and the standard library."""

from simulation.forecasting import MAX_SAMPLES, forecast
from simulation.montecarlo import Engine

__all__ = ["MAX_SAMPLES", "Engine", "forecast"]
