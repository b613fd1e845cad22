"""The alerts other systems act on, end to end through a real `planforge
serve`, the nightly `planforge replan` beside it on the same store, and a
loopback receiver that verifies every signature: forecast.slipped,
task.stale, milestone.reached and gate.approved."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.receiver import receiving
from tests.e2e.serve import planforge_serve
from tests.e2e.test_http_webhooks import signed_in, wait_for

pytestmark = pytest.mark.slow

ALERTS = ["forecast.slipped", "task.stale", "milestone.reached", "gate.approved"]
STAGED = {
    "name": "Staged",
    "start": "2027-01-04",
    "deadline": 6,  # design and build take 3 + 4 days: every forecast is late
    "tasks": [
        {"id": "design", "duration": 3},
        {"id": "design_review", "duration": 0, "gate": True},
        {"id": "build", "duration": 4},
    ],
    "dependencies": [
        {"from": "design", "to": "design_review"},
        {"from": "design_review", "to": "build"},
    ],
}


def replan(data_dir: Path) -> subprocess.CompletedProcess[str]:
    """The nightly job, as cron runs it, on the server's store."""
    environment = {**os.environ, "PLANFORGE_DATA_DIR": str(data_dir)}
    environment.pop("PLANFORGE_DATABASE_URL", None)
    command = [sys.executable, "-m", "service.cli", "replan", "--time-limit", "5"]
    command += ["--samples", "500"]
    return subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=300
    )


def of_type(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [event for event in events if event["type"] == kind]


def test_slips_stale_work_milestones_and_gates_reach_the_receiver_signed(
    tmp_path: Path,
) -> None:
    with (
        receiving() as (hook, receiver),
        planforge_serve(tmp_path) as (url, token, _),
        signed_in(url, token) as client,
    ):
        made = client.post("/webhooks", json={"url": hook, "events": ALERTS})
        assert made.status_code == 201, made.text
        receiver.secret = made.json()["secret"]
        project_id = client.post("/projects", json=STAGED).json()["id"]
        # Design started on day 0 (reported on day 1); nothing heard since day 9.
        for report in (
            {"status_date": 1, "reports": [{"task": "design", "actual_start": 0}]},
            {"status_date": 9, "reports": []},
        ):
            progress = client.post(f"/projects/{project_id}/progress", json=report)
            assert progress.status_code == 200, progress.text

        nightly = replan(tmp_path)
        assert nightly.returncode == 3, nightly.stderr  # EXIT_SLIPPED
        wait_for(receiver, ["forecast.slipped", "task.stale"])

        done = {"reports": [{"task": "design", "actual_start": 0, "actual_finish": 9}]}
        reported = client.post(f"/projects/{project_id}/progress", json=done)
        assert reported.status_code == 200, reported.text
        approved = client.post(
            f"/projects/{project_id}/gates/design_review/approve",
            json={"reason": "design signed off"},
        )
        assert approved.status_code == 200, approved.text
        wait_for(receiver, ALERTS)
        deadline = time.monotonic() + 60  # the gate's own milestone comes last
        while receiver.types().count("milestone.reached") < 2:
            assert time.monotonic() < deadline, receiver.types()
            time.sleep(0.05)

    assert receiver.bad_signatures == 0  # every delivery verified
    events = [e for e in receiver.events if e["project_id"] == project_id]
    slipped = of_type(events, "forecast.slipped")[0]["data"]
    assert "past the deadline" in " ".join(slipped["reasons"])
    stale = of_type(events, "task.stale")[0]["data"]
    assert stale["task_id"] == "design"
    gate = of_type(events, "gate.approved")[0]["data"]
    assert (gate["task_id"], gate["approved_at"]) == ("design_review", 9), gate
    milestones = {e["data"]["task_id"] for e in of_type(events, "milestone.reached")}
    assert milestones == {"design", "design_review"}
