"""Multi-skill benchmark: iMOPSE d36 (and generated projects), baseline vs search.

    python -m benchmarks.multiskill [--set d36|generated] [--time-limit 10]
        [--workers 2] [--strategy baseline|improved|both] [--only NAME...]

`--set generated` runs five seeded 500-task x 50-people projects (seeds 0-4;
seeds 3 and 4 with absences) from `scheduler.problem.generate`; `--set dense` five
people-limited ones (work per person >= 2 x critical path; seeds 3 and 4 with
a fifth of the people part time, three days a week).

Prints one row per instance: the lower bound we compute (`scheduler.problem.bounds`),
the makespan and gap of each strategy, and the mean gaps. Every plan is
re-checked by the independent validator; an invalid plan aborts the run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from domain import Project
from formats.imopse import read_imopse
from scheduler import SolveOptions, validate_plan
from scheduler.people import solve_people
from scheduler.problem.bounds import assignment_lower_bound
from scheduler.problem.generate import dense_multiskill_project, multiskill_project
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.assignment import Strategy

IMOPSE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "imopse"
STRATEGIES = {"baseline": Strategy.plain(), "improved": Strategy()}


def run(
    project: Project, strategy: Strategy, options: SolveOptions
) -> tuple[int | None, float]:
    """Makespan (None if no plan) and seconds, after validating the plan."""
    plan = solve_people(project, options, strategy)
    violations = validate_plan(project, plan)
    if violations:
        raise SystemExit(f"{project.name}: invalid plan: {violations[:3]}")
    return plan.makespan, plan.runtime_seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="d36")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--strategy", choices=[*STRATEGIES, "both"], default="both")
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args(argv)
    names = list(STRATEGIES) if args.strategy == "both" else [args.strategy]
    options = SolveOptions(time_limit=args.time_limit, workers=args.workers, seed=0)
    projects = list(_projects(args.set))
    if args.only:
        projects = [p for p in projects if p.name in args.only]
    print(
        f"{'instance':<22}{'bound':>7}" + "".join(f"{n:>10}{'gap':>8}" for n in names)
    )
    gaps: dict[str, list[float]] = {n: [] for n in names}
    for project in projects:
        bound = assignment_lower_bound(SchedulingProblem.from_project(project))
        row = f"{project.name:<22}{bound:>7}"
        for name in names:
            makespan, _ = run(project, STRATEGIES[name], options)
            gap = None if makespan is None else (makespan - bound) / makespan
            if gap is not None:
                gaps[name].append(gap)
            row += f"{makespan if makespan is not None else '-':>10}"
            row += f"{'-' if gap is None else f'{100 * gap:.2f}%':>8}"
        print(row, flush=True)
    summary = "".join(
        f"{'':>10}{100 * sum(g) / max(len(g), 1):>7.2f}%" for g in gaps.values()
    )
    print(f"{'mean gap':<29}{summary}")
    return 0


def _projects(name: str) -> Iterator[Project]:
    if name == "generated":
        for seed in range(5):
            yield multiskill_project(500, 50, seed=seed, absences=seed >= 3)
        return
    if name == "dense":
        for seed in range(5):
            part_time = 0.2 if seed >= 3 else 0.0
            yield dense_multiskill_project(500, 50, seed=seed, part_time=part_time)
        return
    for path in sorted((IMOPSE / name).glob("*.def")):
        yield read_imopse(path)


if __name__ == "__main__":
    sys.exit(main())
