"""The typed contract the served spec (`/openapi.json`) states.

Error statuses caused by mechanisms every route passes through are declared
here, once, from the facts of each route, so a new route has them without
listing them:

- its access rule (`service.api.rules`): signed in -> 401; organisation ->
  401, 403; project -> 401, 403, 404. A state change (POST, PUT, PATCH,
  DELETE) may be refused 403 (another site's `Origin`, a missing CSRF token);
- every route passes the store gate -> 503 (with `Retry-After`);
- a path parameter names something that may not exist -> 404;
- a parameter or body -> 422; a body -> 413 (`max_body_bytes`); a body
  FastAPI parses (a model parameter) -> 400 when it is not JSON at all;
- a project write (`WriteDep`, `ExpectedVersionDep`) -> 409 (a concurrent
  write; a stale `If-Match`), and an edit taking `If-Match` answers with the
  project's new version as `ETag`;
- a page (GET under /ui/) a person opens without signing in -> 303 to the
  sign-in page (`Location`), where an API client gets the 401.

Every error status, these and the ones a route declares itself with
`errors(...)` (a 404 for an id in the body, a 415, a 409 of a rule), is
answered with the one `Error` model. A route declares its typed answer with a
response model, or, when it returns a view's JSON as is, with
`responses=answer(Model, status, etag=..., location=...)`; a body it checks
with the domain's own rules (whose messages name the field) with
`openapi_extra=checked_body(Model)`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode

from service.api.deps import get_expected_version, get_write
from service.api.errors import Error
from service.api.request_values import bounded, parameters_as_text
from service.api.rules import Scope, rule_for

JSONSchema = dict[str, Any]
Responses = dict[int | str, dict[str, Any]]
REF = "#/components/schemas/{model}"
ERROR_REF = {"$ref": REF.format(model="Error")}
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

DESCRIPTIONS = {
    400: "the body is not JSON",
    401: "no credential, or one unknown, revoked or expired (`WWW-Authenticate`)",
    403: "the role is too low, or another site's Origin / no CSRF token",
    404: "no such project, plan, job or other item (or not visible to the caller)",
    409: "a stale If-Match version (`current_version`, `ETag`), a concurrent "
    "write or a rule of the current state",
    413: "the body is larger than the service accepts",
    415: "a Content-Type the route does not read",
    422: "a rule broken: `problems` name each field",
    429: "the caller holds its share of the job queue; see Retry-After",
    503: "the event store or the worker pool is unavailable; see Retry-After",
}
HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}}},
    409: {
        "ETag": {
            "description": "the project's current version",
            "schema": {"type": "string"},
        }
    },
    429: {"Retry-After": {"description": "seconds", "schema": {"type": "string"}}},
    503: {"Retry-After": {"description": "seconds", "schema": {"type": "string"}}},
}
ETAG_HEADER = {
    "description": 'the project\'s version after this answer, e.g. "7": send it '
    "back as If-Match to write only over this version",
    "schema": {"type": "string"},
}
SIGN_IN = "a person (Accept: text/html) not signed in: to `/ui/login?next=...`"
LOCATION_HEADER = {
    "description": "where the new item (or the job) is read",
    "schema": {"type": "string"},
}

_checked_bodies: dict[str, type[BaseModel]] = {}


def errors(*statuses: int) -> Responses:
    """Error answers a route declares beyond the ones derived for it."""
    return {status: _error_response(status) for status in statuses}


def redirect(description: str) -> Responses:
    """A 303 See Other answer (a page's form, the sign-in page) to `Location`."""
    return {303: {"description": description, "headers": {"Location": LOCATION_HEADER}}}


def answer(
    model: Any, status: int = 200, *, etag: bool = False, location: bool = False
) -> Responses:
    """A success answer of `model` (a route returning a view's JSON as is),
    with the `ETag` (the project's version) and `Location` headers it sends."""
    headers = {}
    if etag:
        headers["ETag"] = ETAG_HEADER
    if location:
        headers["Location"] = LOCATION_HEADER
    entry: dict[str, Any] = {"model": model, "description": "Successful Response"}
    if headers:
        entry["headers"] = headers
    return {status: entry}


def checked_body(
    *models: type[BaseModel], example: dict[str, Any] | None = None
) -> dict[str, Any]:
    """`openapi_extra` declaring a JSON body of one of `models`, for a route
    that reads the body itself and checks it with the domain's rules (so a
    422 keeps the domain's messages naming the field). Tests hold the models
    to those rules."""
    refs = []
    for model in models:
        _checked_bodies[model.__name__] = model
        refs.append({"$ref": REF.format(model=model.__name__)})
    content: dict[str, Any] = {"schema": refs[0] if len(refs) == 1 else {"anyOf": refs}}
    if example is not None:
        content["example"] = example
    return {"requestBody": {"required": True, "content": {"application/json": content}}}


def install_contract(app: FastAPI, limits: Mapping[str, float]) -> None:
    """Serve the spec with the derived error statuses, the one `Error` model
    (in place of FastAPI's own 422 shape, which the service never sends),
    the schemas of bodies the routes check themselves, parameters as text and
    the server's `limits` (`service.api.request_values`)."""
    generate = app.openapi

    def openapi() -> JSONSchema:
        if app.openapi_schema is None:
            spec = generate()
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            _add_schema(schemas, Error, "serialization")
            for model in _checked_bodies.values():
                _add_schema(schemas, model, "validation")
            for name in ("HTTPValidationError", "ValidationError"):
                schemas.pop(name, None)
            bounded(schemas, limits)
            for context in iter_route_contexts(app.routes):
                route, path = context.original_route, str(context.path_format)
                for method in context.methods or ():
                    operation = spec["paths"].get(path, {}).get(method.lower())
                    if isinstance(route, APIRoute) and operation is not None:
                        _complete(operation, route, path, method)
                        parameters_as_text(operation)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def derived_statuses(
    route: APIRoute, path: str, method: str, operation: JSONSchema
) -> set[int]:
    """The error statuses the app-wide mechanisms give this operation."""
    statuses = {503}
    rule = rule_for(method, path)
    if rule is not None and rule.scope is not Scope.PUBLIC:
        statuses.add(401)
        if rule.scope is not Scope.SIGNED_IN:
            statuses.add(403)
        if rule.scope is Scope.PROJECT:
            statuses.add(404)
    if method in WRITES:
        statuses.add(403)
    if 401 in statuses and method == "GET" and path.startswith("/ui/"):
        statuses.add(303)
    parameters = operation.get("parameters", [])
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)
    if parameters or "requestBody" in operation:
        statuses.add(422)
    if "requestBody" in operation:
        statuses.add(413)
    if route.body_field is not None:
        statuses.add(400)
    if depends_on(route, get_write, get_expected_version):
        statuses.add(409)
    return statuses


