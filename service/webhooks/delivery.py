"""The deliverer: reads the event log from a durable checkpoint and sends
each subscribed event, signed as the Standard Webhooks specification says.

At least once, in order per project: a recorded event first becomes one
pending delivery per subscription that wants it (a document, written before
the checkpoint moves past the event, so a SIGKILL between the commit and the
delivery loses nothing: the next start re-reads from the checkpoint and
skips deliveries already made). Only the oldest pending delivery of a
(subscription, project) is tried; later ones wait behind it.

Retries: after a failed attempt the next comes after `schedule[n]` seconds
(n = attempts so far), each wait scaled by a random factor in [0.8, 1.2]
(jitter). The default schedule (Standard Webhooks' suggestion) is 5 s, 5 min,
30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about 27.6 hours. When it
is exhausted the delivery is `failed` and its subscription is disabled
(failing for more than a day). Every attempt is logged on the delivery.
Runs in its own thread: no request waits for it. It looks at the log every
`poll_seconds` and at once after each write request this process answers
(`wake`, from `service.api.app`).
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
from standardwebhooks.webhooks import Webhook

from domain import NotFound, ValidationError
from eventstore import AuditQuery, ProjectStore
from service.views import JSON
from service.webhooks.events import webhook_events
from service.webhooks.subscriptions import Subscriptions, check_target, wants

CHECKPOINT = "webhooks"
DELIVERY = "delivery"
PENDING = "delivery-pending"
DEFAULT_SCHEDULE = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)


class Deliverer:
    """Turns recorded events into deliveries and sends the due ones."""

    def __init__(
        self,
        store: ProjectStore,
        subscriptions: Subscriptions,
        schedule: Sequence[float] = DEFAULT_SCHEDULE,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._documents = store.documents
        self._subscriptions = subscriptions
        self._schedule = tuple(schedule)
        self._timeout = timeout
        self._clock = clock
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._listened = True  # whether the last look found subscriptions

    # -- the loop ---------------------------------------------------------------

    def start(self, poll_seconds: float = 0.1) -> None:
        self._thread = threading.Thread(
            target=self._loop, args=(poll_seconds,), name="webhooks", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _loop(self, poll_seconds: float) -> None:
        while not self._stop.is_set():
            try:
                self.enqueue_new()
                self.send_due()
            except Exception:
                pass
            self._wake.wait(poll_seconds)
            self._wake.clear()

    def wake(self) -> None:
        """Look at the log now rather than at the next poll (this process has
        just recorded something); writers elsewhere are seen by polling. Not
        while the last look found no subscription: then a write wants no
        delivery, and a subscription made since is seen by the next poll."""
        if self._listened:
            self._wake.set()

    # -- from the log to deliveries ---------------------------------------------

    def enqueue_new(self) -> None:
        """Pending deliveries for events recorded since the checkpoint. With
        no subscription at all, nothing recorded so far is wanted by anyone:
        the checkpoint moves to the log's end, no event read (the end is read
        before the subscriptions, so no event recorded after a subscription
        was made is passed over)."""
        checkpoints = self._store.checkpoints
        position = checkpoints.position(CHECKPOINT)
        end = self._store.log_end()
        subscriptions = self._subscriptions.all()
        self._listened = bool(subscriptions)
        if subscriptions:
            query = AuditQuery(after=position, limit=500)
            entries, reached = self._store.all_events(query)
        else:
            entries, reached = [], end
        for entry in entries:
            for index, event in enumerate(webhook_events(entry)):
                for subscription in subscriptions:
                    if wants(subscription, event):
                        key = f"{entry.position:012d}.{index}.{subscription['id']}"
                        self._enqueue(key, subscription, event)
        if reached > position:
            checkpoints.save(CHECKPOINT, reached, "{}")

    def enqueue_test(self, subscription: JSON) -> JSON:
        """A `webhook.test` event for one subscription, sent at once."""
        event = {
            "type": "webhook.test",
            "id": f"evt_test_{uuid4().hex}",
            "timestamp": datetime.now(UTC).isoformat(),
            "project_id": None,
            "version": None,
            "data": {"subscription_id": subscription["id"]},
        }
        key = f"{int(self._clock() * 1000):012d}.test.{subscription['id']}"
        return self._enqueue(key, subscription, event)

    def _enqueue(self, key: str, subscription: JSON, event: JSON) -> JSON:
        existing = self._documents.get(DELIVERY, key)
        if existing is not None:  # enqueued before a restart: keep its history
            return existing
        delivery: JSON = {
            "id": key,
            "subscription_id": subscription["id"],
            "event": event,
            "status": "pending",
            "attempts": [],
            "next_attempt_at": self._clock(),
        }
        self._documents.put(DELIVERY, key, delivery)
        self._documents.put(PENDING, key, {"id": key})
        return delivery

    # -- sending -----------------------------------------------------------------

    def send_due(self) -> None:
        """Try the oldest pending delivery of each (subscription, project)."""
        heads: dict[tuple[str, Any], JSON] = {}
        for pending in self._documents.all(PENDING):  # in log order
            delivery = self._documents.get(DELIVERY, pending["id"])
            if delivery is None or delivery["status"] != "pending":
                self._documents.delete(PENDING, pending["id"])
                continue
            lane = (delivery["subscription_id"], delivery["event"]["project_id"])
            heads.setdefault(lane, delivery)
        for delivery in heads.values():
            if delivery["next_attempt_at"] <= self._clock():
                self.attempt(delivery)

    def attempt(self, delivery: JSON) -> JSON:
        """One signed POST; the outcome is logged on the delivery."""
        try:
            subscription = self._subscriptions.get(UUID(delivery["subscription_id"]))
        except NotFound:
            return self._finish(delivery, "failed")
        if not subscription["enabled"]:
            return self._finish(delivery, "failed")
        outcome = self._post(subscription, delivery["event"])
        delivery["attempts"].append(outcome)
        if outcome["status_code"] is not None and 200 <= outcome["status_code"] < 300:
            return self._finish(delivery, "delivered")
        failures = len(delivery["attempts"])
        if failures > len(self._schedule):
            self._subscriptions.disable(
                subscription, f"delivery {delivery['id']} failed {failures} times"
            )
            return self._finish(delivery, "failed")
        wait = self._schedule[failures - 1] * random.uniform(0.8, 1.2)
        delivery["next_attempt_at"] = self._clock() + wait
        self._documents.put(DELIVERY, delivery["id"], delivery)
        return delivery

    def _post(self, subscription: JSON, event: JSON) -> JSON:
        body = json.dumps(event, separators=(",", ":"))
        sent = datetime.now(UTC)
        started = time.perf_counter()
        outcome: JSON = {"at": sent.isoformat(), "status_code": None, "error": None}
        try:
            check_target(subscription["url"], self._subscriptions.allow_private)
            signature = Webhook(subscription["secret"]).sign(event["id"], sent, body)
            answer = httpx.post(
                subscription["url"],
                content=body,
                headers={
                    "content-type": "application/json",
                    "webhook-id": event["id"],
                    "webhook-timestamp": str(int(sent.timestamp())),
                    "webhook-signature": signature,
                },
                timeout=self._timeout,
                follow_redirects=False,
            )
            outcome["status_code"] = answer.status_code
        except (httpx.HTTPError, ValidationError) as error:
            outcome["error"] = f"{type(error).__name__}: {error}"
        outcome["seconds"] = round(time.perf_counter() - started, 4)
        return outcome

    def _finish(self, delivery: JSON, status: str) -> JSON:
        delivery["status"] = status
        delivery["next_attempt_at"] = None
        self._documents.put(DELIVERY, delivery["id"], delivery)
        self._documents.delete(PENDING, delivery["id"])
        return delivery

    # -- reading and re-sending ----------------------------------------------------

    def deliveries(self, subscription_id: UUID) -> list[JSON]:
        return [
            d
            for d in self._documents.all(DELIVERY)
            if d["subscription_id"] == str(subscription_id)
        ]

    def resend(self, subscription_id: UUID, delivery_id: str) -> JSON:
        """Queue a delivery again (its attempt history is kept)."""
        delivery = self._documents.get(DELIVERY, delivery_id)
        if delivery is None or delivery["subscription_id"] != str(subscription_id):
            raise NotFound(f"delivery {delivery_id} not found")
        delivery = {**delivery, "status": "pending", "next_attempt_at": self._clock()}
        self._documents.put(DELIVERY, delivery_id, delivery)
        self._documents.put(PENDING, delivery_id, {"id": delivery_id})
        return delivery
