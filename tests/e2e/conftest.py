"""A real uvicorn server on a loopback port, over a fresh SQLite store.

`client` is signed in as an organisation admin (token `test-admin`), so a
test that is not about access needs nothing more. `client_as(role,
project_id=None)` gives a client signed in with a fresh token of that role,
organisation-wide or on one project; `tokens` issues bare tokens.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from domain.access import Role
from service.api.app import create_app, worker_pool
from service.settings import Settings
from service.usecases import Planforge
from tests.live_server import serving as serve_app

ADMIN = "test-admin"
TokenMaker = Callable[..., str]
ClientMaker = Callable[..., httpx.Client]


@contextmanager
def serving(settings: Settings) -> Iterator[tuple[str, Planforge]]:
    """A uvicorn server (in a thread) for these settings: URL and Planforge."""
    planforge = Planforge(settings, runner=worker_pool(settings))
    try:
        with serve_app(create_app(settings, planforge)) as url:
            yield url, planforge
    finally:
        planforge.store.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Planforge]]:
    """The server's base URL and the Planforge behind it."""
    data_dir: Path = tmp_path_factory.mktemp("planforge")
    settings = Settings(data_dir=data_dir, database_url=None, default_time_limit=5)
    with serving(settings) as server:
        yield server


@pytest.fixture(scope="module")
def base_url(served: tuple[str, Planforge]) -> str:
    return served[0]


_names = itertools.count()


@pytest.fixture(scope="module")
def tokens(served: tuple[str, Planforge]) -> TokenMaker:
    """`tokens(role, project_id=None, name=None)`: a new token's secret."""
    planforge = served[1]

    def make(
        role: str | Role, project_id: str | None = None, name: str | None = None
    ) -> str:
        role = role if isinstance(role, Role) else Role.parse(role)
        name = name or f"{role.label}-{next(_names)}"
        return planforge.access.issue_token(name, role, project_id, "test-setup")

    return make


@pytest.fixture(scope="module")
def admin_token(tokens: TokenMaker) -> str:
    return tokens(Role.ADMIN, name=ADMIN)


@pytest.fixture
def client_as(base_url: str, tokens: TokenMaker) -> Iterator[ClientMaker]:
    """`client_as(role, project_id=None)`: a client signed in with that role."""
    opened: list[httpx.Client] = []

    def make(role: str | Role, project_id: str | None = None) -> httpx.Client:
        secret = tokens(role, project_id)
        headers = {"Authorization": f"Bearer {secret}"}
        opened.append(httpx.Client(base_url=base_url, timeout=60, headers=headers))
        return opened[-1]

    yield make
    for http in opened:
        http.close()


@pytest.fixture
def client(base_url: str, admin_token: str) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {admin_token}"}
    with httpx.Client(base_url=base_url, timeout=60, headers=headers) as http:
        yield http
