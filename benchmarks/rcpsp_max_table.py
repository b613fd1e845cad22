"""Measure the scheduler on RCPSP/max samples and print one row per set.

    python -m benchmarks.rcpsp_max_table --time-limit 5

Instances are a sample of the public ProGen/max sets j10, j20, j30 and the
UBO sets (`benchmarks/data/rcpsp_max/`, every 15th resp. 10th instance, with
the known optimum, a "lb..ub" range, or "unsat" from each set's
optimum.csv as kobe-rcpsp publishes them). Every plan is re-checked by the
validator; an instance known to have no schedule must come back infeasible
with its conflicts named (or unknown), and a plan of one must not be shorter
than a proven optimum or lower bound. A breach counts in `invalid` and makes
the exit status non-zero. Gap = (makespan - optimum or best upper bound) /
that value, over the instances with a schedule found.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from domain import Plan, SolveStatus, ValidationError
from formats.rcpsp_max import read_rcpsp_max
from scheduler import SolveOptions, solve, validate_plan

DATA = Path(__file__).resolve().parent / "data" / "rcpsp_max"
SETS = ("sm_j10", "sm_j20", "sm_j30", "testset_ubo50", "testset_ubo100")


@dataclass(frozen=True)
class Known:
    """What the set's optimum.csv says: no schedule, or bounds on the best."""

    unsat: bool
    lower: int = 0
    upper: int = 0

    @classmethod
    def of(cls, text: str) -> Known:
        if text == "unsat":
            return cls(True)
        low, _, high = text.partition("..")
        return cls(False, int(low), int(high or low))


@dataclass
class Row:
    name: str
    instances: int = 0
    feasible: int = 0
    scheduled: int = 0
    at_best: int = 0
    proven: int = 0
    unsat: int = 0
    unsat_explained: int = 0
    invalid: int = 0
    gaps: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def cells(self) -> list[str]:
        gaps, seconds = self.gaps or [0.0], self.seconds or [0.0]
        counts = (self.instances, self.feasible, self.scheduled, self.at_best)
        return [
            self.name,
            *map(str, (*counts, self.proven)),
            f"{100 * statistics.mean(gaps):.2f}",
            f"{100 * max(gaps):.2f}",
            *map(str, (self.unsat, self.unsat_explained)),
            f"{statistics.mean(seconds):.2f}",
            f"{max(seconds):.2f}",
            str(self.invalid),
        ]


HEADER = [
    "set",
    "instances",
    "feasible (known)",
    "scheduled",
    "at best known",
    "proven optimal",
    "mean gap %",
    "max gap %",
    "unsat (known)",
    "unsat named",
    "mean s",
    "max s",
    "invalid",
]


def measure(name: str, options: SolveOptions, verbose: bool) -> Row:
    directory = DATA / name
    with (directory / "optimum.csv").open(newline="") as table:
        known = {
            r["problem"].lower(): Known.of(r["optimum"]) for r in csv.DictReader(table)
        }
    row = Row(name)
    for path in sorted(directory.glob("*.[sS][cC][hH]"), key=lambda p: int(p.stem[3:])):
        expected = known[path.name.lower()]
        project = read_rcpsp_max(path)
        began = time.perf_counter()
        try:
            plan = solve(project, options)
        except ValidationError as error:  # e.g. a demand beyond a capacity
            plan = Plan(SolveStatus.INFEASIBLE, None, None, conflicts=(str(error),))
        row.seconds.append(time.perf_counter() - began)
        row.instances += 1
        bad = list(validate_plan(project, plan))
        if expected.unsat:
            row.unsat += 1
            if plan.has_schedule:
                bad.append("a schedule for an instance known to have none")
            elif plan.status is SolveStatus.INFEASIBLE and plan.conflicts:
                row.unsat_explained += 1
        else:
            row.feasible += 1
            if plan.has_schedule and plan.makespan is not None:
                row.scheduled += 1
                if plan.makespan < expected.lower:
                    bad.append(
                        f"makespan {plan.makespan} < known bound {expected.lower}"
                    )
                gap = (plan.makespan - expected.upper) / expected.upper
                row.gaps.append(gap)
                row.at_best += plan.makespan <= expected.upper
                row.proven += plan.status is SolveStatus.OPTIMAL
            elif plan.status is SolveStatus.INFEASIBLE:
                bad.append("infeasible, but a schedule is known")
        row.invalid += bool(bad)
        if verbose:
            print(
                f"{name}/{path.name}: {plan.status} {plan.makespan} "
                f"known {expected} {row.seconds[-1]:.2f}s {bad[:1]}",
                file=sys.stderr,
            )
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", dest="sets", default=None)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    options = SolveOptions(
        time_limit=args.time_limit, workers=args.workers, seed=args.seed
    )
    print(f"time limit {args.time_limit}s, {args.workers} workers, seed {args.seed}")
    print("| " + " | ".join(HEADER) + " |")
    print("|---" * len(HEADER) + "|")
    invalid = 0
    for name in args.sets or SETS:
        row = measure(name, options, args.verbose)
        invalid += row.invalid
        print("| " + " | ".join(row.cells()) + " |")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
