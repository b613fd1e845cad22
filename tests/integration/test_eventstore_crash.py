"""Crash safety: a writer killed with SIGKILL mid-stream loses no acknowledged
write and leaves nothing half-written, on every backend."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.integration.conftest import Opener
from tests.integration.stores import BATCH, DOCUMENT

ROOT = Path(__file__).resolve().parents[2]
ACKS_BEFORE_KILL = 40


def test_a_killed_writer_loses_no_acknowledged_write(
    open_store: Opener, event_store_url: str
) -> None:
    store = open_store()
    project_id = store.create_project(DOCUMENT, "alice").id
    writer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.integration.stores",
            event_store_url,
            str(project_id),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    acknowledged = [int(writer.stdout.readline()) for _ in range(ACKS_BEFORE_KILL)]
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    store.close()

    reopened = open_store()
    state = reopened.get_project(project_id)
    versions = [entry.version for entry in reopened.events(project_id)]
    assert writer.returncode == -signal.SIGKILL
    assert state.version >= acknowledged[-1]
    assert versions == list(range(1, state.version + 1))
    assert (state.version - 1) % BATCH == 0, "a batch was half-written"
    for version in acknowledged[-3:]:
        past = reopened.get_project(project_id, version)
        assert past.project.task("a").duration == version
