"""Webhook subscriptions: where to send which events, with which secret.

Kept as documents (kind "webhook"). The secret (`whsec_<base64>`, 32 random
bytes) is shown once, when the subscription is made; listings never carry
it. Targets are checked against server-side request forgery: link-local and
cloud-metadata addresses are always refused; loopback and private ones are
allowed unless the settings refuse them.
"""

from __future__ import annotations

import base64
import ipaddress
import secrets
import socket
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID, uuid4

from domain import NotFound, Problem, ValidationError
from eventstore.documents import Documents
from service.views import JSON
from service.webhooks.events import EVENT_TYPES

KIND = "webhook"
METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
    ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
}


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def check_target(url: str, allow_private: bool, field: str = "url") -> None:
    """Refuse URLs that are not http(s) or that resolve to link-local, cloud
    metadata or (unless allowed) loopback and private addresses."""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises for a port out of range or not a number
    except ValueError as error:  # e.g. "Invalid IPv6 URL"
        raise ValidationError.at(field, f"not a valid URL ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError.at(field, "must be an http or https URL with a host")
    try:
        infos = socket.getaddrinfo(parts.hostname, port or 443)
    except (socket.gaierror, UnicodeError):
        message = f"host {parts.hostname!r} does not resolve"
        raise ValidationError.at(field, message) from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address in METADATA_ADDRESSES or address.is_link_local:
            raise ValidationError.at(
                field, f"{address} is link-local or cloud metadata: refused"
            )
        local = address.is_loopback or address.is_private or address.is_unspecified
        if local and not allow_private:
            raise ValidationError.at(
                field, f"{address} is loopback or private: refused by the settings"
            )


class Subscriptions:
    """Create, read and remove subscriptions; mark them disabled."""

    def __init__(self, documents: Documents, allow_private: bool) -> None:
        self._documents = documents
        self._allow_private = allow_private

    def create(
        self,
        url: str,
        events: Sequence[str],
        project_id: UUID | None,
        description: str | None,
        created_by: str,
    ) -> JSON:
        """The new subscription, with its secret (the only time it is shown)."""
        unknown = sorted(set(events) - set(EVENT_TYPES))
        problems = [
            Problem("events", f"unknown event type {name!r}") for name in unknown
        ]
        if not events:
            problems.append(Problem("events", "name at least one event type"))
        if problems:
            raise ValidationError(problems)
        check_target(url, self._allow_private)
        subscription: JSON = {
            "id": str(uuid4()),
            "url": url,
            "events": sorted(set(events)),
            "project_id": None if project_id is None else str(project_id),
            "description": description,
            "enabled": True,
            "disabled_reason": None,
            "created_at": datetime.now(UTC).isoformat(),
            "created_by": created_by,
            "secret": new_secret(),
        }
        self._documents.put(KIND, subscription["id"], subscription)
        return subscription

    def get(self, subscription_id: UUID) -> JSON:
        found = self._documents.get(KIND, str(subscription_id))
        if found is None:
            raise NotFound(f"webhook {subscription_id} not found")
        return found

    def all(self) -> list[JSON]:
        return self._documents.all(KIND)

    def delete(self, subscription_id: UUID) -> None:
        if not self._documents.delete(KIND, str(subscription_id)):
            raise NotFound(f"webhook {subscription_id} not found")

    def disable(self, subscription: JSON, reason: str) -> None:
        current = self._documents.get(KIND, subscription["id"])
        if current is not None:
            self._documents.put(
                KIND,
                current["id"],
                {**current, "enabled": False, "disabled_reason": reason},
            )

    @property
    def allow_private(self) -> bool:
        return self._allow_private


def public(subscription: JSON) -> JSON:
    """The subscription without its secret."""
    return {key: value for key, value in subscription.items() if key != "secret"}


def wants(subscription: JSON, event: dict[str, Any]) -> bool:
    project = subscription.get("project_id")
    return (
        bool(subscription.get("enabled"))
        and event["type"] in subscription["events"]
        and (project is None or project == event["project_id"])
    )
