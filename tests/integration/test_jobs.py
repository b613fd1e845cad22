"""Jobs a stopped process left behind are marked failed, never lost."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

from service.jobs import KIND, Jobs, JobStatus
from service.settings import Settings
from service.usecases import Planforge


def test_a_job_of_a_process_that_is_gone_is_marked_failed(tmp_path: Path) -> None:
    planforge = Planforge(Settings(data_dir=tmp_path))
    gone = subprocess.Popen(["true"])
    gone.wait()
    left = {
        "id": "6f0a5d2e-1111-4222-8333-444455556666",
        "kind": "plan",
        "project_id": None,
        "submitter": "pat",
        "owner": f"{socket.gethostname()}:{gone.pid}",
        "status": "running",
        "submitted_at": "2027-01-04T09:00:00+00:00",
        "started_at": "2027-01-04T09:00:01+00:00",
        "finished_at": None,
        "progress": {"objective": 40.0},
        "result": None,
        "result_url": None,
        "error": None,
    }
    other_host = {**left, "id": "7f0a5d2e-1111-4222-8333-444455556666"}
    other_host["owner"] = f"elsewhere:{gone.pid}"
    for record in (left, other_host):
        planforge.store.documents.put(KIND, record["id"], record)

    jobs = Jobs(planforge, capacity=2, retry_after=1)
    try:
        recovered = planforge.store.documents.get(KIND, left["id"])
        assert recovered is not None
        assert recovered["status"] == JobStatus.FAILED
        assert "submit it again" in recovered["error"]["detail"]
        assert recovered["progress"] == {"objective": 40.0}
        untouched = planforge.store.documents.get(KIND, other_host["id"])
        assert untouched is not None
        assert untouched["status"] == "running"
    finally:
        jobs.close()
        planforge.store.close()
