"""Dependency aliases shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from domain import ValidationError
from service.usecases import DEFAULT_ACTOR, Planforge


def get_planforge(request: Request) -> Planforge:
    planforge: Planforge = request.app.state.planforge
    return planforge


def get_actor(x_actor: Annotated[str | None, Header()] = None) -> str:
    """Who makes the change, for the audit trail (`X-Actor` header)."""
    return (x_actor or DEFAULT_ACTOR).strip() or DEFAULT_ACTOR


def get_expected_version(
    if_match: Annotated[str | None, Header()] = None,
) -> int | None:
    """The version the client last read (`If-Match: 3` or an ETag `"3"`)."""
    if if_match is None or if_match.strip() == "*":
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise ValidationError.at(
            "If-Match", f"expected a version number, got {if_match!r}"
        )
    return int(text)


PlanforgeDep = Annotated[Planforge, Depends(get_planforge)]
ActorDep = Annotated[str, Depends(get_actor)]
ExpectedVersionDep = Annotated[int | None, Depends(get_expected_version)]
