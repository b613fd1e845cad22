"""What the solve, forecast and replan commands do, once their input is read."""

from __future__ import annotations

import argparse
import json
import sys

from domain import Project
from service.batch import replan_all
from service.report import forecast_text, plan_summary, plan_table
from service.settings import Settings
from service.usecases import ForecastRequest, Planforge, PlanRequest
from service.views import forecast_view, plan_view

EXIT_NO_SCHEDULE = 1


def solve_file(project: Project, args: argparse.Namespace) -> int:
    """Solve without touching the store: print the plan (JSON contract or table)."""
    planforge = _stateless()
    plan = planforge.solve(project, PlanRequest(args.time_limit, args.seed))
    if args.json:
        _print_json(plan_view(project, plan))
    else:
        print(plan_summary(project, plan))
        if plan.has_schedule:
            print(plan_table(project, plan))
        elif plan.message:
            print(plan.message)
    return 0 if plan.has_schedule else EXIT_NO_SCHEDULE


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
    outcomes = replan_all(
        planforge,
        PlanRequest(args.time_limit, args.seed),
        forecast_request(args),
        progress=progress,
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
                    "moved_tasks": o.moved_tasks,
                }
                for o in outcomes
            ]
        )
        return 0
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
    return 0


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
