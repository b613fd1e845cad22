"""Integration fixtures: the event-store backends the contract tests run on.

SQLite (a file under tmp_path) always; PostgreSQL when PLANFORGE_TEST_POSTGRES_URL
names a database the test role owns. Each PostgreSQL test gets a fresh schema,
dropped afterwards, so runs are repeatable and may share one database.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from eventstore import ProjectStore

POSTGRES_URL_VARIABLE = "PLANFORGE_TEST_POSTGRES_URL"
POSTGRES_SKIP_REASON = "set PLANFORGE_TEST_POSTGRES_URL to run against PostgreSQL"


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def event_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL for a fresh, empty event store on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/data/planforge.db"
        return
    base_url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not base_url:
        pytest.skip(POSTGRES_SKIP_REASON)
    yield from _fresh_postgres_schema(base_url)


def _fresh_postgres_schema(base_url: str) -> Iterator[str]:
    import psycopg  # only needed when PostgreSQL tests run

    schema = f"planforge_test_{uuid4().hex[:12]}"
    with psycopg.connect(base_url, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{separator}schema={schema}"
    finally:
        with psycopg.connect(base_url, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


Opener = Callable[..., ProjectStore]


@pytest.fixture
def open_store(event_store_url: str) -> Iterator[Opener]:
    """Opens stores on the backend's URL (one per simulated process); closes all."""
    stores: list[ProjectStore] = []

    def opener(**options: bool) -> ProjectStore:
        stores.append(ProjectStore(event_store_url, **options))
        return stores[-1]

    yield opener
    for store in stores:
        store.close()
