"""Measure the scheduler on PSPLIB sets and print one table row per set.

    python -m benchmarks.psplib_table --set j30 --time-limit 1
    python -m benchmarks.psplib_table --set j120 --time-limit 10 --every 10

Instances run one after another, each solve with `--workers` CP-SAT workers
(default 2, the target setting on a 2-core machine). Every plan is re-checked
by the independent validator, and no reported lower bound may exceed the best
known makespan; a breach is printed and makes the exit status non-zero.
`--every K` takes every K-th instance in file order (instance i of parameter
group g), which spreads a subset evenly over the parameter groups.

A long sample runs in parts (`--offset N --limit M --verbose`, each part's
output saved); `--merge FILE...` reads the instance lines back and prints the
set's row over all parts, with its worst instances. An instance found twice
is an error: a part re-run must replace its file, not add to the sample.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from domain import SolveStatus
from formats import read_psplib
from scheduler import SolveOptions, solve, validate_plan
from scheduler.search import warm_up

PSPLIB = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "psplib"
LINE = re.compile(
    r"(j\d+_\d+): (\w+) (-?\d+|None) \(bound (-?\d+|None), best (\d+)\) "
    r"([\d.]+)s ?(.*)"
)


@dataclass(frozen=True)
class Outcome:
    """One instance's solve, measured against its best-known makespan."""

    instance: str
    status: SolveStatus
    makespan: int | None
    lower_bound: int | None
    best_known: int
    seconds: float
    problems: tuple[str, ...]

    def line(self) -> str:
        """The instance's line in a verbose run (what `parse` reads back)."""
        return (
            f"{self.instance}: {self.status} {self.makespan} "
            f"(bound {self.lower_bound}, best {self.best_known}) "
            f"{self.seconds:.2f}s {'; '.join(self.problems)}"
        )

    @classmethod
    def parse(cls, line: str) -> Outcome | None:
        """The outcome a `line` states (None for any other line)."""
        match = LINE.fullmatch(line.rstrip("\n"))
        if match is None:
            return None
        name, status, makespan, bound, best, seconds, problems = match.groups()
        return cls(
            name,
            SolveStatus(status),
            None if makespan == "None" else int(makespan),
            None if bound == "None" else int(bound),
            int(best),
            float(seconds),
            tuple(problems.split("; ")) if problems else (),
        )

    @property
    def gap(self) -> float:
        """Relative excess over the best known makespan (inf when none found)."""
        if self.makespan is None:
            return float("inf")
        return (self.makespan - self.best_known) / self.best_known


def best_known_makespans(directory: Path = PSPLIB) -> dict[str, int]:
    """Instance stem -> best known makespan (psplib_bounds.csv)."""
    with (directory / "psplib_bounds.csv").open(newline="") as bounds:
        return {
            row["instance"].removesuffix(".sm"): int(row["best_known_ub"])
            for row in csv.DictReader(bounds)
        }


def instances(
    name: str, every: int = 1, limit: int | None = None, offset: int = 0
) -> list[Path]:
    """The set's files in (group, number) order, every `every`-th, at most
    `limit` of them after skipping the first `offset` (to run a sample in parts)."""

    def order(path: Path) -> tuple[int, int]:
        match = re.fullmatch(rf"{name}(\d+)_(\d+)", path.stem)
        if match is None:
            raise ValueError(f"unexpected PSPLIB file name {path.name}")
        return int(match.group(1)), int(match.group(2))

    files = sorted((PSPLIB / name).glob("*.sm"), key=order)[::every][offset:]
    return files[:limit] if limit is not None else files


def run(path: Path, best_known: int, options: SolveOptions) -> Outcome:
    """Solve one instance and check the plan and its bound."""
    project = read_psplib(path)
    started = time.perf_counter()
    plan = solve(project, options)
    seconds = time.perf_counter() - started
    problems = list(validate_plan(project, plan))
    if plan.lower_bound is not None and plan.lower_bound > best_known:
        problems.append(f"lower bound {plan.lower_bound} > best known {best_known}")
    return Outcome(
        path.stem,
        plan.status,
        plan.makespan,
        plan.lower_bound,
        best_known,
        seconds,
        tuple(problems),
    )


def summary(name: str, outcomes: list[Outcome]) -> str:
    """One markdown table row: instances, optimal, gaps, times, failures."""
    gaps = [outcome.gap * 100 for outcome in outcomes]
    times = [outcome.seconds for outcome in outcomes]
    optimal = sum(outcome.status is SolveStatus.OPTIMAL for outcome in outcomes)
    at_best = sum(outcome.makespan == outcome.best_known for outcome in outcomes)
    failed = sum(bool(outcome.problems) for outcome in outcomes)
    return (
        f"| {name} | {len(outcomes)} | {optimal} | {at_best} | "
        f"{statistics.fmean(gaps):.2f} | {max(gaps):.2f} | "
        f"{statistics.fmean(times):.2f} | {max(times):.2f} | {failed} |"
    )


HEADER = (
    "| set | instances | proven optimal | at best known | mean gap % | "
    "max gap % | mean s | max s | invalid |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


def measure(
    name: str, files: list[Path], options: SolveOptions, verbose: bool
) -> Iterator[Outcome]:
    """Solve each file in turn, printing a line per instance when verbose."""
    best = best_known_makespans()
    for path in files:
        outcome = run(path, best[path.stem], options)
        if verbose or outcome.problems:
            print(outcome.line(), file=sys.stderr)
        yield outcome


def merged(name: str, paths: list[Path]) -> list[Outcome]:
    """The set's outcomes in the saved outputs of a sample's parts."""
    outcomes: dict[str, Outcome] = {}
    for path in paths:
        for line in path.read_text().splitlines():
            outcome = Outcome.parse(line)
            if outcome is None or not re.fullmatch(rf"{name}\d+_\d+", outcome.instance):
                continue
            if outcome.instance in outcomes:
                raise ValueError(f"{outcome.instance} appears twice ({path})")
            outcomes[outcome.instance] = outcome
    if not outcomes:
        raise ValueError(f"no {name} instance in {', '.join(map(str, paths))}")
    return list(outcomes.values())


def worst(outcomes: list[Outcome], count: int = 5) -> str:
    """The `count` largest gaps: instance, makespan vs best known, gap."""
    ranked = sorted(outcomes, key=lambda outcome: -outcome.gap)[:count]
    return ", ".join(
        f"{o.instance} {o.makespan} vs {o.best_known} ({o.gap * 100:.2f} %)"
        for o in ranked
        if o.gap > 0
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", dest="sets", required=True)
    parser.add_argument("--time-limit", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--every", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--merge", nargs="+", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    if args.merge:
        print(HEADER)
        for name in args.sets:
            outcomes = merged(name, args.merge)
            print(summary(name, outcomes))
            print(f"worst: {worst(outcomes)}")
        return 0
    options = SolveOptions(
        time_limit=args.time_limit, workers=args.workers, seed=args.seed
    )
    print(
        f"time limit {args.time_limit}s, {args.workers} workers, seed {args.seed}, "
        f"every {args.every}, offset {args.offset}, limit {args.limit}"
    )
    warm_up()  # compile the heuristic's kernels before any solve is timed
    print(HEADER)
    failures = 0
    for name in args.sets:
        files = instances(name, args.every, args.limit, args.offset)
        outcomes = list(measure(name, files, options, args.verbose))
        failures += sum(bool(outcome.problems) for outcome in outcomes)
        print(summary(name, outcomes), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
