"""Sign-in and rights over HTTP: browser sessions, API tokens, project members."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field, JsonValue

from domain import Forbidden
from domain.access import NAME_PATTERN, NAME_RULE, Principal, Role
from service.access.secrets import csrf_token
from service.api.contract import errors
from service.api.deps import ActorDep, PlanforgeDep
from service.api.security import SESSION_COOKIE, AccessDep, PrincipalDep

router = APIRouter(tags=["access"])
PrincipalName = Annotated[
    str,
    Path(description=NAME_RULE, json_schema_extra={"pattern": NAME_PATTERN.pattern}),
]
ROLES: list[JsonValue] = [role.label for role in Role]  # Role.parse checks them


class Credential(BaseModel):
    token: str = Field(min_length=1, max_length=16_384, description="API token or JWT")


class Me(BaseModel):
    principal: str
    organisation_role: str | None
    project_roles: dict[str, str]
    csrf_token: str | None = Field(
        default=None, description="send as X-CSRF-Token with cookie-made changes"
    )
    expires: datetime | None = None


def me(principal: Principal, csrf: str | None, expires: datetime | None = None) -> Me:
    organisation = principal.organisation_role
    return Me(
        principal=principal.name,
        organisation_role=None if organisation is None else organisation.label,
        project_roles={p: r.label for p, r in principal.project_roles.items()},
        csrf_token=csrf,
        expires=expires,
    )


@router.post("/auth/session", responses=errors(401, 422))
def open_session(
    credential: Credential, access: AccessDep, request: Request, response: Response
) -> Me:
    """Exchange a credential for a session cookie (HttpOnly, SameSite=Strict)
    and the CSRF token every state change made with the cookie must send."""
    session = access.open_session(credential.token)
    response.set_cookie(
        SESSION_COOKIE,
        session.secret,
        expires=session.expires,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return me(session.principal, session.csrf, session.expires)


@router.get("/auth/session", responses=errors(401))
def who_am_i(principal: PrincipalDep, request: Request) -> Me:
    """The signed-in principal, its roles, and (with a cookie) the CSRF token."""
    cookie = request.cookies.get(SESSION_COOKIE)
    has_bearer = "Authorization" in request.headers
    return me(principal, None if cookie is None or has_bearer else csrf_token(cookie))


@router.delete("/auth/session", status_code=204, responses=errors(401, 403))
def close_session(access: AccessDep, request: Request, response: Response) -> None:
    """Sign out: the session ends and its cookie is cleared."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie is not None:
        access.close_session(cookie)
    response.delete_cookie(SESSION_COOKIE, path="/")


class TokenIn(BaseModel):
    name: str = Field(
        description="recorded as the actor of what the token does",
        json_schema_extra={"pattern": NAME_PATTERN.pattern},
    )
    role: str = Field(
        description="viewer, contributor, planner or admin",
        json_schema_extra={"enum": ROLES},
    )
    project_id: UUID | None = Field(default=None, description="only this project")


class TokenOut(BaseModel):
    name: str
    role: str
    project_id: str | None
    issued_by: str


class NewToken(TokenOut):
    token: str = Field(description="the secret, shown only now")


@router.get("/tokens", responses=errors(401, 403))
def list_tokens(access: AccessDep) -> list[TokenOut]:
    """Every live token (never its secret: only a digest is stored)."""
    return [TokenOut(**vars(info)) for info in access.tokens()]


@router.post("/tokens", status_code=201, responses=errors(401, 403, 404, 422))
def create_token(
    body: TokenIn, access: AccessDep, planforge: PlanforgeDep, actor: ActorDep
) -> NewToken:
    """Issue an API token; its secret is in this answer and nowhere else."""
    role = Role.parse(body.role)
    project_id = None if body.project_id is None else str(body.project_id)
    if body.project_id is not None:
        planforge.get_project(body.project_id)
    secret = access.issue_token(body.name, role, project_id, actor)
    return NewToken(
        name=body.name,
        role=role.label,
        project_id=project_id,
        issued_by=actor,
        token=secret,
    )


@router.delete("/tokens/{name}", status_code=204, responses=errors(401, 403, 404))
def revoke_token(name: str, access: AccessDep, actor: ActorDep) -> None:
    """Revoke a token at once (and the browser sessions opened with it)."""
    access.revoke_token(name, actor)


class MemberIn(BaseModel):
    role: str = Field(
        description="viewer, contributor, planner or admin",
        json_schema_extra={"enum": ROLES},
    )


class MemberOut(BaseModel):
    project_id: str
    principal: str
    role: str


@router.get("/projects/{project_id}/members", responses=errors(401, 404))
def list_members(project_id: UUID, access: AccessDep) -> list[MemberOut]:
    """Who holds a role on this project (organisation-wide roles not listed)."""
    return [
        MemberOut(project_id=str(project_id), principal=name, role=role)
        for name, role in access.members(str(project_id)).items()
    ]


@router.put(
    "/projects/{project_id}/members/{principal}", responses=errors(401, 403, 404, 422)
)
def put_member(
    project_id: UUID,
    principal: PrincipalName,
    body: MemberIn,
    access: AccessDep,
    planforge: PlanforgeDep,
    caller: PrincipalDep,
    actor: ActorDep,
) -> MemberOut:
    """Grant `principal` a role on this project (replacing its previous one);
    nobody grants more than they hold."""
    role = Role.parse(body.role)
    planforge.get_project(project_id)
    held = caller.role_on(project_id)
    if held is None or role > held:
        raise Forbidden(f"role: {caller.name} may grant at most its own role here")
    access.grant(principal, str(project_id), role, actor)
    return MemberOut(project_id=str(project_id), principal=principal, role=role.label)


@router.delete(
    "/projects/{project_id}/members/{principal}",
    status_code=204,
    responses=errors(401, 403, 404),
)
def delete_member(
    project_id: UUID, principal: PrincipalName, access: AccessDep, actor: ActorDep
) -> None:
    """Remove `principal`'s role on this project."""
    access.remove_grant(principal, str(project_id), actor)
