"""The served spec is a typed contract: every success body has a schema with
properties, every error status a route can answer is declared with the one
`Error` model the service sends, versions travel as `ETag`, new things and
jobs as `Location`. A route added without them fails here."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from service.api.rules import RULES, Scope

ERROR = {"$ref": "#/components/schemas/Error"}
JOB = {"$ref": "#/components/schemas/JobOut"}
WRITES = {"post", "put", "patch", "delete"}
SCALARS = {"string", "integer", "number", "boolean"}
JSON = dict[str, Any]


@pytest.fixture(scope="module")
def spec(base_url: str) -> JSON:
    answer = httpx.get(f"{base_url}/openapi.json", timeout=30)
    assert answer.status_code == 200
    spec: JSON = answer.json()
    return spec


def operations(spec: JSON) -> list[tuple[str, str, JSON]]:
    return [
        (method, path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    ]


def resolve(spec: JSON, schema: JSON) -> JSON:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def untyped(spec: JSON, schema: JSON) -> str | None:
    """Why a body schema says nothing of its content (None if it is typed)."""
    schema = resolve(spec, schema)
    if "anyOf" in schema or "oneOf" in schema:
        reasons = [untyped(spec, s) for s in schema.get("anyOf", schema.get("oneOf"))]
        return next((r for r in reasons if r), None)
    kind = schema.get("type")
    if kind in SCALARS:
        return None
    if kind == "array":
        return untyped(spec, schema.get("items", {})) if "items" in schema else "[?]"
    if schema.get("properties"):
        return None
    values = schema.get("additionalProperties")
    if isinstance(values, dict) and values:
        return untyped(spec, values)
    return f"a bare object: {schema}"


def expected_errors(spec: JSON, method: str, path: str, operation: JSON) -> set[str]:
    """What the access rule, the store gate, parameters and body imply."""
    rule = RULES[f"{method.upper()} {path}"]
    statuses = {"503"}
    if rule.scope is not Scope.PUBLIC:
        statuses |= {"401"}
    if rule.scope in (Scope.ORGANISATION, Scope.PROJECT):
        statuses |= {"403"}
    parameters = operation.get("parameters", [])
    if any(p["in"] == "path" for p in parameters) or rule.scope is Scope.PROJECT:
        statuses |= {"404"}
    if method in WRITES:
        statuses |= {"403"}
    if parameters or "requestBody" in operation:
        statuses |= {"422"}
    if "requestBody" in operation:
        statuses |= {"413"}
    if any(p["name"] == "If-Match" for p in parameters):
        statuses |= {"409"}
    return statuses


def test_every_success_body_is_typed(spec: JSON) -> None:
    faults = []
    for method, path, operation in operations(spec):
        for status, response in operation["responses"].items():
            if not status.startswith("2") or status == "204":
                continue
            content = response.get("content")
            if not content:
                faults.append(f"{method} {path} {status}: no body declared")
            for media, body in (content or {}).items():
                reason = untyped(spec, body.get("schema", {}))
                if reason is not None:
                    faults.append(f"{method} {path} {status} {media}: {reason}")
    assert not faults, "\n".join(faults)


def test_every_route_declares_its_errors_with_the_error_model(spec: JSON) -> None:
    faults = []
    for method, path, operation in operations(spec):
        responses = operation["responses"]
        missing = expected_errors(spec, method, path, operation) - set(responses)
        if missing:
            faults.append(f"{method} {path}: undeclared {sorted(missing)}")
        for status, response in responses.items():
            if status[0] not in "45" or (path, status) == ("/health", "503"):
                continue
            schema = response.get("content", {}).get("application/json", {})
            if schema.get("schema") != ERROR:
                faults.append(f"{method} {path} {status}: not the Error model")
    assert not faults, "\n".join(faults)


def test_versions_and_new_things_are_in_headers(spec: JSON) -> None:
    faults = []
    for method, path, operation in operations(spec):
        responses = operation["responses"]
        successes = {s: r for s, r in responses.items() if s.startswith("2")}
        if any(p["name"] == "If-Match" for p in operation.get("parameters", [])):
            for status, response in successes.items():
                if "ETag" not in response.get("headers", {}):
                    faults.append(f"{method} {path} {status}: no ETag")
            if "ETag" not in responses.get("409", {}).get("headers", {}):
                faults.append(f"{method} {path} 409: no ETag")
        job = responses.get("202", {}).get("content", {}).get("application/json")
        if job == {"schema": JOB} and "Location" not in responses["202"]["headers"]:
            faults.append(f"{method} {path} 202: a job without Location")
    for method, path, status in [
        ("post", "/projects", "201"),
        ("post", "/webhooks", "201"),
        ("post", "/projects/{project_id}/plans", "201"),
        ("get", "/projects/{project_id}", "200"),
    ]:
        response = spec["paths"][path][method]["responses"][status]
        header = "ETag" if method == "get" else "Location"
        if header not in response.get("headers", {}):
            faults.append(f"{method} {path} {status}: no {header}")
    assert not faults, "\n".join(faults)


def test_error_model_is_what_a_422_sends(spec: JSON, client: httpx.Client) -> None:
    error = spec["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "problems"}
    problem = resolve(spec, error["properties"]["problems"]["items"])
    assert set(problem["required"]) == {"field", "message"}
    assert "HTTPValidationError" not in spec["components"]["schemas"]

    project = client.post("/projects", json={"name": "x", "tasks": []}).json()
    sent = client.post(f"/projects/{project['id']}/plans", json={"time_limit": -1})
    assert sent.status_code == 422
    body = sent.json()
    assert set(body) == {"detail", "problems"}
    assert all(set(p) == {"field", "message"} for p in body["problems"])
    assert body["problems"][0]["field"] == "body.time_limit"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/projects/00000000-0000-0000-0000-000000000000", 404),
        ("post", "/projects", 415),
        ("get", "/no/such/route", 404),
    ],
)
def test_every_error_sends_the_error_model(
    client: httpx.Client, method: str, path: str, status: int
) -> None:
    headers = {"Content-Type": "text/plain"} if status == 415 else {}
    answer = client.request(method, path, content=b"x", headers=headers)
    assert answer.status_code == status
    assert set(answer.json()) == {"detail", "problems"}
    assert answer.json()["problems"] == []


def test_an_unauthenticated_call_sends_the_error_model(base_url: str) -> None:
    answer = httpx.get(f"{base_url}/projects", timeout=30)
    assert answer.status_code == 401
    assert answer.json() == {"detail": answer.json()["detail"], "problems": []}


def test_a_wrong_method_names_every_method_of_the_path(client: httpx.Client) -> None:
    answer = client.request("PUT", "/auth/session")
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "DELETE, GET, POST"
    assert answer.json()["problems"] == []


def declared_redirect(spec: JSON, method: str, path: str) -> JSON:
    return dict(spec["paths"][path][method]["responses"].get("303", {}))


def test_every_redirect_is_declared_with_its_location(
    spec: JSON, client: httpx.Client, base_url: str
) -> None:
    """A person not signed in is sent to the sign-in page from every page;
    the pages' forms answer 303 to the project page (and never a 200)."""
    page = "/ui/projects/{project_id}"
    project = client.post("/projects", json={"name": "x", "tasks": []}).json()
    sent = httpx.get(
        f"{base_url}/ui/projects/{project['id']}", headers={"Accept": "text/html"}
    )
    assert sent.status_code == 303
    assert sent.headers["Location"].startswith("/ui/login?next=")
    faults = []
    for method, path, operation in operations(spec):
        rule = RULES[f"{method.upper()} {path}"]
        forms = path.startswith("/ui/") and method == "post"
        pages = path.startswith("/ui/") and rule.scope is not Scope.PUBLIC
        if not (forms or pages):
            continue
        if "Location" not in declared_redirect(spec, method, path).get("headers", {}):
            faults.append(f"{method} {path}: no 303 with Location")
        if forms and "200" in operation["responses"]:
            faults.append(f"{method} {path}: declares a 200 it never sends")
    assert declared_redirect(spec, "get", page)
    assert not faults, "\n".join(faults)
