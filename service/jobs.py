"""Long work as jobs: a plan, forecast, scenario or portfolio plan answered
later (`Prefer: respond-async`), with progress, a result, and cancelling.

A job is the same use case a synchronous request calls, run on a job thread
with a `JobRunner`: the work still goes to the worker pool (or a Dask
cluster), but its progress lands on the job and the job can cancel it.

Jobs are recorded in the store (`documents`, kind "job") when accepted,
started and finished, with their work pickled (a `functools.partial` of a
module-level function and plain data). A job queued or running in a process
of this host that is gone (a restart, a crash) is run again when the service
starts, under the same id; what it records carries the job's idempotency key
(unless the caller sent one), so a plan recorded before the crash is not
recorded twice. A job whose work cannot be read back (another version of the
code) is marked failed with the reason. No job is lost silently.
"""

from __future__ import annotations

import base64
import os
import pickle
import socket
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID, uuid4

from domain import NotFound, PlanforgeError, ValidationError
from eventstore import IdempotencyKey
from service.usecases import Planforge
from service.views import JSON
from service.workers import Busy, Report, Runner, TooManyJobs, ignore

T = TypeVar("T")
KIND = "job"
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
        )


class JobRunner:
    """The pool seen from one job: progress goes to the job, cancel kills."""

    def __init__(
        self, pool: Runner, job: Job, changed: Callable[[Job, bool], None]
    ) -> None:
        self._pool = pool
        self._job = job
        self._changed = changed

    def submit(
        self, function: Callable[..., T], *args: Any, report: Report = ignore
    ) -> Future[T]:
        while True:
            if self._job.cancel_requested:
                raise CancelledError
            try:
                future = self._pool.submit(function, *args, report=self._report)
                break
            except Busy:  # a synchronous request took the slot: wait for one
                time.sleep(0.2)
        self._job.future = future
        if self._job.cancel_requested:  # cancelled while it was being submitted
            self._pool.cancel(future)
        return future

    def cancel(self, future: Future[Any]) -> bool:
        return self._pool.cancel(future)

    def _report(self, payload: Mapping[str, Any]) -> None:
        job = self._job
        if payload.get("event") != "started":
            job.progress = {**job.progress, **payload}
            self._changed(job, False)
        elif job.status is JobStatus.QUEUED:
            job.status, job.started_at = JobStatus.RUNNING, _now()
            self._changed(job, True)


class Jobs:
    """Accepts, runs, answers for and cancels jobs; at most `capacity` at once
    (running or waiting), past that `Busy`, and at most `per_principal` of one
    submitter, past that `TooManyJobs`. The work runs on `runner` (default:
    the service's worker pool)."""

    def __init__(
        self,
        planforge: Planforge,
        capacity: int,
        retry_after: int,
        runner: Runner | None = None,
        per_principal: int | None = None,
    ):
        self._planforge = planforge
        self._runner = runner or planforge.runner  # a Dask cluster's, or the pool
        self._documents = planforge.store.documents
        self._capacity = capacity
        self._per_principal = per_principal or capacity
        self._retry_after = retry_after
        self._threads = ThreadPoolExecutor(capacity, thread_name_prefix="planforge-job")
        self._live: dict[UUID, Job] = {}
        self._lock = threading.Lock()
        self.owner = f"{socket.gethostname()}:{os.getpid()}"
        self.recover()

    def submit(
        self, kind: str, project_id: UUID | None, submitter: str, work: Work
    ) -> Job:
        with self._lock:
            active = [j for j in self._live.values() if not j.status.finished]
            held = sum(j.submitter == submitter for j in active)
            if held >= self._per_principal:
                raise TooManyJobs(held, self._retry_after)
            if len(active) >= self._capacity:
                raise Busy(self._retry_after)
            job = Job(uuid4(), kind, project_id, submitter, self.owner, _now())
            job.work = _pickled(work)
            self._live[job.id] = job
        self._save(job)
        self._threads.submit(self._run, job, work)
        return job

    def get(self, job_id: UUID) -> Job:
        live = self._live.get(job_id)
        if live is not None:
            return live
        record = self._documents.get(KIND, str(job_id))
        if record is None:
            raise NotFound(f"job {job_id} not found")
        return Job.of(record)

    def cancel(self, job_id: UUID) -> Job:
        """Stop a queued or running job (its worker process is killed)."""
        job = self.get(job_id)
        if job.status.finished:
            return job
        job.cancel_requested = True
        if job.future is not None:
            self._runner.cancel(job.future)
        return job

    def recover(self) -> None:
        """Jobs left queued or running by a process of this host that is gone
        run again here; one whose work cannot be read back is marked failed."""
        host = socket.gethostname()
        for record in self._documents.all(KIND):
            job = Job.of(record)
            owner_host, _, pid = job.owner.rpartition(":")
            if job.status.finished or owner_host != host or _alive(int(pid)):
                continue
            try:
                work = _unpickled(job.work)
            except Exception as error:  # any reason the work cannot be read back
                job.status, job.finished_at = JobStatus.FAILED, _now()
                job.error = {
                    "detail": "the service stopped before the job finished and "
                    f"cannot run it again ({error}); submit it again",
                    "problems": [],
                }
                self._save(job)
                continue
            job.status, job.started_at, job.progress = JobStatus.QUEUED, None, {}
            job.owner, job.runs = self.owner, job.runs + 1
            self._live[job.id] = job
            self._save(job)
            self._threads.submit(self._run, job, work)

    def close(self) -> None:
        for job in list(self._live.values()):
            if not job.status.finished:
                self.cancel(job.id)
        self._threads.shutdown(wait=True, cancel_futures=True)

    def _run(self, job: Job, work: Work) -> None:
        planforge = self._planforge.with_runner(
            JobRunner(self._runner, job, self._changed), job.key
        )
        try:
            job.result, url = work(planforge)
            job.result_url = url or f"/jobs/{job.id}/result"
            job.status = JobStatus.SUCCEEDED
        except CancelledError:
            job.status = JobStatus.CANCELLED
        except ValidationError as error:
            job.status = JobStatus.FAILED
            job.error = {
                "detail": str(error),
                "problems": [
                    {"field": p.field, "message": p.message} for p in error.problems
                ],
            }
        except PlanforgeError as error:
            job.status, job.error = JobStatus.FAILED, {"detail": str(error)}
        except Exception as error:  # a job must end with a status, whatever broke
            job.status = JobStatus.FAILED
            job.error = {"detail": f"{type(error).__name__}: {error}"}
        job.finished_at = _now()
        self._changed(job, True)
        self._live.pop(job.id, None)

    def _changed(self, job: Job, persist: bool) -> None:
        """A job moved: streams see the new revision; status changes are saved."""
        job.revision += 1
        if persist:
            self._save(job)

    def _save(self, job: Job) -> None:
        self._documents.put(KIND, str(job.id), job.record())


def _pickled(work: Work) -> str | None:
    """The work as stored, or None when it cannot be (a closure)."""
    try:
        return base64.b64encode(pickle.dumps(work)).decode("ascii")
    except (pickle.PicklingError, AttributeError, TypeError):
        return None


def _unpickled(work: str | None) -> Work:
    if work is None:
        raise ValueError("its work was not stored")
    loaded: Work = pickle.loads(base64.b64decode(work))  # our own store's bytes
    return loaded


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
