"""What the solve and forecast commands do with a file: nothing recorded.

Light on imports, so `planforge forecast FILE` starts fast: the domain, the
long work itself (`service.compute`, run inline) and the views; no store, no
settings, and the solver only when a solve needs it (`scheduler.solve`).
"""

from __future__ import annotations

import argparse
import ctypes
import sys
import time
from pathlib import Path
from typing import Any

import orjson

from domain import Plan, Project, ScheduledTask, SolveStatus, ValidationError
from domain.pins import parse_pins
from domain.plan import Pins
from service import compute
from service.choosing import choose_plan
from service.compute import ForecastRequest, PlanRequest
from service.report import forecast_text, plan_summary, plan_table
from service.views import forecast_view, plan_view

EXIT_NO_SCHEDULE = 1
_JSON_OPTIONS = (
    orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
)


def solve_file(project: Project, args: argparse.Namespace) -> int:
    """Solve without touching the store: print the plan (JSON contract or table)."""
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
        odds_samples=args.samples,
    )
    plan = choose_plan(project, request)
    if args.json:
        print_json(plan_view(project, plan))
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


def forecast_file(project: Project, args: argparse.Namespace) -> int:
    """Solve, then simulate the plan; print the forecast."""
    reuse_freed_memory()
    plan = compute.solve(project, PlanRequest(args.time_limit, args.seed))
    if not plan.has_schedule:
        print(plan_summary(project, plan), file=sys.stderr)
        return EXIT_NO_SCHEDULE
    result = compute.simulate(project, plan, forecast_request(args))
    if args.json:
        print_json({**forecast_view(project, result), "plan": plan_view(project, plan)})
    else:
        print(plan_summary(project, plan))
        print(forecast_text(project, result))
    return 0


def reuse_freed_memory() -> None:
    """Let this process reuse the memory it frees (glibc's malloc: no large
    block straight from the system, nothing handed back): a forecast makes
    and drops the same arrays of (tasks x 4,096) samples for every chunk,
    and fresh pages cost more in page faults than the passes over them
    (1,000 tasks, 20,000 samples: 52,000 minor faults, ~0.4 s of system CPU,
    before; 17,000 after). For a command's short life only: the memory stays
    with the process until it ends. Elsewhere than glibc, nothing."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    largest = 1 << 30
    libc.mallopt(_M_MMAP_THRESHOLD, largest)
    libc.mallopt(_M_TRIM_THRESHOLD, largest)


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters


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
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as error:
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


def forecast_request(args: argparse.Namespace) -> ForecastRequest:
    """The simulation options of the command line."""
    return ForecastRequest(
        args.samples, args.seed, args.engine, args.precision, args.lhs, args.workers
    )


def print_json(data: object) -> None:
    """Indented JSON on stdout (orjson: a 1,000-task forecast in milliseconds)."""
    sys.stdout.flush()
    sys.stdout.buffer.write(orjson.dumps(data, default=str, option=_JSON_OPTIONS))
    sys.stdout.buffer.write(b"\n")
    sys.stdout.flush()
