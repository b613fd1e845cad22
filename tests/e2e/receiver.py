"""A webhook receiver on loopback that verifies every signature (Standard
Webhooks, with the `standardwebhooks` package) and can fail on purpose."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


class Receiver:
    """What arrived: verified events (with arrival time) and refusals."""

    def __init__(self, failures: int) -> None:
        self.secret: str | None = None
        self.failures_left = failures
        self.events: list[dict[str, Any]] = []
        self.arrivals: list[float] = []
        self.bad_signatures = 0
        self.refused = 0
        self.lock = threading.Lock()

    def handle(self, body: bytes, headers: dict[str, str]) -> int:
        with self.lock:
            try:
                assert self.secret is not None
                event = Webhook(self.secret).verify(body, headers)
            except (WebhookVerificationError, AssertionError):
                self.bad_signatures += 1
                return 401
            if self.failures_left > 0:
                self.failures_left -= 1
                self.refused += 1
                return 500
            self.events.append(event)
            self.arrivals.append(time.perf_counter())
            return 204

    def types(self) -> list[str]:
        with self.lock:
            return [event["type"] for event in self.events]


@contextmanager
def receiving(failures: int = 0) -> Iterator[tuple[str, Receiver]]:
    receiver = Receiver(failures)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            status = receiver.handle(
                body, {k.lower(): v for k, v in self.headers.items()}
            )
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", receiver
    finally:
        server.shutdown()
        server.server_close()
