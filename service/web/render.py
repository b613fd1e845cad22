"""Rendering: the Jinja2 environment (autoescaped), its filters, and the
error statuses every page declares."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from service.access.secrets import csrf_token
from service.api.security import SESSION_COOKIE

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such project, plan or version"},
    422: {"description": "a query parameter is malformed; `detail` names it"},
}


def percent(value: float | None, digits: int = 0) -> str:
    return "\N{EN DASH}" if value is None else f"{100 * value:.{digits}f} %"


def days(value: float | None, digits: int = 1) -> str:
    return "\N{EN DASH}" if value is None else f"{value:.{digits}f}"


def inline(svg: str | None) -> Markup:
    """An SVG built by drawsvg (its text already escaped) placed as is."""
    return Markup(svg or "")


TEMPLATES.env.filters.update(percent=percent, days=days, inline=inline)


def page(
    request: Request, template: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """The template rendered with `context`, the signed-in principal and,
    for a cookie session, the CSRF token its forms send as a header."""
    cookie = request.cookies.get(SESSION_COOKIE)
    bearer = "Authorization" in request.headers
    context.setdefault("principal", getattr(request.state, "principal", None))
    context["csrf"] = None if cookie is None or bearer else csrf_token(cookie)
    return TEMPLATES.TemplateResponse(
        request, template, context, status_code=status_code
    )


def error_page(request: Request, status: int, detail: str) -> HTMLResponse:
    """What went wrong, for a person at a page (the API answers JSON)."""
    return page(request, "error.html", status_code=status, status=status, detail=detail)
