"""How a plan is stress-tested: domain.Project + domain.Plan -> Monte Carlo ->
domain.Forecast. Imports only `domain`, NumPy and the standard library."""

from simulation.forecasting import MAX_SAMPLES, forecast

__all__ = ["MAX_SAMPLES", "forecast"]
