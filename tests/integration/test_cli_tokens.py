"""`planforge token create|list|revoke` on a SQLite store, in process."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain import Unauthenticated
from service.cli import main
from service.settings import Settings
from service.usecases import Planforge


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/planforge.db"
    monkeypatch.setenv("PLANFORGE_DATABASE_URL", url)
    return url


def test_create_prints_the_token_alone_and_it_signs_in(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token", "create", "first-admin", "--role", "admin"]) == 0
    secret = capsys.readouterr().out
    assert secret.startswith("pf_")
    assert secret.count("\n") == 1
    planforge = Planforge(Settings(database_url=store_url))
    principal = planforge.access.authenticate(secret.strip())
    assert principal.name == "first-admin"
    assert principal.organisation_role is not None
    assert principal.organisation_role.label == "admin"
    stored = Path(store_url.removeprefix("sqlite:///")).read_bytes()
    assert secret.strip().encode() not in stored  # only the digest is kept
    planforge.store.close()


def test_list_and_revoke(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["token", "create", "viewer-bot", "--role", "viewer"])
    secret = capsys.readouterr().out.strip()
    assert main(["token", "list"]) == 0
    assert "viewer-bot\tviewer\torganisation\tissued by planforge-cli" in (
        capsys.readouterr().out
    )
    assert main(["token", "revoke", "viewer-bot"]) == 0
    assert main(["token", "revoke", "viewer-bot"]) == 2  # no such token
    planforge = Planforge(Settings(database_url=store_url))
    with pytest.raises(Unauthenticated):
        planforge.access.authenticate(secret)
    planforge.store.close()


def test_a_project_token_needs_an_existing_project(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["token", "create", "x", "--role", "viewer", "--project", "not-an-id"])
    assert code == 2
    assert "--project" in capsys.readouterr().err


def test_serve_on_a_fresh_store_says_how_to_make_the_first_token(
    tmp_path: Path,
) -> None:
    import os
    import subprocess
    import sys

    from tests.live_server import free_port

    environment = {**os.environ, "PLANFORGE_DATA_DIR": str(tmp_path)}
    environment.pop("PLANFORGE_DATABASE_URL", None)
    port = str(free_port())
    server = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", port],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(3)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "planforge token create NAME --role admin" in "".join(lines)
