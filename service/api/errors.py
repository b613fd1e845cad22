"""The one place that maps domain errors to HTTP statuses."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.routing import Match

from domain import (
    ConcurrencyConflict,
    Forbidden,
    NotFound,
    Unauthenticated,
    ValidationError,
)
from domain.errors import GateClosed, PortfolioConflict
from eventstore import STORE_UNAVAILABLE
from service.web.render import error_page
from service.workers import Busy, TooManyJobs

RETRY_AFTER_SECONDS = 2


class StoreDown(Exception):
    """The store is known to be down; answered 503 without asking it."""


class Problem(BaseModel):
    field: str = Field(description="where: a field path, task, header or cycle")
    message: str


class Error(BaseModel):
    """Every error the API answers, whatever its status: `detail` says what is
    wrong in a sentence, `problems` names each fault by field (422; empty
    otherwise). A 409 on a stale `If-Match` also gives `current_version`, one
    of a portfolio plan's commit `projects`."""

    detail: str = Field(examples=["tasks[b].duration: must be >= 0"])
    problems: list[Problem] = Field(
        examples=[[{"field": "tasks[b].duration", "message": "must be >= 0"}]]
    )
    current_version: int | None = Field(
        default=None, description="409 on a stale If-Match: the version now"
    )
    projects: list[str] | None = Field(
        default=None,
        description="409 of a portfolio plan's commit: the member projects in the way",
    )


def error_body(
    detail: str, problems: list[dict[str, str]] | None = None, **extra: Any
) -> dict[str, Any]:
    """An `Error` as JSON: the one shape every error answer has."""
    return {"detail": detail, "problems": problems or [], **extra}


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ValidationError, _validation_error)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(ConcurrencyConflict, _conflict)
    app.add_exception_handler(GateClosed, _gate_closed)
    app.add_exception_handler(PortfolioConflict, _portfolio_conflict)
    app.add_exception_handler(RequestValidationError, _request_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Busy, _busy)
    app.add_exception_handler(TooManyJobs, _busy)
    app.add_exception_handler(Unauthenticated, _unauthenticated)
    app.add_exception_handler(Forbidden, _forbidden)
    for kind in (*STORE_UNAVAILABLE, StoreDown):
        app.add_exception_handler(kind, _store_unavailable)


async def _unauthenticated(request: Request, error: Exception) -> Response:
    if _person_at_a_page(request):  # to the sign-in page, then back
        wanted = request.url.path + (
            f"?{request.url.query}" if request.url.query else ""
        )
        return RedirectResponse(f"/ui/login?{urlencode({'next': wanted})}", 303)
    return JSONResponse(
        status_code=401,
        content=error_body(str(error)),
        headers={"WWW-Authenticate": "Bearer"},
    )


async def _store_unavailable(request: Request, error: Exception) -> JSONResponse:
    """The store is down or not answering in time: try again shortly. The
    app's store probe then fails requests fast until the store is back."""
    probe = getattr(request.app.state, "store_probe", None)
    if probe is not None:
        probe.mark_down()
    return JSONResponse(
        status_code=503,
        content=error_body(f"the event store is unavailable ({type(error).__name__})"),
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _person_at_a_page(request: Request) -> bool:
    """A browser (it asks for HTML) reading a page under /ui/."""
    return (
        request.method == "GET"
        and request.url.path.startswith("/ui/")
        and "text/html" in request.headers.get("accept", "")
    )


def _answer(
    request: Request,
    status: int,
    content: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> Response:
    """JSON for clients; for a person at a page, the same detail as a page."""
    if _person_at_a_page(request):
        return error_page(request, status, str(content["detail"]))
    return JSONResponse(status_code=status, content=content, headers=headers)


async def _forbidden(request: Request, error: Exception) -> Response:
    return _answer(request, 403, error_body(str(error)))


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ValidationError)
    problems = [{"field": p.field, "message": p.message} for p in error.problems]
    return _answer(request, 422, error_body(str(error), problems))


async def _not_found(request: Request, error: Exception) -> Response:
    return _answer(request, 404, error_body(str(error)))


async def _conflict(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ConcurrencyConflict)
    return JSONResponse(
        status_code=409,
        content=error_body(str(error), current_version=error.current_version),
        headers={"ETag": f'"{error.current_version}"'},
    )


async def _gate_closed(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse(status_code=409, content=error_body(str(error)))


async def _portfolio_conflict(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, PortfolioConflict)
    return JSONResponse(
        status_code=409, content=error_body(str(error), projects=error.projects)
    )


async def _request_error(request: Request, error: Exception) -> Response:
    """FastAPI's own checks (types, JSON syntax), as the same flat shape."""
    assert isinstance(error, RequestValidationError)
    problems = [
        {"field": ".".join(str(part) for part in e["loc"]), "message": e["msg"]}
        for e in error.errors()
    ]
    detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return _answer(request, 422, error_body(detail, problems))


def allowed_methods(request: Request) -> list[str]:
    """The methods the app's routes answer at this request's path."""
    methods: set[str] = set()
    for context in iter_route_contexts(request.app.routes):
        match, _ = context.matches(request.scope)
        if match is not Match.NONE:
            methods.update(context.methods or ())
    return sorted(methods)


async def _busy(request: Request, error: Exception) -> JSONResponse:
    """The worker pool is full (503), or the caller holds its share of the
    job queue (429): the client may retry after the given seconds."""
    assert isinstance(error, Busy | TooManyJobs)
    return JSONResponse(
        status_code=429 if isinstance(error, TooManyJobs) else 503,
        content=error_body(str(error)),
        headers={"Retry-After": str(error.retry_after)},
    )


async def _http_error(request: Request, error: Exception) -> Response:
    """Starlette's own refusals (415, 413, 405, an unknown path) as an `Error`."""
    assert isinstance(error, HTTPException)
    content = error_body(str(error.detail))
    headers = None if error.headers is None else dict(error.headers)
    if error.status_code == 405:  # every method of the path, not one route's
        headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(request))}
    return _answer(request, error.status_code, content, headers)
