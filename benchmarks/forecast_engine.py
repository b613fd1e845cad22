"""Forecast engine figures: `python -m benchmarks.forecast_engine
[--sizes 1000 5000] [--kernels numpy numba] [--launch]`.

For generated 1,000- and 5,000-task plans (`benchmarks/test_forecast.py`),
both engines (committed, each of its kernels: NumPy passes and the compiled
ones; dynamic): wall seconds, CPU seconds (every thread), task-samples per
CPU-second (the rate per core) and peak traced memory (tracemalloc: NumPy
reports its buffers to it; numba's scratch buffers are NumPy arrays too).
Each kernel is warmed up first (numba's import and kernel load are not the
engine's rate; `benchmarks.forecast_process` times a whole process). With
`--launch`, the memory of 10^6 samples of the 45-task launch
(`service/data/launch.json`), which stays bounded in the samples.
The figures in benchmarks/README.md ("Forecast engine") come from here.
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from importlib import resources
from typing import Any

from benchmarks.test_forecast import generated_project, serial_schedule
from domain.document import project_from_document
from scheduler import SolveOptions, solve
from simulation import forecast
from simulation.threads import THREADS

ROW = "{:>6} {:>16} {:<22} {:>8} {:>7} {:>7} {:>12} {:>7} {:>7}"
HEADINGS = ("wall s", "cpu s", "task-samp/s", "MiB", "kernel")


def measure(project: Any, plan: Any, samples: int, **options: Any) -> list[str]:
    """One untraced run (wall, CPU) and one traced run (peak memory)."""
    began, cpu = time.perf_counter(), time.process_time()
    result = forecast(project, plan, samples, 11, **options)
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    tracemalloc.start()
    forecast(project, plan, samples, 11, **options)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rate = len(project.tasks) * samples / cpu
    figures = [f"{wall:.2f}", f"{cpu:.2f}", f"{rate:,.0f}", f"{peak / 2**20:.0f}"]
    return [*figures, result.kernel]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000])
    parser.add_argument("--kernels", nargs="+", default=["numpy", "numba"])
    parser.add_argument("--launch", action="store_true", help="10^6 launch samples")
    args = parser.parse_args()
    print(f"row work of each chunk on {THREADS} threads")
    print(ROW.format("tasks", "engine", "options", "samples", *HEADINGS))
    for size in args.sizes:
        project = generated_project(size=size)
        plan = serial_schedule(project)
        for kernel in args.kernels:
            forecast(project, plan, 4_096, 11, kernel=kernel)  # warm-up
            for samples, options in (
                (20_000, {"risk_drivers": False}),
                (20_000, {}),
                (100_000, {"risk_drivers": False}),
            ):
                label = ",".join(f"{k}={v}" for k, v in options.items())
                figures = measure(project, plan, samples, kernel=kernel, **options)
                engine = f"committed/{kernel}"
                print(
                    ROW.format(size, engine, label or "all drivers", samples, *figures)
                )
        dynamic = 20 if size <= 1_000 else 4
        options = {"engine": "dynamic", "risk_drivers": False}
        figures = measure(project, plan, dynamic, **options)
        print(ROW.format(size, "dynamic", "risk_drivers=False", dynamic, *figures))
    if args.launch:
        launch = json.loads(
            resources.files("service.data").joinpath("launch.json").read_text()
        )
        project = project_from_document(launch)
        plan = solve(project, SolveOptions(time_limit=5, workers=1))
        figures = measure(project, plan, 1_000_000)
        print(
            ROW.format(len(project.tasks), "committed", "launch", 1_000_000, *figures)
        )


if __name__ == "__main__":
    main()
