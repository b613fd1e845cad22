"""One job as it is stored and answered: its status, progress, result, and
its work (pickled, so another process or a restart can run it again)."""

from __future__ import annotations

import base64
import pickle
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventstore import IdempotencyKey
from service.usecases import Planforge
from service.views import JSON

Work = Callable[[Planforge], tuple[JSON, str | None]]
"""What a job does: the use case on the given service; the result and the URL
where it is kept (None: `/jobs/{id}/result`)."""


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self not in (JobStatus.QUEUED, JobStatus.RUNNING)


@dataclass
class Job:
    """One job's state; `revision` grows with every change (for streaming)."""

    id: UUID
    kind: str
    project_id: UUID | None
    submitter: str
    owner: str
    submitted_at: str
    status: JobStatus = JobStatus.QUEUED
    started_at: str | None = None
    finished_at: str | None = None
    progress: dict[str, Any] = field(default_factory=dict)
    result: JSON | None = None
    result_url: str | None = None
    error: JSON | None = None
    revision: int = 0
    runs: int = 1
    work: str | None = None  # the pickled work, base64; None: cannot be re-run
    future: Future[Any] | None = None
    cancel_requested: bool = False
    lost: bool = False  # another process took the job over: this run is void

    @property
    def key(self) -> IdempotencyKey:
        """What the job records is recorded under this key (once)."""
        return IdempotencyKey(f"job {self.id}", self.kind, self.submitter)

    def record(self) -> JSON:
        """The job as stored and as answered (without the live handles)."""
        return {
            "id": str(self.id),
            "kind": self.kind,
            "project_id": None if self.project_id is None else str(self.project_id),
            "submitter": self.submitter,
            "owner": self.owner,
            "status": self.status.value,
            "submitted_at": self.submitted_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "progress": self.progress,
            "result": self.result,
            "result_url": self.result_url,
            "error": self.error,
            "runs": self.runs,
            "work": self.work,
            "revision": self.revision,
        }

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> Job:
        project_id = record["project_id"]
        return cls(
            id=UUID(record["id"]),
            kind=record["kind"],
            project_id=None if project_id is None else UUID(project_id),
            submitter=record["submitter"],
            owner=record["owner"],
            submitted_at=record["submitted_at"],
            status=JobStatus(record["status"]),
            started_at=record["started_at"],
            finished_at=record["finished_at"],
            progress=dict(record["progress"]),
            result=record["result"],
            result_url=record["result_url"],
            error=record["error"],
            runs=record.get("runs", 1),
            work=record.get("work"),
            revision=record.get("revision", 0),
        )


def pickled(work: Work) -> str | None:
    """The work as stored, or None when it cannot be (a closure)."""
    try:
        return base64.b64encode(pickle.dumps(work)).decode("ascii")
    except (pickle.PicklingError, AttributeError, TypeError):
        return None


def unpickled(work: str | None) -> Work:
    if work is None:
        raise ValueError("its work was not stored")
    loaded: Work = pickle.loads(base64.b64decode(work))  # our own store's bytes
    return loaded


def now() -> str:
    return datetime.now(UTC).isoformat()
