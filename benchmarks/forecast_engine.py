"""Forecast engine figures: `python -m benchmarks.forecast_engine [--full]`.

Prints samples/s and peak traced memory (tracemalloc: NumPy reports its
buffers to it) for generated 1,000- and 5,000-task plans, both engines, and
the variance reduction of Latin hypercube sampling. The figures in
benchmarks/README.md ("Forecast engine") come from this script.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from typing import Any

import numpy as np

from benchmarks.test_forecast import generated_project, serial_schedule
from domain import Task
from simulation import forecast
from tests.unit.test_risk_analysis import chain, earliest_plan, uniform

ROW = "{:>6} {:>10} {:<36} {:>8} {:>8} {:>10} {:>9}"


def measure(project: Any, plan: Any, samples: int, **options: Any) -> tuple[float, int]:
    """Seconds and peak traced bytes of one forecast."""
    tracemalloc.start()
    began = time.perf_counter()
    forecast(project, plan, samples, 11, **options)
    seconds = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak


def untraced(project: Any, plan: Any, samples: int, **options: Any) -> float:
    began = time.perf_counter()
    forecast(project, plan, samples, 11, **options)
    return time.perf_counter() - began


def lhs_ratio(replications: int = 40, samples: int = 1_000) -> dict[str, float]:
    """Variance of the mean and of the P80 across seeds, plain / LHS."""
    project = chain([Task(t, estimate=uniform(0, 10)) for t in "abcdefgh"])
    plan = earliest_plan(project)
    runs = {
        lhs: [
            forecast(project, plan, samples, s, lhs=lhs).duration
            for s in range(replications)
        ]
        for lhs in (False, True)
    }
    return {
        key: float(
            np.var([getattr(d, key) for d in runs[False]])
            / np.var([getattr(d, key) for d in runs[True]])
        )
        for key in ("mean", "p80")
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="5,000 tasks too")
    args = parser.parse_args()
    sizes = (1_000, 5_000) if args.full else (1_000,)
    print(ROW.format("tasks", "engine", "options", "samples", "s", "samples/s", "MiB"))
    for size in sizes:
        project = generated_project(size=size)
        plan = serial_schedule(project)
        untraced(project, plan, 4_096)  # warm-up
        for samples, options in (
            (10_000, {"risk_drivers": False}),
            (10_000, {}),
            (10_000, {"risk_drivers": False, "workers": 2}),
            (10_000, {"risk_drivers": False, "lhs": True}),
        ):
            seconds = untraced(project, plan, samples, **options)
            _, peak = measure(project, plan, samples, **options)
            label = ",".join(f"{k}={v}" for k, v in options.items()) or "all drivers"
            rate = f"{samples / seconds:.0f}"
            row = (size, "committed", label, samples, f"{seconds:.2f}", rate)
            print(ROW.format(*row, f"{peak / 2**20:.0f}"))
        dynamic = 20 if size <= 1_000 else 4
        seconds, peak = measure(
            project, plan, dynamic, engine="dynamic", risk_drivers=False
        )
        rate = f"{dynamic / seconds:.1f}"
        row = (size, "dynamic", "risk_drivers=False", dynamic, f"{seconds:.2f}", rate)
        print(ROW.format(*row, f"{peak / 2**20:.0f}"))
    ratios = lhs_ratio()
    print(
        f"LHS variance reduction (8-task chain, 40 seeds x 1,000 samples): "
        f"mean x{ratios['mean']:.1f}, P80 x{ratios['p80']:.1f}"
    )


if __name__ == "__main__":
    main()
