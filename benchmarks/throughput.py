"""Throughput on loopback: a real `planforge serve` under an open-loop mix.

The mix: 40 % GET /projects/{id}, 30 % GET /projects/{id}/events?limit=100,
30 % PATCH of a task (blind, so writers race), over PROJECTS copies of the
45-task launch. Requests are sent on a fixed schedule (RATE per second for
SECONDS, whatever the answers do), and each latency counts from the moment
its request was due, so a server falling behind shows in the figures instead
of slowing the client down (no coordinated omission). The server is one
process on SQLite, or `--workers 2` on PostgreSQL (`planforge migrate` first).

    python -m benchmarks.throughput --rate 200 --seconds 60 [--postgres URL]

prints the figures as JSON, with the machine's load average.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import httptools
import httpx
import uvloop

LAUNCH = Path(__file__).resolve().parents[1] / "service" / "data" / "launch.json"
PROJECTS = 20
MAX_IN_FLIGHT = 256
IDLE = 2.0  # seconds a client keeps an idle connection (uvicorn closes at 5)
MIX = (("read", 0.4), ("events", 0.3), ("patch", 0.3))


@dataclass
class Figures:
    """Latencies (ms) by kind of request, and every failed answer."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    failed_answers: int = 0  # answered with an error status (not a timeout)
    sent: int = 0
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        everything = sorted(x for kind in self.latencies.values() for x in kind)
        return {
            "sent": self.sent,
            "rate": round(self.sent / self.seconds, 1) if self.seconds else 0,
            "errors": len(self.errors),
            "failed_answers": self.failed_answers,
            "first_errors": self.errors[:5],
            "p50_ms": percentile(everything, 0.50),
            "p99_ms": percentile(everything, 0.99),
            "max_ms": round(everything[-1], 1) if everything else None,
            "p99_ms_by_kind": {
                kind: percentile(sorted(values), 0.99)
                for kind, values in self.latencies.items()
            },
            "load_average": os.getloadavg(),
        }


