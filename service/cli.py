"""The `planforge` command line: demo, serve, solve, forecast, replan, import,
export."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from domain import PlanforgeError, Project, ValidationError
from domain.document import project_from_document
from domain.objectives import OBJECTIVE_NAMES
from service.calibration_commands import add_calibrate_command
from service.interop_commands import add_interop_commands
from service.token_commands import FIRST_TOKEN_HINT, add_token_commands

EXIT_BAD_INPUT = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for `cmd | head`


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code.
    A reader that closes stdout early (`planforge import FILE | head -1`)
    ends the command quietly, without a traceback."""
    try:
        args = build_parser().parse_args(argv)
        code: int = args.handler(args)
        sys.stdout.flush()
    except PlanforgeError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    return code


def _discard_stdout() -> None:
    """Point stdout at the null device, so the interpreter's flush at exit
    meets no closed pipe (the Python docs' idiom for SIGPIPE)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planforge",
        description="Event-sourced project scheduling and Monte Carlo forecasting.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_demo(commands)
    _add_serve(commands)
    _add_solve(commands)
    _add_forecast(commands)
    _add_replan(commands)
    _add_portfolio(commands)
    _add_migrate(commands)
    add_token_commands(commands)
    add_interop_commands(commands)
    add_calibrate_command(commands)
    return parser


def _add_demo(commands: Any) -> None:
    demo = commands.add_parser(
        "demo",
        help="load a sample product launch, plan it, forecast it",
        description="Load a 45-task product launch into the embedded store, solve it "
        "with CP-SAT, forecast it with Monte Carlo and print the result.",
    )
    _solver_options(demo, default_time_limit=10.0)
    _forecast_options(demo)
    demo.set_defaults(handler=_run_demo)


def _add_serve(commands: Any) -> None:
    serve = commands.add_parser(
        "serve", help="run the HTTP API (OpenAPI docs at /docs)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="uvicorn worker processes (more than 1: run `planforge migrate` first "
        "and set PLANFORGE_CREATE_TABLES=false)",
    )
    serve.set_defaults(handler=_run_serve)


def _add_solve(commands: Any) -> None:
    solve = commands.add_parser(
        "solve", help="optimize the schedule of a project document or PSPLIB file"
    )
    solve.add_argument(
        "file", type=Path, help="project document (.json) or PSPLIB (.sm)"
    )
    _solver_options(solve, default_time_limit=10.0)
    solve.add_argument(
        "--objective",
        choices=OBJECTIVE_NAMES,
        default="makespan",
        help="what the plan optimises; p80 / p_deadline: the plan with the least "
        "P80 finish / best chance of meeting the deadline among several good ones, "
        "each forecast under the same seed",
    )
    solve.add_argument(
        "--samples",
        type=int,
        default=4096,
        metavar="N",
        help="forecast samples per candidate plan (p80, p_deadline)",
    )
    _deadline_option(solve)
    solve.add_argument(
        "--previous",
        type=Path,
        metavar="PLAN.json",
        help="a plan (as printed by solve --json) to stay close to and start from",
    )
    solve.add_argument(
        "--stability-weight",
        type=int,
        default=0,
        metavar="W",
        help="cost per day a task moves from the previous plan",
    )
    solve.add_argument(
        "--pin",
        action="append",
        default=[],
        metavar="TASK=DAY",
        help="hold a task for this plan: TASK=12 starts it on day 12, "
        "TASK=10..14 within days 10-14 (either end may be left out); repeatable",
    )
    _staffing_options(solve)
    solve.add_argument("--json", action="store_true", help="print JSON (the contract)")
    solve.set_defaults(handler=_run_solve)


def _add_forecast(commands: Any) -> None:
    forecast = commands.add_parser(
        "forecast", help="solve, then forecast completion with Monte Carlo"
    )
    forecast.add_argument("file", type=Path, help="project document (.json) or .sm")
    _solver_options(forecast, default_time_limit=10.0)
    _forecast_options(forecast)
    forecast.add_argument(
        "--json", action="store_true", help="print JSON (the contract)"
    )
    forecast.set_defaults(handler=_run_forecast)


def _add_replan(commands: Any) -> None:
    replan = commands.add_parser(
        "replan", help="nightly job: replan and forecast every project, flag slips"
    )
    _solver_options(replan, default_time_limit=10.0)
    _forecast_options(replan)
    replan.add_argument(
        "--stability-weight",
        type=int,
        default=1,
        metavar="W",
        help="cost of moving a task one day from the committed plan, against one "
        "day of makespan (0: replan from scratch)",
    )
    replan.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="projects replanned at once in a local process pool",
    )
    replan.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run the projects on a Dask cluster (tcp://host:8786) instead",
    )
    replan.add_argument(
        "--commit",
        action="store_true",
        help="make each new plan the baseline as it is recorded, so the projects "
        "after it plan around its people's bookings (nobody overbooked)",
    )
    replan.add_argument(
        "--run-id",
        metavar="ID",
        help="resume this run: what it recorded is not done again (default: a "
        "new id, printed first)",
    )
    replan.add_argument("--json", action="store_true", help="print JSON")
    replan.set_defaults(handler=_run_replan)


def _add_portfolio(commands: Any) -> None:
    portfolio = commands.add_parser(
        "portfolio", help="plan several project documents together (shared people)"
    )
    portfolio.add_argument("files", type=Path, nargs="+", help="project documents")
    portfolio.add_argument(
        "--links", type=Path, help="JSON file of cross-project dependencies"
    )
    _solver_options(portfolio, default_time_limit=30.0)
    portfolio.add_argument("--json", action="store_true", help="print JSON")
    portfolio.set_defaults(handler=_run_portfolio)


def _add_migrate(commands: Any) -> None:
    migrate = commands.add_parser(
        "migrate",
        help="create the event store's tables (run once per deploy, before workers)",
        description="Create any missing tables of the store at PLANFORGE_DATABASE_URL. "
        "Never drops or rewrites events; safe to run on every upgrade.",
    )
    migrate.set_defaults(handler=_run_migrate)


def _solver_options(parser: argparse.ArgumentParser, default_time_limit: float) -> None:
    parser.add_argument(
        "--time-limit",
        type=float,
        default=default_time_limit,
        metavar="S",
        help="solver time limit in seconds",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed")


def _deadline_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--deadlines",
        choices=["soft", "hard"],
        default="soft",
        help="soft (default): when only deadlines stand in the way, plan as "
        "little late as possible and warn; hard: no plan, with the reasons",
    )


def _staffing_options(parser: argparse.ArgumentParser) -> None:
    """Staffing terms beside the objective (the objective counts 1000 per unit)."""
    parser.add_argument(
        "--cost-weight",
        type=float,
        default=0.0,
        metavar="W",
        help="weight of people's cost (cost_rate x days assigned)",
    )
    parser.add_argument(
        "--balance-weight",
        type=int,
        default=0,
        metavar="W",
        help="weight of the busiest person's assigned days (balances load)",
    )
    parser.add_argument(
        "--continuity-weight",
        type=int,
        default=0,
        metavar="W",
        help="reward per dependent task pair done by the same person",
    )


def _forecast_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--samples",
        type=int,
        default=10_000,
        metavar="N",
        help="Monte Carlo samples (the cap with --precision)",
    )
    parser.add_argument(
        "--engine",
        choices=["committed", "dynamic"],
        default="committed",
        help="committed: keep the plan's resource order; dynamic: tasks take free "
        "resources by plan priority (SimPy, far slower)",
    )
    parser.add_argument(
        "--precision",
        type=float,
        default=None,
        metavar="DAYS",
        help="sample until the P80's 95%% confidence half-width is at most DAYS",
    )
    parser.add_argument("--lhs", action="store_true", help="Latin hypercube sampling")
    parser.add_argument(
        "--workers", type=int, default=1, metavar="K", help="worker processes"
    )


def load_project_file(path: Path) -> Project:
    """A project from a document (.json) or a PSPLIB instance (.sm)."""
    if not path.is_file():
        raise ValidationError.at("file", f"no such file: {path}")
    if path.suffix.lower() == ".sm":
        from formats import read_psplib

        return read_psplib(path)
    try:
        document = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValidationError.at("file", f"{path} is not valid JSON: {error}") from None
    return project_from_document(document)


def _run_demo(args: argparse.Namespace) -> int:
    from service.demo import run_demo
    from service.files import forecast_request
    from service.settings import Settings

    return run_demo(Settings(), args.time_limit, forecast_request(args))


def _run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from service.settings import Settings
    from service.usecases import Planforge

    settings = Settings()
    print(
        f"planforge: store {settings.store_url()}; docs at http://{args.host}:{args.port}/docs"
    )
    planforge = Planforge(settings)
    if not planforge.access.has_tokens():
        print(f"planforge: {FIRST_TOKEN_HINT}", flush=True)
    planforge.store.close()
    # Each uvicorn worker process builds its own app (and worker pool) from
    # the same environment.
    uvicorn.run(
        "service.api.app:served_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
    )
    return 0


def _run_solve(args: argparse.Namespace) -> int:
    from service import files

    return files.solve_file(load_project_file(args.file), args)


def _run_forecast(args: argparse.Namespace) -> int:
    from service import files

    return files.forecast_file(load_project_file(args.file), args)


def _run_replan(args: argparse.Namespace) -> int:
    from service import commands
    from service.settings import Settings

    return commands.replan(Settings(), args)


def _run_portfolio(args: argparse.Namespace) -> int:
    from service import commands

    projects = [load_project_file(path) for path in args.files]
    links: Any = []
    if args.links is not None:
        links = _read_json(args.links)
    return commands.portfolio_files(projects, links, args)


def _read_json(path: Path) -> Any:
    if not path.is_file():
        raise ValidationError.at("file", f"no such file: {path}")
    try:
        return json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValidationError.at("file", f"{path} is not valid JSON: {error}") from None


def _run_migrate(args: argparse.Namespace) -> int:
    from eventstore import ProjectStore
    from service.settings import Settings

    settings = Settings()
    with ProjectStore(settings.store_url(), create_tables=False) as store:
        store.migrate()
    print(f"planforge: tables ready in {settings.store_url().split('@')[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
