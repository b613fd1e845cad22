"""The one place that maps domain errors to HTTP statuses."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

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
from service.workers import Busy

RETRY_AFTER_SECONDS = 2


class StoreDown(Exception):
    """The store is known to be down; answered 503 without asking it."""


class ProblemOut(BaseModel):
    field: str = Field(description="where: a field path, task, header or cycle")
    message: str


class ValidationErrorOut(BaseModel):
    """What a 422 carries: a sentence and each problem by field."""

    detail: str
    problems: list[ProblemOut]


def declare_validation_errors(app: FastAPI) -> None:
    """FastAPI declares every 422 as its own `{"detail": [{loc, msg}]}`; the
    service sends `ValidationErrorOut`. Make the served spec say so, so that
    generated clients parse the 422s they get."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = generate()
            model = ValidationErrorOut.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(model.pop("$defs", {}))
            schemas["HTTPValidationError"] = model
            schemas.pop("ValidationError", None)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ValidationError, _validation_error)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(ConcurrencyConflict, _conflict)
    app.add_exception_handler(GateClosed, _gate_closed)
    app.add_exception_handler(PortfolioConflict, _portfolio_conflict)
    app.add_exception_handler(RequestValidationError, _request_error)
    app.add_exception_handler(Busy, _busy)
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
        content={"detail": str(error)},
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
        content={"detail": f"the event store is unavailable ({type(error).__name__})"},
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
    return _answer(request, 403, {"detail": str(error)})


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ValidationError)
    problems = [{"field": p.field, "message": p.message} for p in error.problems]
    return _answer(request, 422, {"detail": str(error), "problems": problems})


async def _not_found(request: Request, error: Exception) -> Response:
    return _answer(request, 404, {"detail": str(error)})


async def _conflict(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ConcurrencyConflict)
    return JSONResponse(
        status_code=409,
        content={"detail": str(error), "current_version": error.current_version},
        headers={"ETag": f'"{error.current_version}"'},
    )


async def _gate_closed(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse(status_code=409, content={"detail": str(error)})


async def _portfolio_conflict(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, PortfolioConflict)
    return JSONResponse(
        status_code=409, content={"detail": str(error), "projects": error.projects}
    )


async def _request_error(request: Request, error: Exception) -> Response:
    """FastAPI's own checks (types, JSON syntax), as the same flat shape."""
    assert isinstance(error, RequestValidationError)
    problems = [
        {"field": ".".join(str(part) for part in e["loc"]), "message": e["msg"]}
        for e in error.errors()
    ]
    detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return _answer(request, 422, {"detail": detail, "problems": problems})


async def _busy(request: Request, error: Exception) -> JSONResponse:
    """The worker pool is full: the client may retry after the given seconds."""
    assert isinstance(error, Busy)
    return JSONResponse(
        status_code=503,
        content={"detail": str(error), "problems": []},
        headers={"Retry-After": str(error.retry_after)},
    )
