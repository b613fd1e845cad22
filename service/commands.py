"""What the replan and portfolio commands do, once their input is read (the
solve and forecast of a file: `service.files`)."""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context

from domain import Project
from domain.loading import weekly_load
from scheduler.options import available_cores
from service.batch import ReplanOutcome, replan_all
from service.compute import PlanRequest
from service.files import EXIT_NO_SCHEDULE, forecast_request, print_json
from service.report import plan_summary
from service.settings import Settings
from service.usecases import Planforge

EXIT_SLIPPED = 3  # replan: a forecast slipped or a task went stale (cron alerts)


def replan(settings: Settings, args: argparse.Namespace) -> int:
    """Replan every project in the store; print what moved and what slipped.
    Progress goes to stderr: a bar in a terminal, plain lines in a log."""
    planforge = Planforge(settings)
    jobs = max(1, args.jobs)
    run_id = args.run_id or str(uuid.uuid4())
    print(f"planforge: replan run {run_id} (resume with --run-id)", file=sys.stderr)
    request = PlanRequest(
        args.time_limit,
        args.seed,
        stability_weight=args.stability_weight,
        # Share the cores between the jobs instead of oversubscribing them.
        workers=max(1, available_cores() // jobs) if jobs > 1 else None,
    )
    total = len(planforge.store.project_ids())
    with (
        batch_executor(jobs, args.dask) as (executor, slots),
        progress_lines(total) as progress,
    ):
        outcomes = replan_all(
            planforge,
            request,
            forecast_request(args),
            progress=progress,
            executor=executor,
            run_id=run_id,
            commit=args.commit,
            in_flight=2 * slots,
        )
    if args.json:
        print_json(
            [
                {
                    "project_id": str(o.project_id),
                    "name": o.name,
                    "status": o.status,
                    "fallback": o.fallback,
                    "unchanged": o.unchanged,
                    "baseline_makespan": o.baseline_makespan,
                    "makespan": o.makespan,
                    "shift": o.shift,
                    "p80": o.p80,
                    "deadline": o.deadline,
                    "slipped": o.slipped,
                    "slip_reasons": list(o.slip_reasons),
                    "stale_tasks": list(o.stale_tasks),
                    "moved_tasks": o.moved_tasks,
                }
                for o in outcomes
            ]
        )
        return replan_exit_code(outcomes)
    if not outcomes:
        print(f"No projects in {settings.store_url()}.")
    for o in outcomes:
        flag = "SLIPPED" if o.slipped else "ok"
        shift = (
            ""
            if o.shift is None
            else f" ({o.shift:+d} vs baseline {o.baseline_makespan})"
        )
        p80 = "" if o.p80 is None else f", P80 {o.p80:.1f}"
        print(f"{flag:>8}  {o.name}: makespan {o.makespan}{shift}{p80}")
        for task_id, moved in sorted(o.moved_tasks.items()):
            print(f"          {task_id}: finish {moved:+d} days")
        for said in (*o.slip_reasons, *(f"stale: {s}" for s in o.stale_tasks)):
            print(f"          {said}")
    return replan_exit_code(outcomes)


def replan_exit_code(outcomes: list[ReplanOutcome]) -> int:
    """EXIT_SLIPPED when any forecast slipped or any task is stale, else 0."""
    alert = any(o.slipped or o.stale_tasks for o in outcomes)
    return EXIT_SLIPPED if alert else 0


@contextmanager
def batch_executor(
    jobs: int, dask_address: str | None
) -> Iterator[tuple[Executor | None, int]]:
    """Where the nightly jobs run, and how many at once: here, a local process
    pool, or a Dask cluster (its `concurrent.futures` executor: the same code
    path either way)."""
    if dask_address:
        from service.dask_runner import connect

        with connect(dask_address) as client:
            slots = max(1, sum(client.nthreads().values()))
            yield client.get_executor(), slots
    elif jobs > 1:
        with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
            yield pool, jobs
    else:
        yield None, 1


@contextmanager
def progress_lines(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on a terminal (tqdm), plain lines in a log otherwise."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        with tqdm(total=total, unit="project", file=sys.stderr) as bar:

            def advance(line: str) -> None:
                bar.set_postfix_str(line.split("] ", 1)[-1][:60])
                bar.update(1)

            yield advance
    else:

        def log(line: str) -> None:
            print(f"planforge: {line}", file=sys.stderr, flush=True)

        yield log


def portfolio_files(
    projects: list[Project], links: object, args: argparse.Namespace
) -> int:
    """Plan the documents together; print each project's finish, the plan's
    warnings and the load, or why there is no plan."""
    from service.portfolio import load_table, parse_links, portfolio_view

    planforge = _stateless()
    request = PlanRequest(args.time_limit, args.seed)
    result = planforge.plan_portfolio(projects, parse_links(links), request)
    view = portfolio_view(projects, result)
    if args.json:
        print_json(view)
        return 0 if result.plan.has_schedule else EXIT_NO_SCHEDULE
    plan = result.plan
    print(plan_summary(result.project, plan))
    if not plan.has_schedule:
        for line in plan.conflicts or (plan.message,):
            print(line)
        return EXIT_NO_SCHEDULE
    for row in view["projects"]:
        print(
            f"  {row['name']:<20} priority {row['priority']}: finish day "
            f"{row['finish']} ({row['finish_date']}), deadline {row['deadline']}, "
            f"late {row['tardiness']}"
        )
    for warning in plan.warnings:
        print(f"warning: {warning}")
    rows = weekly_load(result.project, plan, result.project_of)
    print(load_table(rows))
    return 0


def _stateless() -> Planforge:
    """A Planforge on an in-memory store: solve/forecast of a file records nothing."""
    from eventstore import ProjectStore

    return Planforge(Settings(), ProjectStore(None))
