"""Idempotent commands: a retried request gets its first answer, appends nothing.

A request's key becomes a small aggregate (`Receipt`, id derived from the
key) saved in the same transaction as the events the request appended; so a
key is recorded if and only if its effect is, it survives restarts, and two
racing requests with one key cannot both append (the second insert of the
receipt's version 1 is refused by the database).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain import ValidationError

MAX_KEY_LENGTH = 255
KEY_NAMESPACE = uuid5(NAMESPACE_URL, "https://planforge/idempotency-key")


@dataclass(frozen=True)
class IdempotencyKey:
    """A client's key and a fingerprint of the request it was sent with (the
    caller decides what counts as "the same request", e.g. method, path, body,
    actor). `scope` (the principal) keeps one caller's keys apart from
    another's: the same key from two principals is two requests."""

    key: str
    fingerprint: str
    scope: str = ""

    def __post_init__(self) -> None:
        if not self.key.strip() or len(self.key) > MAX_KEY_LENGTH:
            raise ValidationError.at(
                "Idempotency-Key", f"must be 1..{MAX_KEY_LENGTH} visible characters"
            )

    @property
    def scoped_key(self) -> str:
        return f"{self.scope}\x00{self.key}" if self.scope else self.key

    @property
    def receipt_id(self) -> UUID:
        return Receipt.create_id(self.scoped_key)


class Receipt(Aggregate):
    """What a keyed request did: which project, at which version, and its
    result (e.g. a new plan id), so a retry can answer the same."""

    @staticmethod
    def create_id(key: str, **_: object) -> UUID:
        """The id is the key's: one receipt per key, ever."""
        return uuid5(KEY_NAMESPACE, key)

    class Recorded(Aggregate.Created):
        key: str
        fingerprint: str
        project_id: UUID
        version: int
        result: str | None

    @event(Recorded)
    def __init__(
        self,
        key: str,
        fingerprint: str,
        project_id: UUID,
        version: int,
        result: str | None,
    ) -> None:
        self.fingerprint = fingerprint
        self.project_id = project_id
        self.project_version = version
        self.result = result

    @classmethod
    def issue(
        cls, key: IdempotencyKey, project_id: UUID, version: int, result: str | None
    ) -> Receipt:
        """The receipt for `key`: what the request did."""
        return cls(
            key=key.scoped_key,
            fingerprint=key.fingerprint,
            project_id=project_id,
            version=version,
            result=result,
        )

    def check(self, key: IdempotencyKey) -> None:
        """Refuse a key reused for a different request."""
        if self.fingerprint != key.fingerprint:
            raise ValidationError.at(
                "Idempotency-Key",
                f"{key.key!r} was already used for a different request; "
                "use a new key for a new request",
            )
