"""Long work as jobs: a plan, forecast, scenario or portfolio plan answered
later (`Prefer: respond-async`), with progress, a result, and cancelling.

A job is the same use case a synchronous request calls, run on a job thread
with a `JobRunner`: the work still goes to the worker pool (or a Dask
cluster), but its progress lands on the job and the job can cancel it.

Jobs are recorded in the store (`service.job_ledger`) when accepted,
started and finished, with their progress and their work pickled (a
`functools.partial` of a module-level function and plain data); any server
process of the store answers for them and may cancel them. A job whose
process is gone (a restart, a crash: its lease ran out) is run again, under
the same id, by one process of the store; what it records carries the job's
idempotency key (unless the caller sent one), so a plan recorded before the
crash is not recorded twice. A job whose work cannot be read back (another
version of the code) is marked failed with the reason. No job is lost
silently.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from typing import Any, TypeVar
from uuid import UUID, uuid4

from domain import NotFound, PlanforgeError, ValidationError
from service.job_ledger import CHECK_SECONDS, PROGRESS_SECONDS, JobLedger
from service.job_record import Job, JobStatus, Work, now, pickled, unpickled
from service.usecases import Planforge
from service.workers import Busy, Report, Runner, TooManyJobs, ignore

T = TypeVar("T")
logger = logging.getLogger(__name__)


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
            job.status, job.started_at = JobStatus.RUNNING, now()
            self._changed(job, True)


class Jobs:
    """Accepts, runs, answers for and cancels jobs; at most `capacity` at once
    (running or waiting) in this process, past that `Busy`, and at most
    `per_principal` of one submitter, past that `TooManyJobs`. The work runs
    on `runner` (default: the service's worker pool). Several processes may
    serve one store: see `service.job_ledger` for who runs what."""

    def __init__(
        self,
        planforge: Planforge,
        capacity: int,
        retry_after: int,
        runner: Runner | None = None,
        per_principal: int | None = None,
        lease_seconds: float = 15.0,
    ):
        self._planforge = planforge
        self._runner = runner or planforge.runner  # a Dask cluster's, or the pool
        self._ledger = JobLedger(planforge.store.documents, lease_seconds)
        self._capacity = capacity
        self._per_principal = per_principal or capacity
        self._retry_after = retry_after
        self._threads = ThreadPoolExecutor(capacity, thread_name_prefix="planforge-job")
        self._live: dict[UUID, Job] = {}
        self._saved: dict[UUID, tuple[int, float]] = {}  # revision, when
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.owner = self._ledger.owner
        self.recover()
        self._keeper = threading.Thread(
            target=self._keep, name="planforge-jobs", daemon=True
        )
        self._keeper.start()

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
            job = Job(uuid4(), kind, project_id, submitter, self.owner, now())
            job.work = pickled(work)
            self._live[job.id] = job
        self._ledger.claim(str(job.id), None, self._running())  # before the record
        self._save(job)
        self._threads.submit(self._run, job, work)
        return job

    def get(self, job_id: UUID) -> Job:
        """The job as this process runs it, or as the store holds it."""
        live = self._live.get(job_id)
        if live is not None:
            return live
        record = self._ledger.load(str(job_id))
        if record is None:
            raise NotFound(f"job {job_id} not found")
        return Job.of(record)

    def runs_here(self, job_id: UUID) -> bool:
        return job_id in self._live

    def cancel(self, job_id: UUID) -> Job:
        """Stop a queued or running job: here, its worker process is killed;
        run by another process, that one is asked (through the store) and
        stops it within a second."""
        job = self.get(job_id)
        if job.status.finished:
            return job
        if job_id not in self._live:
            self._ledger.ask_cancel(str(job_id))
            return job
        job.cancel_requested = True
        if job.future is not None:
            self._runner.cancel(job.future)
        return job

    def recover(self) -> None:
        """Unfinished jobs nobody runs any more (their lease expired, their
        process is gone) run again here, under their id."""
        for record in self._ledger.records():
            job = Job.of(record)
            if not job.status.finished:
                self._adopt(job)

    def close(self) -> None:
        self._stop.set()
        self._keeper.join(timeout=5)
        for job in list(self._live.values()):
            if not job.status.finished:
                self.cancel(job.id)
        self._threads.shutdown(wait=True, cancel_futures=True)

    def _adopt(self, job: Job) -> None:
        """Run a job again, if this process wins its lease; cancelled if that
        was asked meanwhile, failed if its work cannot be read back."""
        job_id = str(job.id)
        if not self._ledger.claim(job_id, job.owner, self._running()):
            return
        job.owner = self.owner
        try:
            work = unpickled(job.work)
        except Exception as error:  # any reason the work cannot be read back
            job.status, job.finished_at = JobStatus.FAILED, now()
            job.error = {
                "detail": "the service stopped before the job finished and "
                f"cannot run it again ({error}); submit it again",
                "problems": [],
            }
        if self._ledger.cancel_asked([job_id]):
            job.status, job.finished_at = JobStatus.CANCELLED, now()
        if job.status.finished:
            self._save(job)
            self._ledger.release(job_id)
            return
        job.status, job.runs = JobStatus.QUEUED, job.runs + 1
        job.started_at, job.progress = None, {}
        self._live[job.id] = job
        self._save(job)
        self._threads.submit(self._run, job, work)

    def _keep(self) -> None:
        """Every CHECK_SECONDS: cancel requests from other processes, progress
        to the store; every third of a lease: renew this process's leases
        (stop what another took) and take over jobs whose runner is gone."""
        lease_ticks = max(1, int(self._ledger.lease_seconds / 3 / CHECK_SECONDS))
        tick = 0
        while not self._stop.wait(CHECK_SECONDS):
            tick += 1
            try:
                self._check(renew=tick % lease_ticks == 0)
            except Exception:  # a store outage: try again next tick
                logger.exception("jobs: store bookkeeping failed")

    def _check(self, renew: bool) -> None:
        running = self._running()
        for job_id in self._ledger.cancel_asked(running):
            self.cancel(UUID(job_id))
        for job in list(self._live.values()):
            revision, at = self._saved.get(job.id, (-1, 0.0))
            if job.revision > revision and time.time() - at >= PROGRESS_SECONDS:
                self._save(job)
        if not renew:
            return
        for job_id in self._ledger.renew(running):
            lost = self._live.get(UUID(job_id))
            if lost is not None:  # another process runs it now: stop, say nothing
                lost.lost = True
                self.cancel(lost.id)
        for job_id in self._ledger.expired(self._running()):
            record = self._ledger.load(job_id)
            if record is None or JobStatus(record["status"]).finished:
                self._ledger.release(job_id)  # its runner died after the end
            else:
                self._adopt(Job.of(record))

    def _running(self) -> set[str]:
        return {str(job_id) for job_id in list(self._live)}

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
        job.finished_at = now()
        if not job.lost:
            self._changed(job, True)
            self._ledger.release(str(job.id))
        self._live.pop(job.id, None)
        self._saved.pop(job.id, None)

    def _changed(self, job: Job, persist: bool) -> None:
        """A job moved: streams see the new revision; status changes are
        saved at once, progress by the keeper (at most every PROGRESS_SECONDS)."""
        job.revision += 1
        if persist:
            self._save(job)

    def _save(self, job: Job) -> None:
        if job.lost:
            return
        revision = job.revision
        self._ledger.save(job.record())
        self._saved[job.id] = (revision, time.time())
