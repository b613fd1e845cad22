"""Bearer JWTs from the organisation's identity provider (OpenID Connect).

The signature is checked by joserfc against the provider's JWKS (from a URL,
refetched when a token names an unknown key, at most once a minute, or from
a file); `iss`, `aud` and `exp` are required and checked, `nbf` when present.
The principal is one claim (default `sub`); roles come from another claim (a
string or a list, default `groups`) through a map from value to role:
`{"pmo-admins": "admin", "launch-team": "planner@<project id>"}`.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from domain import Unauthenticated, ValidationError
from domain.access import Role, check_principal_name
from eventstore.access import ORGANISATION
from service.settings import Settings

REFETCH_SECONDS = 60.0
FETCH_TIMEOUT_SECONDS = 5.0


class IdentityProvider:
    """Verifies a provider's JWTs; call it with the token text."""

    def __init__(
        self,
        issuer: str,
        audience: str,
        jwks_url: str | None = None,
        jwks_file: Path | None = None,
        principal_claim: str = "sub",
        roles_claim: str = "groups",
        roles: Mapping[str, str] | None = None,
        algorithms: tuple[str, ...] = ("RS256", "PS256", "ES256", "EdDSA"),
        refetch_seconds: float = REFETCH_SECONDS,
    ) -> None:
        if (jwks_url is None) == (jwks_file is None):
            raise ValidationError.at("oidc_jwks_url", "give a JWKS URL or a file")
        self._issuer, self._audience = issuer, audience
        self._jwks_url, self._jwks_file = jwks_url, jwks_file
        self._principal_claim, self._roles_claim = principal_claim, roles_claim
        self._roles = {value: _grant(spec) for value, spec in (roles or {}).items()}
        self._algorithms = list(algorithms)
        self._lock = threading.Lock()
        self._keys: KeySet | None = None
        self._refetch_seconds = refetch_seconds
        self._fetched_at = 0.0

    def __call__(self, token: str) -> tuple[str, dict[str, str]]:
        """The principal's name and roles (project id or "*" -> role)."""
        claims = self._verified_claims(token)
        name = claims.get(self._principal_claim)
        try:
            check_principal_name(name, self._principal_claim)
        except ValidationError as error:
            raise Unauthenticated(f"identity token: {error}") from None
        assert isinstance(name, str)
        return name, self._granted(claims.get(self._roles_claim))

    def _verified_claims(self, token: str) -> dict[str, Any]:
        registry = jwt.JWTClaimsRegistry(
            leeway=30,
            iss={"essential": True, "value": self._issuer},
            aud={"essential": True, "value": self._audience},
            exp={"essential": True},
        )
        try:
            decoded = jwt.decode(token, self._key_set(token), self._algorithms)
            registry.validate(decoded.claims)
        except (JoseError, ValueError) as error:
            raise Unauthenticated(f"identity token refused: {error}") from None
        return dict(decoded.claims)

    def _key_set(self, token: str) -> KeySet:
        with self._lock:
            if self._keys is None or (
                self._jwks_url is not None
                and not self._knows_key(token)
                and time.monotonic() - self._fetched_at >= self._refetch_seconds
            ):
                self._keys = KeySet.import_key_set(self._read_jwks())
                self._fetched_at = time.monotonic()
            return self._keys

    def _knows_key(self, token: str) -> bool:
        assert self._keys is not None
        try:
            kid = jws.extract_compact(token.encode()).headers().get("kid")
        except (JoseError, ValueError):
            return True  # decoding will refuse it; no reason to refetch
        return kid is None or any(key.kid == kid for key in self._keys.keys)

    def _read_jwks(self) -> Any:
        try:
            if self._jwks_file is not None:
                return json.loads(self._jwks_file.read_text())
            assert self._jwks_url is not None
            with urllib.request.urlopen(
                self._jwks_url, timeout=FETCH_TIMEOUT_SECONDS
            ) as answer:
                return json.loads(answer.read())
        except (OSError, ValueError) as error:
            raise Unauthenticated(
                f"identity provider keys unavailable: {error}"
            ) from None

    def _granted(self, values: object) -> dict[str, str]:
        listed = [values] if isinstance(values, str) else values
        roles: dict[str, str] = {}
        for value in listed if isinstance(listed, list) else []:
            grant = self._roles.get(value) if isinstance(value, str) else None
            if grant is None:
                continue
            scope, role = grant
            if scope not in roles or role > Role.parse(roles[scope]):
                roles[scope] = role.label
        return roles


def identity_provider(settings: Settings) -> IdentityProvider | None:
    """The provider the settings describe, or None when OIDC is not set up."""
    if settings.oidc_issuer is None or settings.oidc_audience is None:
        return None
    return IdentityProvider(
        settings.oidc_issuer,
        settings.oidc_audience,
        settings.oidc_jwks_url,
        settings.oidc_jwks_file,
        settings.oidc_principal_claim,
        settings.oidc_roles_claim,
        settings.oidc_roles,
    )


def _grant(spec: str) -> tuple[str, Role]:
    """`"planner"` -> organisation-wide; `"planner@<project id>"` -> one project."""
    role, _, project = spec.partition("@")
    return project or ORGANISATION, Role.parse(role, "oidc_roles")