def percentile(ordered: list[float], share: float) -> float | None:
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its children (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


@contextmanager
def planforge_serve(
    data_dir: Path, postgres_url: str | None = None, workers: int = 1
) -> Iterator[tuple[str, str, int]]:
    """A `planforge serve` process, an admin token for it, and its pid."""
    from tests.live_server import free_port

    environment = {**os.environ, "PLANFORGE_DATA_DIR": str(data_dir)}
    environment.pop("PLANFORGE_DATABASE_URL", None)
    planforge = [sys.executable, "-m", "service.cli"]
    if postgres_url is not None:
        environment["PLANFORGE_DATABASE_URL"] = postgres_url
        migrate = [*planforge, "migrate"]
        subprocess.run(migrate, env=environment, check=True, capture_output=True)
        environment["PLANFORGE_CREATE_TABLES"] = "false"
    token = [*planforge, "token", "create", f"load-{time.time_ns()}", "--role", "admin"]
    secret = subprocess.run(
        token, env=environment, check=True, capture_output=True, text=True
    ).stdout.strip()
    port = free_port()
    serve = [*planforge, "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(serve, env=environment, stdout=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url)
        yield base_url, secret, server.pid
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_up(base_url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base_url} did not come up")


def make_projects(base_url: str, token: str, count: int = PROJECTS) -> list[str]:
    document = json.loads(LAUNCH.read_text())
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        return [
            client.post("/projects", json=document).json()["id"] for _ in range(count)
        ]


async def offer_load(
    base_url: str, token: str, project_ids: list[str], rate: float, seconds: float
) -> Figures:
    """Send `rate` requests a second for `seconds`, on schedule; wait for all."""
    figures = Figures(latencies={kind: [] for kind, _ in MIX})
    chooser = random.Random(12)
    tasks = [task["id"] for task in json.loads(LAUNCH.read_text())["tasks"]]
    pool = ConnectionPool(base_url, token)
    loop = asyncio.get_running_loop()
    started = loop.time()
    pending = []
    for number in range(int(rate * seconds)):
        due = started + number / rate
        await asyncio.sleep(max(0.0, due - loop.time()))
        kind = chooser.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
        request = pool.request_for(kind, chooser.choice(project_ids), tasks, chooser)
        pending.append(
            asyncio.create_task(one_request(pool, figures, kind, request, due))
        )
        figures.sent += 1
    await asyncio.gather(*pending)
    figures.seconds = loop.time() - started
    pool.close()
    return figures


async def one_request(
    pool: ConnectionPool, figures: Figures, kind: str, request: bytes, due: float
) -> None:
    try:
        status, body = await pool.send(request)
    except (OSError, ConnectionError, httptools.HttpParserError) as error:
        figures.errors.append(f"{kind}: {type(error).__name__} {error}")
        return
    elapsed = (asyncio.get_running_loop().time() - due) * 1000
    if status >= 300:
        figures.errors.append(f"{kind}: {status} {body[:100]!r}")
        figures.failed_answers += 1
    figures.latencies[kind].append(elapsed)


class ConnectionPool:
    """Keep-alive HTTP/1.1 connections to the server, at most MAX_IN_FLIGHT,
    one request at a time each. Requests are prebuilt bytes and answers are
    parsed by httptools (C), so the client costs a small fraction of what
    the server spends: it shares the machine's two cores with it."""

    def __init__(self, base_url: str, token: str) -> None:
        address = base_url.removeprefix("http://")
        self._host, port = address.rsplit(":", 1)
        self._port = int(port)
        self._head = f"Host: {address}\r\nAuthorization: Bearer {token}\r\n"
        self._idle: list[Connection] = []
        self._open: list[Connection] = []
        self._slots = asyncio.Semaphore(MAX_IN_FLIGHT)

    def request_for(
        self, kind: str, project: str, tasks: list[str], chooser: random.Random
    ) -> bytes:
        url = f"/projects/{project}"
        if kind == "read":
            return self._build("GET", url)
        if kind == "events":
            return self._build("GET", f"{url}/events?limit=100")
        body = json.dumps({"notes": str(chooser.random())}).encode()
        return self._build("PATCH", f"{url}/tasks/{chooser.choice(tasks)}", body)

    def _build(self, method: str, target: str, body: bytes = b"") -> bytes:
        head = f"{method} {target} HTTP/1.1\r\n{self._head}"
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        return (head + "\r\n").encode() + body

    async def send(self, request: bytes) -> tuple[int, bytes]:
        async with self._slots:
            connection = self._fresh_idle() or await self._connect()
            try:
                answer = await connection.exchange(request)
            except BaseException:
                connection.close()
                raise
            if connection.reusable:
                connection.idle_since = time.monotonic()
                self._idle.append(connection)
            return answer

    def _fresh_idle(self) -> Connection | None:
        """The most recently used idle connection, closing those idle long
        enough that the server may be closing them as we send (its keep-alive
        timeout, 5 s for uvicorn): a request on one would be reset unread."""
        while self._idle:
            connection = self._idle.pop()
            if connection.reusable and time.monotonic() - connection.idle_since < IDLE:
                return connection
            connection.close()
        return None

    async def _connect(self) -> Connection:
        loop = asyncio.get_running_loop()
        _, connection = await loop.create_connection(Connection, self._host, self._port)
        self._open.append(connection)
        return connection

    def close(self) -> None:
        for connection in self._open:
            connection.close()


class Connection(asyncio.Protocol):
    """One HTTP/1.1 connection: send a request, wait for its whole answer."""

    def __init__(self) -> None:
        self._transport: asyncio.Transport | None = None
        self._parser = httptools.HttpResponseParser(self)
        self._answer: asyncio.Future[tuple[int, bytes]] | None = None
        self._body = bytearray()
        self.reusable = True
        self.idle_since = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's own class

    def exchange(self, request: bytes) -> asyncio.Future[tuple[int, bytes]]:
        assert self._transport is not None
        assert self._answer is None
        self._answer = asyncio.get_running_loop().create_future()
        self._body.clear()
        self._transport.write(request)
        return self._answer

    def data_received(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as error:
            self._finish(error)

    def on_body(self, body: bytes) -> None:
        if len(self._body) < 200:  # enough to report an error
            self._body += body

    def on_message_complete(self) -> None:
        self.reusable = self._parser.should_keep_alive()
        self._finish((self._parser.get_status_code(), bytes(self._body)))

    def connection_lost(self, error: Exception | None) -> None:
        self.reusable = False
        self._finish(error or ConnectionError("the server closed the connection"))

    def _finish(self, outcome: tuple[int, bytes] | BaseException) -> None:
        answer, self._answer = self._answer, None
        if answer is None or answer.done():
            return
        if isinstance(outcome, BaseException):
            self.reusable = False
            answer.set_exception(outcome)
        else:
            answer.set_result(outcome)

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()


def measure(
    rate: float, seconds: float, data_dir: Path, postgres_url: str | None = None
) -> dict[str, Any]:
    """Serve (SQLite: one process; PostgreSQL: two workers), load, report."""
    workers = 1 if postgres_url is None else 2
    with planforge_serve(data_dir, postgres_url, workers) as (base_url, token, pid):
        project_ids = make_projects(base_url, token)
        used, own = cpu_seconds(pid), time.process_time()
        # Its own thread and event loop: the caller may be inside one (pytest).
        load = offer_load(base_url, token, project_ids, rate, seconds)
        with ThreadPoolExecutor(1) as runner:
            figures = runner.submit(run_on_uvloop, load).result()
        used, own = cpu_seconds(pid) - used, time.process_time() - own
    backend = "sqlite, 1 process" if postgres_url is None else "postgresql, 2 workers"
    return {
        "backend": backend,
        "offered_rate": rate,
        "server_cpu_ms_per_request": round(1000 * used / max(1, figures.sent), 2),
        "client_cpu_ms_per_request": round(1000 * own / max(1, figures.sent), 2),
        **figures.summary(),
    }


def run_on_uvloop(load: Coroutine[Any, Any, Figures]) -> Figures:
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(load)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL URL")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="planforge-load-") as data_dir:
        result = measure(args.rate, args.seconds, Path(data_dir), args.postgres)
    print(json.dumps(result, indent=2))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
