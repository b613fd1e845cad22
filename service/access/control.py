"""Access use cases: issue and revoke tokens, grant roles, sign in, sessions.

The HTTP routes and the CLI both come through here. A credential becomes a
`Principal` (its name and roles); what a route needs of it is decided by the
route's rule (`service.api.rules`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain import Unauthenticated
from domain.access import Principal, Role
from eventstore import AccessRegistry, AccessStore
from service.access.secrets import (
    SESSION_PREFIX,
    TOKEN_PREFIX,
    csrf_token,
    digest,
    new_secret,
)

Verifier = Callable[[str], tuple[str, dict[str, str]]]


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: never its secret (which is not stored)."""

    name: str
    role: str
    project_id: str | None
    issued_by: str


@dataclass(frozen=True)
class Session:
    """A browser session: the cookie's secret and its CSRF token."""

    secret: str
    csrf: str
    principal: Principal
    expires: datetime


class AccessControl:
    """Tokens, grants and sessions over one store's access registry.

    `identity_provider`, when set, verifies a bearer JWT and returns the
    principal's name and its roles from the claims (project id or "*" ->
    role); see `service.access.oidc`.
    """

    def __init__(
        self,
        registry: AccessStore,
        session_hours: float = 8.0,
        identity_provider: Verifier | None = None,
    ) -> None:
        self._registry = registry
        self._session_length = timedelta(hours=session_hours)
        self._identity_provider = identity_provider

    # -- tokens ----------------------------------------------------------------

    def issue_token(
        self, name: str, role: Role, project_id: str | None, actor: str
    ) -> str:
        """A new API token's secret (shown once: only its digest is kept)."""
        secret = new_secret(TOKEN_PREFIX)
        self._registry.change(
            lambda r: r.issue_token(name, digest(secret), role, project_id, actor)
        )
        return secret

    def revoke_token(self, name: str, actor: str) -> None:
        """Revoke a token now; its browser sessions end with it."""
        self._registry.change(lambda r: r.revoke_token(name, actor))

    def tokens(self) -> list[TokenInfo]:
        registry = self._registry.current()
        return [
            TokenInfo(name, t["role"], t["project"], t["issued_by"])
            for name, t in sorted(registry.tokens.items())
        ]

    def has_tokens(self) -> bool:
        return bool(self._registry.current().tokens)

    # -- grants ----------------------------------------------------------------

    def grant(
        self, principal: str, project_id: str | None, role: Role, actor: str
    ) -> None:
        """Give `principal` a role on one project, or organisation-wide."""
        self._registry.change(lambda r: r.grant(principal, project_id, role, actor))

    def remove_grant(self, principal: str, project_id: str | None, actor: str) -> None:
        self._registry.change(lambda r: r.remove_grant(principal, project_id, actor))

    def members(self, project_id: str) -> dict[str, str]:
        return self._registry.current().members(project_id)

    # -- sign-in ---------------------------------------------------------------

    def authenticate(self, credential: str) -> Principal:
        """The principal an `Authorization: Bearer` credential names."""
        if credential.startswith(TOKEN_PREFIX):
            known = self._registry.known()  # one look at the database
            name = known.digests.get(digest(credential))
            if name is None:
                raise Unauthenticated("unknown or revoked API token")
            return known.registry.token_principal(name)
        if self._identity_provider is not None and credential.count(".") == 2:
            name, roles = self._identity_provider(credential)
            return self._registry.current().principal(name, roles)
        raise Unauthenticated("expected an API token (pf_...) or an identity JWT")

    def open_session(self, credential: str) -> Session:
        """Exchange a credential for a browser session (cookie + CSRF token)."""
        principal = self.authenticate(credential)
        token = self._registry.token_name(digest(credential))
        secret = new_secret(SESSION_PREFIX)
        expires = datetime.now(UTC) + self._session_length
        role = principal.organisation_role
        self._registry.change(
            lambda r: r.open_session(
                digest(secret), principal.name, token, role, expires.isoformat()
            )
        )
        return Session(secret, csrf_token(secret), principal, expires)

    def session_principal(self, secret: str) -> Principal:
        """The principal of a live session cookie."""
        registry = self._registry.current()
        session = registry.sessions.get(digest(secret))
        now = datetime.now(UTC)
        if session is None or datetime.fromisoformat(session["expires"]) <= now:
            raise Unauthenticated("no such session, or it has expired: sign in again")
        return _session_principal(registry, session)

    def close_session(self, secret: str) -> None:
        self._registry.change(lambda r: r.close_session(digest(secret)))


def _session_principal(registry: AccessRegistry, session: dict[str, str]) -> Principal:
    """A token's session has the token's roles now; an identity provider's
    session keeps the organisation role its claims gave at sign-in."""
    if session["token"] is not None:
        if session["token"] not in registry.tokens:
            raise Unauthenticated("the session's token was revoked: sign in again")
        return registry.token_principal(session["token"])
    own = {} if session["role"] is None else {"*": session["role"]}
    return registry.principal(session["principal"], own)
