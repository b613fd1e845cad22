"""`planforge demo`: a realistic product launch, planned and forecast end to end."""

from __future__ import annotations

import json
import time
from importlib import resources
from pathlib import Path
from typing import Any

from domain.loading import weekly_load
from service.compute import ForecastRequest, PlanRequest
from service.portfolio import load_table
from service.report import forecast_text, plan_summary, plan_table, write_plot
from service.settings import Settings
from service.usecases import Planforge

ACTOR = "demo"


def sample_document() -> dict[str, Any]:
    """The sample portfolio: a 45-task launch across four teams."""
    text = resources.files("service.data").joinpath("launch.json").read_text()
    document: dict[str, Any] = json.loads(text)
    return document


def run_demo(settings: Settings, time_limit: float, request: ForecastRequest) -> int:
    """Record the sample project, solve, commit, forecast, and print it all."""
    samples, seed = request.samples, request.seed
    began = time.perf_counter()
    planforge = Planforge(settings)
    state = planforge.create_project(sample_document(), ACTOR)
    project = state.project
    print(
        f"Recorded project {project.name!r} ({len(project.tasks)} tasks, "
        f"{len(project.resources)} resources) as {state.id}"
    )
    print(f"Event store: {settings.store_url()}\n")
    print(f"Solving with CP-SAT (time limit {time_limit:g} s)...")
    record = planforge.propose_plan(state.id, PlanRequest(time_limit, seed), ACTOR)
    print(plan_summary(project, record.plan))
    if not record.plan.has_schedule:
        return 1
    planforge.commit_plan(state.id, record.id, ACTOR, expected_version=None)
    print(plan_table(project, record.plan))
    print()
    print(load_table(weekly_load(project, record.plan)))
    print(f"\nSimulating {samples:,} futures...")
    _, result = planforge.forecast_plan(state.id, record.id, request, ACTOR)
    print(forecast_text(project, result))
    picture = write_plot(project, result, Path("planforge-forecast.png"))
    if picture is not None:
        print(f"S-curve and tornado plotted to {picture}")
    events = planforge.store.events(state.id)
    print(f"\nAudit trail: {len(events)} events ({', '.join(e.type for e in events)}).")
    print(f"Done in {time.perf_counter() - began:.1f} s.")
    print(
        "To see it in a browser: `planforge token create me --role admin` prints a "
        "token; run `planforge serve`, open "
        f"http://127.0.0.1:8000/ui/projects/{state.id} (the Gantt chart) or "
        "http://127.0.0.1:8000/ui/ (the portfolio) and sign in with the token; "
        "the API is at /docs."
    )
    return 0
