"""Jobs as the store holds them, shared by every server process over one
store: the job records, who runs each job (a lease), and cancel requests.

- A job's record (kind "job") is written by the process running it: when it
  is accepted, started and finished, and its progress at most every
  PROGRESS_SECONDS, so any process answers `GET /jobs/{id}` from the store.
- Its lease (kind "job-lease": owner and expiry, Unix time) says which
  process runs it. It is taken before the record is first written, renewed
  while the job runs and removed when it ends. A process takes a job over
  only with a compare-and-set on the lease (`Documents.swap`), and only when
  the lease expired or its holder is known dead (a process of this host that
  is gone, or this process's own id from before a restart): a job runs in one
  process at a time, and is re-run only when its runner is gone.
- A cancel request (kind "job-cancel") may be written by any process; the
  one holding the lease sees it within a CHECK_SECONDS tick and stops the
  work.

Leases use the wall clock: processes on several hosts need clocks in step to
well within the lease (`job_lease_seconds`, 15 s by default).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Collection
from typing import Any

from eventstore.documents import Documents

KIND = "job"
LEASE = "job-lease"
CANCEL = "job-cancel"
CHECK_SECONDS = 0.1
PROGRESS_SECONDS = 0.5


class JobLedger:
    """Records, leases and cancel requests of jobs, for the process `owner`."""

    def __init__(self, documents: Documents, lease_seconds: float) -> None:
        self.documents = documents
        self.lease_seconds = lease_seconds
        self.owner = f"{socket.gethostname()}:{os.getpid()}"

    def save(self, record: dict[str, Any]) -> None:
        self.documents.put(KIND, record["id"], record)

    def load(self, job_id: str) -> dict[str, Any] | None:
        return self.documents.get(KIND, job_id)

    def records(self) -> list[dict[str, Any]]:
        return self.documents.all(KIND)

    def claim(
        self, job_id: str, recorded_owner: str | None, running_here: Collection[str]
    ) -> bool:
        """Take the job's lease: True when this process now holds it. Taken
        when free and its recorded runner (`recorded_owner`; None: a new job)
        is gone, expired, or held by a runner that is gone; else False."""
        lease = self.documents.get(LEASE, job_id)
        if lease is None:  # a new job, or one recorded before leases existed
            free = recorded_owner is None or self._dead(
                recorded_owner, job_id, running_here
            )
        else:
            free = lease["until"] < time.time() or self._dead(
                lease["owner"], job_id, running_here
            )
        return free and self._take(job_id, lease)

    def renew(self, job_ids: Collection[str]) -> set[str]:
        """Extend this process's leases; the jobs whose lease another process
        took meanwhile (this one must stop them)."""
        lost = set()
        for job_id in job_ids:
            lease = self.documents.get(LEASE, job_id)
            if (
                lease is None
                or lease["owner"] != self.owner
                or not self._take(job_id, lease)
            ):
                lost.add(job_id)
        return lost

    def release(self, job_id: str) -> None:
        """The job ended: its lease and any cancel request go."""
        self.documents.delete(LEASE, job_id)
        self.documents.delete(CANCEL, job_id)

    def ask_cancel(self, job_id: str) -> None:
        self.documents.put(CANCEL, job_id, {"job_id": job_id, "at": time.time()})

    def cancel_asked(self, job_ids: Collection[str]) -> set[str]:
        """Which of these jobs someone asked to cancel."""
        if not job_ids:
            return set()
        asked = {request["job_id"] for request in self.documents.all(CANCEL)}
        return asked & set(job_ids)

    def expired(self, running_here: Collection[str]) -> list[str]:
        """Jobs whose lease expired or whose runner is gone."""
        now = time.time()
        return [
            lease["job_id"]
            for lease in self.documents.all(LEASE)
            if lease["until"] < now
            or self._dead(lease["owner"], lease["job_id"], running_here)
        ]

    def _take(self, job_id: str, lease: dict[str, Any] | None) -> bool:
        until = time.time() + self.lease_seconds
        mine = {"job_id": job_id, "owner": self.owner, "until": until}
        return self.documents.swap(LEASE, job_id, lease, mine)

    def _dead(self, owner: str, job_id: str, running_here: Collection[str]) -> bool:
        """`owner` is a process of this host that is gone, or this process's
        id from before a restart (it does not run the job)."""
        if owner == self.owner:
            return job_id not in running_here
        host, _, pid = owner.rpartition(":")
        return host == socket.gethostname() and not alive(int(pid))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