def depends_on(route: APIRoute, *calls: Callable[..., Any]) -> bool:
    """The route takes one of these dependencies (directly or deeper)."""
    pending = list(route.dependant.dependencies)
    while pending:
        dependant = pending.pop()
        if dependant.call in calls:
            return True
        pending.extend(dependant.dependencies)
    return False


def _complete(operation: JSONSchema, route: APIRoute, path: str, method: str) -> None:
    responses = operation.setdefault("responses", {})
    for status in derived_statuses(route, path, method, operation):
        if status == 303:
            responses.setdefault("303", redirect(SIGN_IN)[303])
        else:
            responses.setdefault(str(status), _error_response(status, spec=True))
    pages = any("text/html" in r.get("content", {}) for r in responses.values())
    for status, response in responses.items():
        if status.startswith(("4", "5")):
            _as_error(response, int(status), pages)
    if depends_on(route, get_expected_version):
        for status, response in responses.items():
            if status.startswith("2"):
                response.setdefault("headers", {}).setdefault("ETag", ETAG_HEADER)


def _as_error(response: JSONSchema, status: int, pages: bool) -> None:
    """Unless the route declared another model for it (the 503 of /health),
    the error is an `Error` (and, at a page, the same as HTML for people)."""
    content = response.setdefault("content", {})
    schema = content.setdefault("application/json", {}).setdefault("schema", {})
    if schema.get("$ref") in (None, REF.format(model="HTTPValidationError")):
        content["application/json"]["schema"] = dict(ERROR_REF)
    if pages:
        content.setdefault("text/html", {"schema": {"type": "string"}})
    response.setdefault("description", DESCRIPTIONS.get(status, "an error"))
    if status in HEADERS:
        response.setdefault("headers", {}).update(HEADERS[status])


def _error_response(status: int, spec: bool = False) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": DESCRIPTIONS[status]}
    if spec:
        answer["content"] = {"application/json": {"schema": dict(ERROR_REF)}}
    else:
        answer["model"] = Error
    return answer


def _add_schema(
    schemas: JSONSchema, model: type[BaseModel], mode: JsonSchemaMode
) -> None:
    schema = model.model_json_schema(ref_template=REF, mode=mode)
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
