"""Portfolio benchmark: 20 seeded projects x 100 tasks sharing 100 people.

    python -m benchmarks.portfolio [--time-limit 60 120] [--workers 2] [--seed 0]

Prints per time limit: wall time, status, the weighted objective
sum_p priority_p * (100 * tardiness_p + finish_p), total tardiness, and the
latest finish. Every plan is re-checked by the validator inside
`plan_portfolio` (an invalid plan raises).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from itertools import pairwise

from scheduler import SolveOptions
from scheduler.portfolio import CrossDependency, plan_portfolio
from scheduler.problem.generate import portfolio_projects


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, nargs="+", default=[60.0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    projects = portfolio_projects(20, 100, 100, seed=args.seed)
    # A chain of hand-offs: each project's last task feeds the next one's first.
    links = [
        CrossDependency(a.name, "t99", b.name, "t0") for a, b in pairwise(projects[:6])
    ]
    tasks = sum(len(p.tasks) for p in projects)
    print(f"{len(projects)} projects, {tasks} tasks, 100 people, {len(links)} links")
    print(
        f"{'limit':>6}{'wall':>8}{'status':>10}{'objective':>11}{'tardy':>7}{'end':>6}"
    )
    for limit in args.time_limit:
        began = time.perf_counter()
        options = SolveOptions(time_limit=limit, workers=args.workers, seed=args.seed)
        result = plan_portfolio(projects, links, options)
        wall = time.perf_counter() - began
        objective = result.plan.objective_value
        print(
            f"{limit:>6.0f}{wall:>8.1f}{result.plan.status.value:>10}{objective!s:>11}"
            f"{sum(result.tardiness.values()):>7}{result.plan.makespan:>6}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
