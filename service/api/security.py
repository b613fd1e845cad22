"""Who is calling, and may they: the app-wide dependency every route passes.

1. A state-changing request (POST, PUT, PATCH, DELETE) whose `Origin` is
   another site is refused (403), whatever it carries: a cross-site form or
   script can change nothing.
2. The route's rule (`service.api.rules`) says what it needs. Unless it is
   public, the caller is authenticated by `Authorization: Bearer <token or
   JWT>`, or by the session cookie; a state change made with the cookie must
   also send the session's CSRF token in `X-CSRF-Token`.
3. Project rules are checked against `{project_id}` in the path: no role on
   it is a 404 (its existence stays hidden), too low a role a 403.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request

from domain import Forbidden, Unauthenticated
from domain.access import Principal
from service.access.control import AccessControl
from service.access.secrets import csrf_token, same_secret
from service.api.rules import Scope, rule_for

SESSION_COOKIE = "planforge_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def access_control(request: Request) -> AccessControl:
    control: AccessControl = request.app.state.planforge.access
    return control


def authorize(request: Request) -> None:
    """Apply the route's rule; the principal is kept on `request.state`."""
    if request.method not in SAFE_METHODS:
        _refuse_other_sites(request)
    route = request.scope.get("route")
    path = getattr(route, "path_format", None) or ""
    rule = rule_for(request.method, path)
    if rule is None:  # create_app refuses this; never fall open
        raise Forbidden(f"{request.method} {path} has no access rule")
    if rule.scope is Scope.PUBLIC:
        return
    principal = authenticate(request)
    request.state.principal = principal
    if rule.scope is Scope.PROJECT:
        assert rule.role is not None
        principal.require_on(request.path_params["project_id"], rule.role)
    elif rule.scope is Scope.ORGANISATION:
        assert rule.role is not None
        principal.require_organisation(rule.role)


def authenticate(request: Request) -> Principal:
    """The principal of the bearer credential or of the session cookie."""
    control = access_control(request)
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, credential = header.partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            raise Unauthenticated("Authorization: expected 'Bearer <token>'")
        return control.authenticate(credential.strip())
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie is None:
        raise Unauthenticated(
            "sign in: send 'Authorization: Bearer <token>' or a session cookie"
        )
    principal = control.session_principal(cookie)
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not same_secret(sent, csrf_token(cookie)):
            raise Forbidden(f"{CSRF_HEADER}: missing or wrong for this session")
    return principal


def _refuse_other_sites(request: Request) -> None:
    origin = request.headers.get("Origin")
    if origin is None:
        return
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    allowed = {own, *request.app.state.planforge.settings.allowed_origins}
    parts = urlsplit(origin)
    if f"{parts.scheme}://{parts.netloc}" not in allowed:
        raise Forbidden(f"Origin: {origin} may not change anything here")


async def current_principal(request: Request) -> Principal:
    """The principal `authorize` authenticated for this request."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:
        raise Unauthenticated("this route needs a signed-in principal")
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]
AccessDep = Annotated[AccessControl, Depends(access_control)]
