"""`planforge forecast FILE --json` as a whole process against a plain NumPy
reference (`benchmarks/numpy_reference.py`) in the same run:
`python -m benchmarks.forecast_process [--tasks 1000] [--samples 20000] [--runs 5]`.

Writes the generated network (`benchmarks/network_file.py`), runs one warm-up
of each, then the two in turn, A B A B ..., and prints each one's median wall
and CPU seconds (the operating system's accounting of the finished child,
`resource.getrusage`) and the median of the pairwise wall ratios, so a drift
in the machine's speed hits both sides of a pair alike.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.network_file import network_document


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1_000)
    parser.add_argument("--samples", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        network = Path(folder) / "network.json"
        network.write_text(json.dumps(network_document(args.tasks)))
        planforge = shutil.which("planforge") or "planforge"
        samples = ["--samples", str(args.samples)]
        commands = {
            "planforge": [planforge, "forecast", str(network), *samples, "--json"],
            "numpy": [
                sys.executable,
                str(Path(__file__).with_name("numpy_reference.py")),
                str(network),
                *samples,
            ],
        }
        for command in commands.values():
            timed(command)  # warm-up
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                runs[name].append(timed(command))
    for name, figures in runs.items():
        wall = statistics.median(w for w, _ in figures)
        cpu = statistics.median(c for _, c in figures)
        print(f"{name:>10}: median wall {wall:.3f} s, median cpu {cpu:.3f} s")
    ratios = [
        a[0] / b[0] for a, b in zip(runs["planforge"], runs["numpy"], strict=True)
    ]
    middle, low, high = statistics.median(ratios), min(ratios), max(ratios)
    print(
        f"planforge / numpy, wall, median of {args.runs} pairs: {middle:.2f} "
        f"(min {low:.2f}, max {high:.2f})"
    )


if __name__ == "__main__":
    main()
