"""schemathesis hooks (`SCHEMATHESIS_HOOKS`) for tests/e2e/test_schemathesis.py:
values the schema cannot rule out because they depend on the service's state
or on another parameter are made valid before a schema-valid request is
sent, so `positive_data_acceptance` holds the service to everything else.

- `Idempotency-Key` and a token's `name` must be new: a key sent again with
  another request is refused (422, as the IETF idempotency-key draft says), a
  taken token name too; each request gets a fresh one (schemathesis' own tip:
  "a `before_call` hook can give unique fields fresh values").
- `version` and `as_of` name one point of a project's history: not both.
- a page cursor must be one the service handed out (`PLANFORGE_ST_CURSOR`,
  taken from a listing when the run starts).
- a webhook target's host must resolve: the generated URL is kept but its
  host is the loopback address.

Negative cases are sent as generated.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import schemathesis


def positive(case: Any) -> bool:
    meta = case.meta
    return meta is None or meta.generation.mode.is_positive


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    if not positive(case):
        return
    method, path = case.operation.method.upper(), case.operation.path
    headers = case.headers or {}
    for name in list(headers):
        if name.lower() == "idempotency-key":
            headers[name] = str(uuid4())
    query = case.query or {}
    if query.get("version") is not None and query.get("as_of") is not None:
        del query["as_of"]
    if query.get("cursor") is not None:
        query["cursor"] = os.environ["PLANFORGE_ST_CURSOR"]
    body = case.body
    if not isinstance(body, dict):
        return
    if (method, path) == ("POST", "/tokens") and isinstance(body.get("name"), str):
        body["name"] = f"{body['name'][:40]}-{uuid4().hex[:12]}"
    elif (method, path) == ("POST", "/webhooks") and isinstance(body.get("url"), str):
        body["url"] = on_loopback(body["url"])


def on_loopback(url: str) -> str:
    """`url` with its host (and port, if unreadable) replaced by loopback."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port out of range, a broken IPv6 literal
        return "http://127.0.0.1/"
    netloc = "127.0.0.1" if port is None else f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=netloc))
