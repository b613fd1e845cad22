"""The nightly run across projects that share people: committed one by one,
nobody overbooked; killed midway and resumed with its run id, no plan twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest

from benchmarks.pmo import portfolio
from service.batch import replan_all
from service.compute import ForecastRequest, PlanRequest
from service.settings import Settings
from service.usecases import Planforge

PLAN = PlanRequest(time_limit=2, workers=1, stability_weight=1)
FORECAST = ForecastRequest(samples=500, seed=1)


def shared_store(path: Path, projects: int) -> Planforge:
    """Small projects, every one tight, three people shared among them all."""
    app = Planforge(Settings(database_url=f"sqlite:///{path}"))
    for document in portfolio(projects, tasks=12, people=3, seed=5):
        tight = {**document, "name": document["name"].removesuffix("-tight")}
        for task in tight["tasks"]:
            task["skills"] = {"work": 1}
        app.create_project(tight, "pmo")
    return app


def events_by_type(app: Planforge) -> list[Counter[str]]:
    return [
        Counter(event.type for event in app.store.events(project_id))
        for project_id in app.store.project_ids()
    ]


def test_plans_committed_as_they_come_overbook_nobody(tmp_path: Path) -> None:
    app = shared_store(tmp_path / "shared.db", projects=6)
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        outcomes = replan_all(
            app, PLAN, FORECAST, executor=pool, commit=True, in_flight=3
        )
    assert all(o.status in ("optimal", "feasible") for o in outcomes)
    assert all(o.p80 is not None for o in outcomes)
    assert app.store.resource_load.catch_up().overbooked() == {}
    for counts in events_by_type(app):
        assert counts["PlanCommitted"] == 1
        assert counts["ForecastRecorded"] == 1


def test_a_killed_run_resumed_with_its_id_records_no_plan_twice(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nightly.db"
    projects = 8
    app = shared_store(path, projects)
    environment = {**os.environ, "PLANFORGE_DATABASE_URL": f"sqlite:///{path}"}
    command = [
        sys.executable,
        "-m",
        "service.cli",
        "replan",
        "--commit",
        "--run-id",
        "night-1",
        "--time-limit",
        "2",
        "--samples",
        "500",
    ]
    run = subprocess.Popen(
        command, env=environment, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    assert run.stderr is not None
    done = 0
    began = time.monotonic()
    while done < 2 and time.monotonic() - began < 120:
        line = run.stderr.readline().decode()
        done += line.startswith("planforge: [")
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert done == 2  # killed midway: two projects reported, the rest not yet
    killed = events_by_type(app)
    assert 2 <= sum(c["PlanProposed"] for c in killed) < projects
    resumed = subprocess.run(command, env=environment, capture_output=True, timeout=300)
    assert resumed.returncode in (0, 3), resumed.stderr.decode()
    for counts in events_by_type(app):
        assert counts["PlanProposed"] == 1
        assert counts["ForecastRecorded"] == 1
        assert counts["PlanCommitted"] == 1
    assert app.store.resource_load.catch_up().overbooked() == {}


def test_a_warm_night_leaves_unchanged_projects_alone(tmp_path: Path) -> None:
    app = shared_store(tmp_path / "warm.db", projects=4)
    first = replan_all(app, PLAN, FORECAST, commit=True, run_id="night-1")
    assert not any(o.unchanged for o in first)
    before = events_by_type(app)
    second = replan_all(app, PLAN, FORECAST, commit=True, run_id="night-2")
    assert all(o.unchanged for o in second)
    recorded = [o.p80 for o in first]  # recorded to 3 decimals
    assert [o.p80 for o in second] == pytest.approx(recorded, abs=5e-4)
    assert events_by_type(app) == before  # nothing solved, nothing recorded
    edited = app.store.project_ids()[1]
    app.apply_changes(
        edited, [{"action": "update_task", "id": "t0", "duration": 9}], "pmo", None
    )
    third = replan_all(app, PLAN, FORECAST, commit=True, run_id="night-3")
    assert [o.unchanged for o in third] == [
        project_id != edited for project_id in app.store.project_ids()
    ]
    assert app.store.resource_load.catch_up().overbooked() == {}
