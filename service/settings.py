"""Configuration from the environment (prefix PLANFORGE_), never a module global."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from service.webhooks.delivery import DEFAULT_SCHEDULE


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "planforge"


class Settings(BaseSettings):
    """Everything the service reads from its environment.

    `PLANFORGE_DATABASE_URL` picks the event store (`sqlite:///file.db` or
    `postgresql://user:password@host:port/db`); without it, a SQLite file in
    `PLANFORGE_DATA_DIR` is used. `PLANFORGE_CREATE_TABLES=false` starts
    without creating tables: for workers, after `planforge migrate`.
    Solves, forecasts and scenarios of the HTTP service run in `workers`
    processes (default 2) with at most `queue_limit` (default 8) waiting;
    past that a request gets 503 with `Retry-After: retry_after` (default 10).
    One principal may hold at most `jobs_per_principal` of the jobs queued or
    running (default 4 of the 10): past that its next job gets 429 with
    `Retry-After`, so one script cannot take the queue from everyone.
    Workers run at `worker_priority`: low (nice 10, the default), idle
    (SCHED_IDLE: requests always come first; for a host the service does not
    share, since busy neighbours would starve the solves) or normal.
    With `dask_scheduler` set, jobs run on that Dask cluster instead
    (`service.dask_runner`); synchronous requests stay on the pool.
    """

    model_config = SettingsConfigDict(env_prefix="PLANFORGE_")

    database_url: str | None = None
    data_dir: Path = Field(default_factory=default_data_dir)
    create_tables: bool = True
    default_time_limit: float = 10.0
    max_time_limit: float = 600.0
    default_samples: int = 10_000
    max_samples: int = 1_000_000
    # Limits that keep the service up: a request body's size in bytes (413
    # past it) and a project's number of tasks (422 past it).
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    max_tasks: int = Field(default=10_000, ge=1)
    # Sign-in: how long a browser session lasts, and sites besides the
    # service's own origin whose pages may send state-changing requests.
    session_hours: float = Field(default=8.0, gt=0, le=24 * 30)
    allowed_origins: list[str] = Field(default_factory=list)
    # Sign-in with the organisation's identity provider (OIDC bearer JWTs):
    # off unless issuer, audience and a JWKS URL or file are set. `oidc_roles`
    # maps a value of `oidc_roles_claim` to "role" or "role@<project id>".
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = None
    oidc_jwks_file: Path | None = None
    oidc_principal_claim: str = "sub"
    oidc_roles_claim: str = "groups"
    oidc_roles: dict[str, str] = Field(default_factory=dict)
    workers: int = Field(
        default=2, ge=1, description="worker processes for solves and forecasts"
    )
    queue_limit: int = Field(
        default=8, ge=0, description="work that may wait for a worker; then 503"
    )
    worker_priority: Literal["idle", "low", "normal"] = Field(
        default="low",
        description="CPU class of worker processes: idle (SCHED_IDLE), low "
        "(nice 10) or normal",
    )
    webhook_allow_private: bool = Field(
        default=True,
        description="webhook targets on loopback and private addresses allowed",
    )
    webhook_retry_schedule: list[float] = Field(
        default_factory=lambda: list(DEFAULT_SCHEDULE),
        description="seconds before each retry of a failed webhook delivery",
    )
    webhook_timeout: float = Field(default=10.0, gt=0, description="per attempt")
    dask_scheduler: str | None = Field(
        default=None,
        description="a Dask scheduler (tcp://host:8786): jobs (Prefer: "
        "respond-async) run on its cluster instead of the worker pool",
    )
    retry_after: int = Field(
        default=10, ge=1, description="seconds a 503 or 429 asks to wait"
    )
    jobs_per_principal: int = Field(
        default=4, ge=1, description="jobs one principal may have queued or running"
    )
    job_lease_seconds: float = Field(
        default=15.0,
        ge=1,
        description="a job whose process has not renewed its lease for this "
        "long is run again by another process of the store",
    )

    def store_url(self) -> str:
        """The event store URL: the configured one, or the embedded default."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'planforge.db'}"
