"""`planforge serve` in its own process (and process group), for tests that
need a real server process: to measure it, or to SIGKILL and restart it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.live_server import free_port


@contextmanager
def planforge_serve(
    data_dir: Path, **settings: str
) -> Iterator[tuple[str, str, subprocess.Popen[bytes]]]:
    """A `planforge serve` process over `data_dir` (`settings` as
    PLANFORGE_ variables), an admin token for it, and the process."""
    port = free_port()
    environment = {**os.environ, "PLANFORGE_DATA_DIR": str(data_dir)}
    environment.pop("PLANFORGE_DATABASE_URL", None)  # unless `database_url`
    environment.update({f"PLANFORGE_{k.upper()}": v for k, v in settings.items()})
    planforge = [sys.executable, "-m", "service.cli"]
    token = [*planforge, "token", "create", f"admin-{port}", "--role", "admin"]
    secret = subprocess.run(
        token, env=environment, check=True, capture_output=True, text=True
    ).stdout.strip()
    command = [*planforge, "serve", "--port", str(port)]
    # its own process group: the forkserver and the workers go with it
    server = subprocess.Popen(command, env=environment, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "planforge serve did not start"
            time.sleep(0.2)
        yield url, secret, server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
