"""What the solve, forecast and replan commands do, once their input is read."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from domain import Plan, Project, ScheduledTask, SolveStatus, ValidationError
from domain.loading import weekly_load
from domain.pins import parse_pins
from domain.plan import Pins
from scheduler.options import available_cores
from service.batch import ReplanOutcome, replan_all
from service.report import forecast_text, plan_summary, plan_table
from service.settings import Settings
from service.usecases import ForecastRequest, Planforge, PlanRequest
from service.views import forecast_view, plan_view

EXIT_NO_SCHEDULE = 1
EXIT_SLIPPED = 3  # replan: a forecast slipped or a task went stale (cron alerts)


def solve_file(project: Project, args: argparse.Namespace) -> int:
    """Solve without touching the store: print the plan (JSON contract or table)."""
    planforge = _stateless()
    request = PlanRequest(
        args.time_limit,
        args.seed,
        objective=args.objective,
        stability_weight=args.stability_weight,
        previous=load_plan_file(args.previous) if args.previous else None,
        progress=ProgressPrinter(),
        cost_weight=args.cost_weight,
        balance_weight=args.balance_weight,
        continuity_weight=args.continuity_weight,
        pins=pins_from_arguments(args.pin),
        deadlines=args.deadlines,
    )
    plan = planforge.solve(project, request)
    if args.json:
        _print_json(plan_view(project, plan))
    else:
        print(plan_summary(project, plan))
        if plan.has_schedule:
            print(plan_table(project, plan))
        else:
            for line in plan.conflicts or (plan.message,):
                print(line)
        for warning in plan.warnings:
            print(f"warning: {warning}")
    return 0 if plan.has_schedule else EXIT_NO_SCHEDULE


def pins_from_arguments(arguments: list[str]) -> Pins:
    """`TASK=12` and `TASK=10..14` (`TASK=..14`, `TASK=10..`) as pins; errors
    name `pins.TASK` like the HTTP field."""
    document: dict[str, dict[str, Any]] = {}
    for argument in arguments:
        task_id, equals, days = argument.rpartition("=")
        if not equals or not task_id:
            raise ValidationError.at("--pin", f"expected TASK=DAY, got {argument!r}")
        earliest, dots, latest = days.partition("..")
        ends = {"earliest": earliest, "latest": latest} if dots else {"start": days}
        document[task_id] = {
            key: _whole_number(value, f"pins.{task_id}.{key}")
            for key, value in ends.items()
            if value
        }
    return parse_pins(document)


def _whole_number(text: str, where: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValidationError.at(
            where, f"expected a day number, got {text!r}"
        ) from None


class ProgressPrinter:
    """Prints solver progress on stderr once a solve has run `after` seconds,
    so short solves stay quiet and --json stdout stays clean."""

    def __init__(self, after: float = 2.0) -> None:
        self._started = time.perf_counter()
        self._after = after

    def __call__(self, line: str) -> None:
        if time.perf_counter() - self._started >= self._after:
            print(f"planforge: {line}", file=sys.stderr, flush=True)


def load_plan_file(path: Path) -> Plan:
    """A previous plan's starts from a `solve --json` file (its `starts` map)."""
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValidationError.at("previous", f"cannot read {path}: {error}") from None
    starts = data.get("starts") if isinstance(data, dict) else None
    if not isinstance(starts, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
        for k, v in starts.items()
    ):
        raise ValidationError.at(
            "previous", f"{path} has no starts map (task id -> working day)"
        )
    tasks = tuple(ScheduledTask(k, v, v) for k, v in starts.items())
    return Plan(SolveStatus.FEASIBLE, None, None, tasks)


def forecast_file(project: Project, args: argparse.Namespace) -> int:
    """Solve, then simulate the plan; print the forecast."""
    planforge = _stateless()
    plan = planforge.solve(project, PlanRequest(args.time_limit, args.seed))
    if not plan.has_schedule:
        print(plan_summary(project, plan), file=sys.stderr)
        return EXIT_NO_SCHEDULE
    result = planforge.simulate(project, plan, forecast_request(args))
    if args.json:
        _print_json(
            {**forecast_view(project, result), "plan": plan_view(project, plan)}
        )
    else:
        print(plan_summary(project, plan))
        print(forecast_text(project, result))
    return 0


def replan(settings: Settings, args: argparse.Namespace) -> int:
    """Replan every project in the store; print what moved and what slipped."""
    planforge = Planforge(settings)
    progress = None if args.json else print
    jobs = max(1, args.jobs)
    request = PlanRequest(
        args.time_limit,
        args.seed,
        stability_weight=args.stability_weight,
        # Share the cores between the jobs instead of oversubscribing them.
        workers=max(1, available_cores() // jobs) if jobs > 1 else None,
    )
    with batch_executor(jobs, args.dask) as executor:
        outcomes = replan_all(
            planforge,
            request,
            forecast_request(args),
            progress=progress,
            executor=executor,
        )
    if args.json:
        _print_json(
            [
                {
                    "project_id": str(o.project_id),
                    "name": o.name,
                    "status": o.status,
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
def batch_executor(jobs: int, dask_address: str | None) -> Iterator[Executor | None]:
    """Where the nightly jobs run: here, a local process pool, or a Dask cluster
    (its `concurrent.futures` executor: the same code path either way)."""
    if dask_address:
        from distributed import Client

        with Client(dask_address) as client:  # type: ignore[no-untyped-call]
            yield client.get_executor()
    elif jobs > 1:
        with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
            yield pool
    else:
        yield None


def portfolio_files(
    projects: list[Project], links: object, args: argparse.Namespace
) -> int:
    """Plan the documents together; print each project's finish and the load."""
    from service.portfolio import load_table, parse_links, portfolio_view

    planforge = _stateless()
    request = PlanRequest(args.time_limit, args.seed)
    result = planforge.plan_portfolio(projects, parse_links(links), request)
    view = portfolio_view(projects, result)
    if args.json:
        _print_json(view)
        return 0 if result.plan.has_schedule else EXIT_NO_SCHEDULE
    print(plan_summary(result.project, result.plan))
    for row in view["projects"]:
        print(
            f"  {row['name']:<20} priority {row['priority']}: finish day "
            f"{row['finish']} ({row['finish_date']}), deadline {row['deadline']}, "
            f"late {row['tardiness']}"
        )
    rows = weekly_load(result.project, result.plan, result.project_of)
    print(load_table(rows))
    return 0 if result.plan.has_schedule else EXIT_NO_SCHEDULE


def forecast_request(args: argparse.Namespace) -> ForecastRequest:
    """The simulation options of the command line."""
    return ForecastRequest(
        args.samples, args.seed, args.engine, args.precision, args.lhs, args.workers
    )


def _stateless() -> Planforge:
    """A Planforge on an in-memory store: solve/forecast of a file records nothing."""
    from eventstore import ProjectStore

    return Planforge(Settings(), ProjectStore(None))


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, indent=2, default=str)
    print()
