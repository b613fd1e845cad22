"""Reading and changing the `AccessRegistry` of a store.

Every authenticated request reads the registry, so it is kept in memory and
refreshed only when the database holds a newer event of it (one indexed read
per request; several processes stay in step). Changes retry on a version
conflict: two admins granting at once both succeed, neither overwrites.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from eventstore.access import REGISTRY_ID, AccessRegistry
from eventstore.application import ProjectApplication

WRITE_ATTEMPTS = 20


class AccessStore:
    """The registry of tokens, grants and sessions, cached and kept current."""

    def __init__(self, application: ProjectApplication) -> None:
        self._app = application
        self._lock = threading.Lock()
        self._registry: AccessRegistry | None = None
        self._digests: dict[str, str] = {}

    def current(self) -> AccessRegistry:
        """The registry as last recorded (empty before the first change)."""
        with self._lock:
            known = 0 if self._registry is None else self._registry.version
            stale = self._registry is None or any(
                True for _ in self._app.events.get(REGISTRY_ID, gt=known, limit=1)
            )
            if stale:
                self._registry = self._load()
                self._digests = self._registry.digests()
            assert self._registry is not None
            return self._registry

    def token_name(self, digest: str) -> str | None:
        """The live token whose secret has this digest, if any."""
        self.current()
        return self._digests.get(digest)

    def change(self, command: Callable[[AccessRegistry], None]) -> AccessRegistry:
        """Load, run `command`, save; again on a concurrent write."""
        for _ in range(WRITE_ATTEMPTS):
            registry = self._load()
            command(registry)
            try:
                self._app.save(registry)
            except IntegrityError:
                continue
            return registry
        raise RuntimeError(f"access registry still contended after {WRITE_ATTEMPTS}")

    def _load(self) -> AccessRegistry:
        try:
            registry: object = self._app.repository.get(REGISTRY_ID)
        except AggregateNotFoundError:
            return AccessRegistry()
        assert isinstance(registry, AccessRegistry)
        return registry
