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
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

LAUNCH = Path(__file__).resolve().parents[1] / "service" / "data" / "launch.json"
PROJECTS = 20
MAX_IN_FLIGHT = 256
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
    tasks = json.loads(LAUNCH.read_text())["tasks"]
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=64)
    async with httpx.AsyncClient(
        base_url=base_url, headers=headers, timeout=30, limits=limits
    ) as client:
        loop = asyncio.get_running_loop()
        started = loop.time()
        pending = []
        for number in range(int(rate * seconds)):
            due = started + number / rate
            await asyncio.sleep(max(0.0, due - loop.time()))
            kind = chooser.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
            project = chooser.choice(project_ids)
            task = chooser.choice(tasks)["id"]
            pending.append(
                asyncio.create_task(
                    one_request(client, figures, kind, project, task, due)
                )
            )
            figures.sent += 1
        await asyncio.gather(*pending)
        figures.seconds = loop.time() - started
    return figures


async def one_request(
    client: httpx.AsyncClient,
    figures: Figures,
    kind: str,
    project: str,
    task: str,
    due: float,
) -> None:
    url = f"/projects/{project}"
    try:
        if kind == "read":
            answer = await client.get(url)
        elif kind == "events":
            answer = await client.get(f"{url}/events", params={"limit": 100})
        else:
            answer = await client.patch(f"{url}/tasks/{task}", json={"notes": str(due)})
    except httpx.HTTPError as error:
        figures.errors.append(f"{kind}: {type(error).__name__}")
        return
    elapsed = (asyncio.get_running_loop().time() - due) * 1000
    if answer.status_code >= 300:
        figures.errors.append(f"{kind}: {answer.status_code} {answer.text[:100]}")
        figures.failed_answers += 1
    figures.latencies[kind].append(elapsed)


def measure(
    rate: float, seconds: float, data_dir: Path, postgres_url: str | None = None
) -> dict[str, Any]:
    """Serve (SQLite: one process; PostgreSQL: two workers), load, report."""
    workers = 1 if postgres_url is None else 2
    with planforge_serve(data_dir, postgres_url, workers) as (base_url, token, pid):
        project_ids = make_projects(base_url, token)
        used = cpu_seconds(pid)
        # Its own thread and event loop: the caller may be inside one (pytest).
        load = offer_load(base_url, token, project_ids, rate, seconds)
        with ThreadPoolExecutor(1) as runner:
            figures = runner.submit(asyncio.run, load).result()
        used = cpu_seconds(pid) - used
    backend = "sqlite, 1 process" if postgres_url is None else "postgresql, 2 workers"
    return {
        "backend": backend,
        "offered_rate": rate,
        "server_cpu_ms_per_request": round(1000 * used / max(1, figures.sent), 2),
        **figures.summary(),
    }


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
