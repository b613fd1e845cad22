"""Our search against plain CP-SAT on generated RCPSP instances, per size.

    python -m benchmarks.generated_table --set held_out --time-limit 10
    python -m benchmarks.generated_table --set tuning --size 120 --verbose

Each instance of the committed set (benchmarks/rcpsp_generator.py,
data/generated_rcpsp.csv) is solved twice with the same time limit, workers
and seed: by the scheduler (`scheduler.solve`) and by the textbook model
(`benchmarks.plain_cpsat`). Both plans are re-checked by the independent
validator; a breach is printed and makes the exit status non-zero. A row per
size gives the makespan ratio ours / plain (mean over instances, below 1:
ours shorter), how many instances each side wins, the mean gap of each to
the best lower bound either side proved, and the ratio on the `open`
instances alone (those plain CP-SAT did not prove optimal).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass

from benchmarks.plain_cpsat import solve_plain
from benchmarks.rcpsp_generator import Parameters, generate, instance_set
from domain import Plan, Project, SolveStatus
from scheduler import SolveOptions, solve, validate_plan
from scheduler.search import warm_up


@dataclass(frozen=True)
class Duel:
    """One instance solved by both sides at equal time."""

    instance: str
    ours: int
    plain: int
    bound: int
    plain_proven: bool  # plain CP-SAT proved its makespan optimal
    problems: tuple[str, ...]

    @property
    def ratio(self) -> float:
        return self.ours / self.plain


def duel(parameters: Parameters, options: SolveOptions) -> Duel:
    """Solve one instance both ways and check both plans."""
    project = generate(parameters)
    ours = solve(project, options)
    plain = solve_plain(project, options.time_limit, options.num_workers, options.seed)
    problems = _checked(project, "ours", ours) + _checked(project, "plain", plain)
    bounds = [plan.lower_bound or 0 for plan in (ours, plain)]
    return Duel(
        parameters.name,
        ours.makespan or 0,
        plain.makespan or 0,
        max(bounds),
        plain.status is SolveStatus.OPTIMAL,
        tuple(problems),
    )


def _checked(project: Project, side: str, plan: Plan) -> list[str]:
    if plan.makespan is None:
        return [f"{side}: no schedule ({plan.status})"]
    problems = [f"{side}: {problem}" for problem in validate_plan(project, plan)]
    if plan.lower_bound is not None and plan.lower_bound > plan.makespan:
        problems.append(f"{side}: bound {plan.lower_bound} > makespan")
    return problems


def summary(tasks: int, duels: list[Duel]) -> str:
    """One markdown row: the ratio ours / plain and who won how often."""
    ratios = [duel.ratio for duel in duels]
    open_ = [duel.ratio for duel in duels if not duel.plain_proven]

    def gap(side: str) -> float:
        return statistics.fmean(
            (getattr(duel, side) - duel.bound) / duel.bound * 100 for duel in duels
        )

    return (
        f"| {tasks} | {len(duels)} | {statistics.fmean(ratios):.4f} | "
        f"{min(ratios):.3f} | {max(ratios):.3f} | "
        f"{sum(duel.ours < duel.plain for duel in duels)} | "
        f"{sum(duel.ours > duel.plain for duel in duels)} | "
        f"{gap('ours'):.2f} | {gap('plain'):.2f} | "
        f"{len(open_)} | {statistics.fmean(open_) if open_ else 1.0:.4f} | "
        f"{sum(bool(duel.problems) for duel in duels)} |"
    )


HEADER = (
    "| tasks | instances | mean ratio ours/plain | min | max | ours shorter | "
    "plain shorter | ours % over bound | plain % over bound | open | "
    "ratio on open | invalid |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="held_out", choices=("held_out", "tuning"))
    parser.add_argument("--size", type=int, action="append", dest="sizes")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="instances per size")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    options = SolveOptions(
        time_limit=args.time_limit, workers=args.workers, seed=args.seed
    )
    recipes = instance_set(args.set)
    sizes = args.sizes or sorted({recipe.tasks for recipe in recipes})
    print(
        f"set {args.set}, time limit {args.time_limit}s, {args.workers} workers, "
        f"seed {args.seed}, limit {args.limit}"
    )
    warm_up()  # compile the heuristic's kernels before any solve is timed
    print(HEADER)
    failures = 0
    for tasks in sizes:
        duels = []
        for recipe in [r for r in recipes if r.tasks == tasks][: args.limit]:
            started = time.perf_counter()
            result = duel(recipe, options)
            duels.append(result)
            if args.verbose or result.problems:
                print(
                    f"{result.instance}: ours {result.ours} plain {result.plain} "
                    f"bound {result.bound} ({time.perf_counter() - started:.1f}s) "
                    f"{'; '.join(result.problems)}",
                    file=sys.stderr,
                )
        failures += sum(bool(duel.problems) for duel in duels)
        print(summary(tasks, duels), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
