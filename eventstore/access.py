"""Who may sign in and with which role, recorded as events like everything else.

One `AccessRegistry` aggregate per store (a fixed id) holds the API tokens
(only a SHA-256 digest of each secret), the role grants (organisation-wide or
per project) and the browser sessions (digest of the cookie's secret). Every
issue, revocation and grant is an event with its actor, so the trail shows who
gave whom which rights. Public methods check first; event bodies only assign.
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain import NotFound, ValidationError
from domain.access import Principal, Role, check_principal_name
from eventstore.rules import check_actor

REGISTRY_ID = uuid5(NAMESPACE_URL, "https://planforge/access-registry")
ORGANISATION = "*"  # the grant key of an organisation-wide role


class AccessRegistry(Aggregate):
    """Tokens, grants and sessions. `tokens`: name -> {digest, role, project,
    issued_at, issued_by}; `grants`: principal -> {project id or "*": role};
    `sessions`: digest -> {principal, token, role, expires}."""

    @staticmethod
    def create_id(**_: object) -> UUID:
        return REGISTRY_ID

    @event("Opened")
    def __init__(self) -> None:
        self.tokens: dict[str, dict[str, Any]] = {}
        self.grants: dict[str, dict[str, str]] = {}
        self.sessions: dict[str, dict[str, Any]] = {}

    # -- tokens ----------------------------------------------------------------

    def issue_token(
        self, name: str, digest: str, role: Role, project_id: str | None, actor: str
    ) -> None:
        check_principal_name(name)
        check_actor(actor)
        if name in self.tokens:
            raise ValidationError.at(
                "name", f"a token named {name!r} exists; revoke it or pick another"
            )
        self._token_issued(
            name=name,
            digest=digest,
            role=role.label,
            project=project_id,
            actor=actor,
        )

    @event("TokenIssued")
    def _token_issued(
        self, name: str, digest: str, role: str, project: str | None, actor: str
    ) -> None:
        self.tokens[name] = {
            "digest": digest,
            "role": role,
            "project": project,
            "issued_by": actor,
        }

    def revoke_token(self, name: str, actor: str) -> None:
        check_actor(actor)
        if name not in self.tokens:
            raise NotFound(f"no token named {name!r}")
        self._token_revoked(name=name, actor=actor)

    @event("TokenRevoked")
    def _token_revoked(self, name: str, actor: str) -> None:
        del self.tokens[name]
        self.sessions = {
            digest: session
            for digest, session in self.sessions.items()
            if session.get("token") != name
        }

    def digests(self) -> dict[str, str]:
        """Digest -> name of every live token (callers keep it as an index)."""
        return {token["digest"]: name for name, token in self.tokens.items()}

    # -- grants ----------------------------------------------------------------

    def grant(
        self, principal: str, project_id: str | None, role: Role, actor: str
    ) -> None:
        check_principal_name(principal, "principal")
        check_actor(actor)
        self._role_granted(
            principal=principal,
            project=project_id or ORGANISATION,
            role=role.label,
            actor=actor,
        )

    @event("RoleGranted")
    def _role_granted(
        self, principal: str, project: str, role: str, actor: str
    ) -> None:
        self.grants.setdefault(principal, {})[project] = role

    def remove_grant(self, principal: str, project_id: str | None, actor: str) -> None:
        check_actor(actor)
        project = project_id or ORGANISATION
        if project not in self.grants.get(principal, {}):
            raise NotFound(
                f"{principal!r} has no role on {project_id or 'the organisation'}"
            )
        self._role_removed(principal=principal, project=project, actor=actor)

    @event("RoleRemoved")
    def _role_removed(self, principal: str, project: str, actor: str) -> None:
        del self.grants[principal][project]
        if not self.grants[principal]:
            del self.grants[principal]

    def members(self, project_id: str) -> dict[str, str]:
        """Principal -> role granted on this project (not organisation-wide)."""
        return {
            principal: roles[project_id]
            for principal, roles in sorted(self.grants.items())
            if project_id in roles
        }

    # -- sessions --------------------------------------------------------------

    def open_session(
        self,
        digest: str,
        principal: str,
        token: str | None,
        role: Role | None,
        expires: str,
    ) -> None:
        self._session_opened(
            digest=digest,
            principal=principal,
            token=token,
            role=None if role is None else role.label,
            expires=expires,
        )

    @event("SessionOpened")
    def _session_opened(
        self,
        digest: str,
        principal: str,
        token: str | None,
        role: str | None,
        expires: str,
    ) -> None:
        self.sessions[digest] = {
            "principal": principal,
            "token": token,
            "role": role,
            "expires": expires,
        }

    def close_session(self, digest: str) -> None:
        if digest in self.sessions:
            self._session_closed(digest=digest)

    @event("SessionClosed")
    def _session_closed(self, digest: str) -> None:
        del self.sessions[digest]

    # -- principals ------------------------------------------------------------

    def principal(self, name: str, own: dict[str, str] | None = None) -> Principal:
        """`name` with its grants; `own` adds the credential's own roles
        (a token's role, or roles from the identity provider's claims)."""
        roles = {**self.grants.get(name, {})}
        for project, role in (own or {}).items():
            if project not in roles or Role.parse(role) > Role.parse(roles[project]):
                roles[project] = role
        organisation = roles.pop(ORGANISATION, None)
        return Principal(
            name,
            None if organisation is None else Role.parse(organisation),
            {project: Role.parse(role) for project, role in roles.items()},
        )

    def token_principal(self, name: str) -> Principal:
        token = self.tokens[name]
        return self.principal(name, {token["project"] or ORGANISATION: token["role"]})
