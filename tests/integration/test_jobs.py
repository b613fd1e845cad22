"""Jobs a stopped process left behind run again (recording once), or are
marked failed with the reason when their work cannot be read back."""

from __future__ import annotations

import base64
import pickle
import socket
import subprocess
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from service.api.plans import plan_job
from service.job_ledger import KIND
from service.job_record import Job, JobStatus
from service.jobs import Jobs
from service.settings import Settings
from service.usecases import Planforge, PlanRequest, Write
from service.workers import InlineRunner

SMALL = {
    "name": "Small",
    "start": "2027-01-04",
    "tasks": [{"id": "a", "duration": 2}, {"id": "b", "duration": 3}],
    "dependencies": [{"from": "a", "to": "b"}],
}


@pytest.fixture
def planforge(tmp_path: Path) -> Iterator[Planforge]:
    service = Planforge(Settings(data_dir=tmp_path))
    yield service
    service.store.close()


def left_behind(owner_host: str, work: Any, **fields: Any) -> dict[str, Any]:
    """A job record as a process that died mid-job left it."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    return {
        "id": str(uuid4()),
        "kind": "plan",
        "project_id": None,
        "submitter": "pat",
        "owner": f"{owner_host}:{gone.pid}",
        "status": "running",
        "submitted_at": "2027-01-04T09:00:00+00:00",
        "started_at": "2027-01-04T09:00:01+00:00",
        "finished_at": None,
        "progress": {"objective": 40.0},
        "result": None,
        "result_url": None,
        "error": None,
        "work": work,
        **fields,
    }


def settled(planforge: Planforge, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while True:
        record = planforge.store.documents.get(KIND, job_id)
        assert record is not None
        if JobStatus(record["status"]).finished:
            return record
        assert time.monotonic() < deadline, record
        time.sleep(0.05)


def test_a_job_that_recorded_its_plan_before_the_crash_records_no_second(
    planforge: Planforge,
) -> None:
    project_id = planforge.create_project(SMALL, "pat").id
    work = partial(plan_job, project_id, PlanRequest(5.0), "pat", Write())
    blob = base64.b64encode(pickle.dumps(work)).decode("ascii")
    record = left_behind(socket.gethostname(), blob, project_id=str(project_id))
    # The dead process had recorded the plan, under the job's key, and died
    # before it saved the job as succeeded.
    key = Job.of(record).key
    first = planforge.with_runner(InlineRunner(), key).propose_plan(
        project_id, PlanRequest(5.0), "pat"
    )
    planforge.store.documents.put(KIND, record["id"], record)

    jobs = Jobs(planforge, capacity=2, retry_after=1)
    try:
        done = settled(planforge, record["id"])
    finally:
        jobs.close()
    assert done["status"] == "succeeded", done
    assert done["runs"] == 2
    assert done["result"]["id"] == str(first.id)
    assert done["result_url"] == f"/projects/{project_id}/plans/{first.id}"
    proposed = [e for e in planforge.audit(project_id) if e.type == "PlanProposed"]
    assert len(proposed) == 1


def test_a_job_whose_work_cannot_be_read_back_fails_with_the_reason(
    planforge: Planforge,
) -> None:
    unreadable = base64.b64encode(b"not a pickle").decode("ascii")
    mine = left_behind(socket.gethostname(), unreadable)
    not_stored = left_behind(socket.gethostname(), None)
    other_host = left_behind("elsewhere", unreadable)
    for record in (mine, not_stored, other_host):
        planforge.store.documents.put(KIND, record["id"], record)

    jobs = Jobs(planforge, capacity=2, retry_after=1)
    try:
        for record in (mine, not_stored):
            failed = planforge.store.documents.get(KIND, record["id"])
            assert failed is not None
            assert failed["status"] == JobStatus.FAILED
            assert "cannot run it again" in failed["error"]["detail"]
            assert "submit it again" in failed["error"]["detail"]
            assert failed["progress"] == {"objective": 40.0}
        untouched = planforge.store.documents.get(KIND, other_host["id"])
        assert untouched is not None
        assert untouched["status"] == "running"  # its process may be alive
        assert jobs.get(UUID(mine["id"])).status is JobStatus.FAILED
    finally:
        jobs.close()
