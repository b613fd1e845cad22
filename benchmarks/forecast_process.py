"""`planforge forecast FILE --json` as a whole process against a plain NumPy
reference (`benchmarks/numpy_reference.py`) in the same run:
`python -m benchmarks.forecast_process [--tasks 1000] [--samples 20000] [--runs 5]`.

Writes the generated network (`benchmarks/network_file.py`), runs one warm-up
of each, then the two in turn, A B A B ..., and prints each one's median wall
and CPU seconds (the operating system's accounting of the finished child,
`resource.getrusage`), the median of the pairwise wall ratios (so a drift in
the machine's speed hits both sides of a pair alike) and the load average
before and after. Both run as a user's Python does: with bytecode caches
(a PYTHONDONTWRITEBYTECODE in this environment is dropped for them; the
warm-up writes the caches, as any first run does).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.network_file import network_document

SIDES = ("planforge", "numpy")


@dataclass(frozen=True)
class Comparison:
    """Wall and CPU seconds of each run of each side, and the load average
    (1 minute) before and after."""

    runs: dict[str, list[tuple[float, float]]]
    load: tuple[float, float]

    @property
    def ratios(self) -> list[float]:
        """planforge / numpy wall seconds, pair by pair."""
        pairs = zip(self.runs["planforge"], self.runs["numpy"], strict=True)
        return [mine[0] / theirs[0] for mine, theirs in pairs]

    @property
    def ratio(self) -> float:
        """The median of the pairwise wall ratios."""
        return statistics.median(self.ratios)

    def lines(self) -> list[str]:
        lines = []
        for name, figures in self.runs.items():
            wall = statistics.median(w for w, _ in figures)
            cpu = statistics.median(c for _, c in figures)
            lines.append(
                f"{name:>10}: median wall {wall:.3f} s, median cpu {cpu:.3f} s"
            )
        ratios = self.ratios
        lines.append(
            f"planforge / numpy, wall, median of {len(ratios)} pairs: {self.ratio:.2f} "
            f"(min {min(ratios):.2f}, max {max(ratios):.2f}); "
            f"load average {self.load[0]:.2f} before, {self.load[1]:.2f} after"
        )
        return lines


def timed(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def compare(tasks: int = 1_000, samples: int = 20_000, runs: int = 5) -> Comparison:
    """A warm-up of each side, then `runs` pairs, alternating."""
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        network = Path(folder) / "network.json"
        network.write_text(json.dumps(network_document(tasks)))
        planforge = shutil.which("planforge", path=str(Path(sys.executable).parent))
        count = ["--samples", str(samples)]
        reference = Path(__file__).with_name("numpy_reference.py")
        commands = {
            "planforge": [planforge or "planforge", "forecast", str(network), *count],
            "numpy": [sys.executable, str(reference), str(network), *count],
        }
        commands["planforge"].append("--json")
        for command in commands.values():
            timed(command, environment)  # warm-up: bytecode caches, disk cache
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in SIDES}
        for _ in range(runs):
            for name in SIDES:
                figures[name].append(timed(commands[name], environment))
    return Comparison(figures, (load_before, os.getloadavg()[0]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1_000)
    parser.add_argument("--samples", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("\n".join(compare(args.tasks, args.samples, args.runs).lines()))


if __name__ == "__main__":
    main()
