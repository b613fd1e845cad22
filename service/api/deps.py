"""Dependency aliases shared by the routers."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import Depends, Header, Request

from domain import ValidationError
from domain.limits import MAX_VERSION
from eventstore import IdempotencyKey
from service.api.security import PrincipalDep
from service.usecases import Planforge, Write


async def get_planforge(request: Request) -> Planforge:
    planforge: Planforge = request.app.state.planforge
    return planforge


def utf8_header(name: str, value: str | None) -> str | None:
    """A header's text as the client sent it: HTTP hands headers over as
    Latin-1, so UTF-8 text ("Zoë") is re-read as UTF-8."""
    if value is None:
        return None
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        raise ValidationError.at(name, "must be UTF-8 text") from None


async def get_actor(
    request: Request,
    principal: PrincipalDep,
    x_actor: Annotated[str | None, Header()] = None,
) -> str:
    """Who makes the change, for the audit trail: the signed-in principal, or
    `principal on behalf of <X-Actor>` when its role allows naming someone."""
    person = utf8_header("X-Actor", x_actor)
    return principal.actor(person, request.path_params.get("project_id"))


async def get_expected_version(
    if_match: Annotated[
        str | None,
        Header(
            description='the version last read: 3, "3" (its ETag) or *',
            json_schema_extra={"pattern": r'^ *(\*|(W/)?"?[1-9][0-9]{0,17}"?) *$'},
        ),
    ] = None,
) -> int | None:
    """The version the client last read (`If-Match: 3` or an ETag `"3"`)."""
    if if_match is None or if_match.strip() == "*":
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_VERSION:
        raise ValidationError.at(
            "If-Match", f"expected a version number, got {if_match!r}"
        )
    return int(text)


PlanforgeDep = Annotated[Planforge, Depends(get_planforge)]
ActorDep = Annotated[str, Depends(get_actor)]
ExpectedVersionDep = Annotated[int | None, Depends(get_expected_version)]


async def get_reason(x_reason: Annotated[str | None, Header()] = None) -> str | None:
    """Why the change is made, for the audit trail (`X-Reason` header)."""
    return utf8_header("X-Reason", x_reason)


async def get_write(
    request: Request,
    reason: Annotated[str | None, Depends(get_reason)],
    actor: ActorDep,
    principal: PrincipalDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            description="a retry with the same key and request gets the first answer",
            json_schema_extra={"minLength": 1, "maxLength": 255, "pattern": r"\S"},
        ),
    ] = None,
) -> Write:
    """The write's reason and, with an `Idempotency-Key` header, the key with a
    fingerprint of the request (method, path, query, body, actor, reason): a
    retry must be the same request to get the first answer back. Keys are
    the principal's own: another principal's same key is another request."""
    if idempotency_key is None:
        return Write(reason=reason)
    body = await request.body()
    try:
        content: object = json.loads(body) if body else None
    except ValueError:
        content = body.decode(errors="replace")
    request_text = json.dumps(
        [
            request.method,
            request.url.path,
            str(request.url.query),
            content,
            actor,
            reason,
        ],
        sort_keys=True,
    )
    fingerprint = hashlib.sha256(request_text.encode()).hexdigest()
    key = IdempotencyKey(idempotency_key, fingerprint, principal.name)
    return Write(reason, key)


WriteDep = Annotated[Write, Depends(get_write)]


def json_object(data: bytes, expected: str = "a JSON object") -> dict[str, Any]:
    """The body as a JSON object; 422 naming the line when it is not JSON."""
    try:
        value = json.loads(data or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        where = f"line {getattr(error, 'lineno', 1)}"
        raise ValidationError.at(where, f"not JSON: {error}") from None
    if not isinstance(value, dict):
        raise ValidationError.at("body", f"expected {expected}")
    return value


async def read_json_object(request: Request) -> dict[str, Any]:
    """A body the route checks with the domain's rules (their 422s name the
    field); its shape is declared with `contract.checked_body`."""
    return json_object(await request.body())


JSONObjectDep = Annotated[dict[str, Any], Depends(read_json_object)]
