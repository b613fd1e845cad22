"""Pages in Debian's Chromium, driven by Playwright, against a real uvicorn
server on loopback. The store is seeded through the use cases with the demo
launch (committed, forecast, then an infeasible proposal), a second launch
sharing its people, planned before the first was committed (so they are
overbooked across projects), and a 500-task project.

Pages are read with `Authorization: Bearer` (as a kiosk would) unless a test
signs in through the login page (a session cookie and its CSRF token).
Screenshots go to `build/screenshots/` (or `PLANFORGE_SCREENSHOTS`).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from domain.access import Role
from domain.document_writer import project_to_document
from domain.pins import parse_pins
from scheduler.problem.generate import multiskill_project
from service.api.app import create_app
from service.demo import sample_document
from service.settings import Settings
from service.usecases import ForecastRequest, Planforge, PlanRequest
from tests.live_server import serving

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(
    os.environ.get(
        "PLANFORGE_SCREENSHOTS",
        Path(__file__).resolve().parents[2] / "build" / "screenshots",
    )
)
PROGRESS = [  # the launch, two weeks in
    {"task": "kickoff", "actual_start": "2027-01-04", "actual_finish": "2027-01-04"},
    {"task": "research", "actual_start": "2027-01-04", "actual_finish": "2027-01-14"},
    {
        "task": "architecture",
        "actual_start": "2027-01-04",
        "actual_finish": "2027-01-11",
    },
    {"task": "support_hiring", "actual_start": "2027-01-04", "percent_complete": 60},
    {"task": "personas", "actual_start": "2027-01-15", "percent_complete": 50},
    {"task": "ci_cd", "actual_start": "2027-01-12", "percent_complete": 75},
]
playwright_api = pytest.importorskip("playwright.sync_api")


@dataclass(frozen=True)
class Site:
    url: str
    launch: UUID
    launch_eu: UUID
    big: UUID
    planforge: Planforge
    admin: str  # API tokens: organisation admin,
    planner: str  # organisation planner,
    viewer: str  # viewer of the launch only


def _propose(planforge: Planforge, document: dict[str, object], limit: float) -> UUID:
    state = planforge.create_project(document, "seed")
    record = planforge.propose_plan(state.id, PlanRequest(limit, workers=1), "seed")
    assert record.plan.has_schedule, record.plan.status
    return state.id


def with_gates(document: dict[str, Any]) -> dict[str, Any]:
    """The launch with its design sign-off and go/no-go as stage gates."""
    for task in document["tasks"]:
        if task["id"] in ("design_signoff", "go_no_go"):
            task["gate"] = True
    return document


def _commit(planforge: Planforge, project_id: UUID) -> None:
    """Commit the latest plan and forecast it."""
    record = planforge.plans(project_id)[-1]
    planforge.commit_plan(project_id, record.id, "seed", None)
    planforge.forecast_plan(project_id, record.id, ForecastRequest(1000), "seed")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("browser"), database_url=None)
    planforge = Planforge(settings)
    # Both launches are proposed before either is committed, so the second
    # plan does not know the first's bookings: their people are overbooked.
    launch = _propose(planforge, with_gates(sample_document()), 5)
    second = {**json.loads(json.dumps(sample_document())), "name": "Product launch EU"}
    second["start"] = "2027-02-01"
    launch_eu = _propose(planforge, second, 5)
    for project_id in (launch, launch_eu):
        _commit(planforge, project_id)
    planforge.record_progress(launch, "2027-01-18", PROGRESS, "seed", None)
    impossible = PlanRequest(5, pins=parse_pins({"hypercare": {"start": 1}}))
    assert not planforge.propose_plan(launch, impossible, "seed").plan.has_schedule
    big = multiskill_project(500, 50, seed=3, name="Platform rebuild (500 tasks)")
    big_id = _propose(planforge, project_to_document(big), 20)
    _commit(planforge, big_id)
    issue = planforge.access.issue_token
    admin = issue("browser-admin", Role.ADMIN, None, "setup")
    planner = issue("browser-planner", Role.PLANNER, None, "setup")
    viewer = issue("browser-viewer", Role.VIEWER, str(launch), "setup")
    with serving(create_app(settings, planforge)) as url:
        yield Site(url, launch, launch_eu, big_id, planforge, admin, planner, viewer)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
