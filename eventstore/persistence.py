"""Database URL -> eventsourcing environment (which persistence module, where).

- `None`: in-memory (eventsourcing.popo), for tests and what-if work.
- `sqlite:///relative/file.db`, `sqlite:////absolute/file.db` (SQLAlchemy's
  rule: the path is what follows the third slash, so `f"sqlite:///{path}"`
  works for both) and `sqlite:///:memory:`: eventsourcing.sqlite. A file is
  in WAL mode with `synchronous=NORMAL` (`?synchronous=full` for FULL): a
  commit is not flushed to the disk until the next checkpoint, so a process
  that is killed (SIGKILL, OOM) loses nothing it committed, while a power
  cut or an operating-system crash may lose the last commits before it
  (never half of one). FULL flushes at every commit: ~5-10 ms per write on
  this machine's disk, held under SQLite's one write lock.
- `postgresql://user:password@host:port/dbname[?schema=name]` (or
  `postgres://`): eventsourcing.postgres; the schema must already exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from domain import ValidationError

SUPPORTED = "sqlite:///path/to/file.db or postgresql://user:password@host:port/dbname"
POSTGRES_SCHEMES = ("postgresql", "postgres")
# How long one database call waits for a free connection. The library retries
# a failed call 10 times with 0.2 s pauses, so a database that is down turns
# into an error after about 10 x (0.1 + 0.2) = 3 s, not 10 x (30 + 0.2) s.
CONNECTION_WAIT_SECONDS = 0.1
AGGREGATE_CACHE_SIZE = 100
SQLITE_SYNCHRONOUS = "SQLITE_SYNCHRONOUS"  # ours: the library ignores it
SYNCHRONOUS_MODES = ("normal", "full")


def persistence_environment(
    database_url: str | None, create_tables: bool = True
) -> dict[str, str]:
    """The eventsourcing settings for `database_url`; ValidationError if the
    URL is not one we support. Creates a SQLite file's parent directory.

    `create_tables=False` is for workers started after `ProjectStore.migrate()`:
    several processes creating PostgreSQL tables at once can fail.
    """
    if database_url is None:
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    parts = urlsplit(database_url)
    if parts.scheme == "sqlite":
        environment = _sqlite_environment(parts)
    elif parts.scheme in POSTGRES_SCHEMES:
        environment = _postgres_environment(parts)
    else:
        environment = {}
    if not environment:
        # The URL itself is left out of the message: it may hold a password.
        raise ValidationError.at(
            "database_url", f"unsupported scheme {parts.scheme!r}: use {SUPPORTED}"
        )
    environment["CREATE_TABLE"] = "y" if create_tables else "n"
    # Recently used aggregates stay in memory; each load brings one up to
    # date with the events recorded since (by any process), instead of
    # replaying up to 99 events from the last snapshot.
    environment["AGGREGATE_CACHE_MAXSIZE"] = str(AGGREGATE_CACHE_SIZE)
    return environment


def tune_connections(recorder: Any, environment: dict[str, str]) -> None:
    """Bound the PostgreSQL pool's wait for a connection (the library's
    setting takes whole seconds only); set a SQLite file's `synchronous`
    mode on every connection of its pool, those open and those to come (the
    library has no setting for it, and SQLite keeps it per connection)."""
    pool = getattr(getattr(recorder, "datastore", None), "pool", None)
    if pool is None:
        return
    if hasattr(pool, "timeout"):
        pool.timeout = CONNECTION_WAIT_SECONDS
    mode = environment.get(SQLITE_SYNCHRONOUS)
    if mode is None:
        return
    pragma = f"PRAGMA synchronous={mode.upper()};"
    create = pool._create_connection

    def create_tuned() -> Any:
        connection = create()
        connection._sqlite_conn.execute(pragma)
        return connection

    pool._create_connection = create_tuned
    for connection in list(pool._pool):  # opened while the tables were made
        connection._sqlite_conn.execute(pragma)


def _sqlite_environment(parts: SplitResult) -> dict[str, str]:
    if parts.netloc:
        raise ValidationError.at(
            "database_url", "a SQLite URL has no host: sqlite:///file.db"
        )
    path = unquote(parts.path[1:])
    if not path:
        raise ValidationError.at("database_url", "a SQLite URL needs a file path")
    environment = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path}
    options = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(options) - {"synchronous"})
    if unknown:
        raise ValidationError.at(
            "database_url",
            f"unsupported option {unknown[0]!r} (supported: synchronous)",
        )
    mode = options.get("synchronous", ["normal"])[-1].lower()
    if mode not in SYNCHRONOUS_MODES:
        raise ValidationError.at(
            "database_url", f"synchronous must be normal or full, got {mode!r}"
        )
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        environment[SQLITE_SYNCHRONOUS] = mode
    return environment


def _postgres_environment(parts: SplitResult) -> dict[str, str]:
    dbname = unquote(parts.path.lstrip("/"))
    if not (parts.hostname and parts.username and dbname):
        raise ValidationError.at(
            "database_url", f"a PostgreSQL URL needs user, host, database: {SUPPORTED}"
        )
    environment = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": parts.hostname,
        "POSTGRES_PORT": str(_port(parts)),
        "POSTGRES_USER": unquote(parts.username),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
    }
    options = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(options) - {"schema"})
    if unknown:
        raise ValidationError.at(
            "database_url", f"unsupported option {unknown[0]!r} (supported: schema)"
        )
    if options.get("schema"):
        environment["POSTGRES_SCHEMA"] = options["schema"][-1]
    return environment


def _port(parts: SplitResult) -> int:
    try:
        return parts.port or 5432
    except ValueError:
        raise ValidationError.at("database_url", "the port must be a number") from None
