"""Reading and changing the `AccessRegistry` of a store.

Every authenticated request reads the registry, so it is kept in memory and
refreshed only when the database holds a newer event of it: one indexed read
of the registry's head version per request, made without holding the lock
(so requests never queue behind one another's round trip), so a token revoked
by another process is refused by the next request here. Changes retry on a
version conflict: two admins granting at once both succeed, neither overwrites.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from eventstore.access import REGISTRY_ID, AccessRegistry
from eventstore.application import ProjectApplication

WRITE_ATTEMPTS = 20


@dataclass(frozen=True)
class Known:
    """The registry as last read here, with its token index (never changed:
    a newer registry replaces it whole)."""

    registry: AccessRegistry
    digests: dict[str, str] = field(default_factory=dict)

    @property
    def version(self) -> int:
        return self.registry.version if self.registry.version is not None else 0


class AccessStore:
    """The registry of tokens, grants and sessions, cached and kept current."""

    def __init__(self, application: ProjectApplication) -> None:
        self._app = application
        self._lock = threading.Lock()
        self._known: Known | None = None

    def current(self) -> AccessRegistry:
        """The registry as last recorded (empty before the first change)."""
        return self.known().registry

    def known(self) -> Known:
        """The registry and its token index, at least as new as the
        database's when this was called."""
        known = self._known
        head = self._app.head_version(REGISTRY_ID) or 0
        if known is not None and known.version >= head:
            return known
        with self._lock:  # one reload, however many requests saw it stale
            known = self._known
            if known is None or known.version < head:
                registry = self._load()
                known = self._known = Known(registry, registry.digests())
            return known

    def token_name(self, digest: str) -> str | None:
        """The live token whose secret has this digest, if any."""
        return self.known().digests.get(digest)

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
