"""Identity-provider JWTs, with keys made here: verified by joserfc against a
JWKS file or URL; issuer, audience and expiry enforced; groups become roles."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, OctKey, RSAKey

from domain import Unauthenticated
from eventstore import ProjectStore
from service.access.oidc import IdentityProvider
from service.api.app import create_app
from service.settings import Settings
from service.usecases import Planforge

ISSUER, AUDIENCE = "https://id.example", "planforge"
PROJECT = "7b0c1f3e-1111-4222-8333-944455556666"
ROLES = {"pmo": "admin", "launch": f"planner@{PROJECT}", "all-staff": "viewer"}


def sign(key: Any, **claims: Any) -> str:
    now = int(time.time())
    body = {"iss": ISSUER, "aud": AUDIENCE, "sub": "zoe", "iat": now, "exp": now + 300}
    algorithm = "ES256" if isinstance(key, ECKey) else "RS256"
    return jwt.encode({"alg": algorithm, "kid": key.kid}, {**body, **claims}, key)


@pytest.fixture(scope="module")
def key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "k1"})


@pytest.fixture
def jwks_file(tmp_path: Path, key: RSAKey) -> Path:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(KeySet([key]).as_dict(private=False)))
    return path


def provider(jwks_file: Path) -> IdentityProvider:
    return IdentityProvider(ISSUER, AUDIENCE, jwks_file=jwks_file, roles=ROLES)


def test_groups_become_roles(jwks_file: Path, key: RSAKey) -> None:
    name, roles = provider(jwks_file)(sign(key, groups=["launch", "all-staff", "x"]))
    assert name == "zoe"
    assert roles == {PROJECT: "planner", "*": "viewer"}


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"iss": "https://evil.example"}, "iss"),
        ({"aud": "someone-else"}, "aud"),
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"sub": None}, "sub"),
    ],
)
def test_a_wrong_claim_is_refused(
    jwks_file: Path, key: RSAKey, claims: dict[str, Any], why: str
) -> None:
    with pytest.raises(Unauthenticated, match=why):
        provider(jwks_file)(sign(key, **claims))


def test_a_token_signed_by_another_key_is_refused(jwks_file: Path) -> None:
    stranger = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    with pytest.raises(Unauthenticated):
        provider(jwks_file)(sign(stranger))
    shared = OctKey.import_key(b"a shared secret is not the provider's key")
    with pytest.raises(Unauthenticated):
        provider(jwks_file)(jwt.encode({"alg": "HS256"}, {"sub": "zoe"}, shared))


@pytest.fixture
def jwks_server(key: RSAKey) -> Iterator[tuple[str, list[Any]]]:
    """A JWKS URL serving the keys in the returned (mutable) list."""
    keys: list[Any] = [key]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps(KeySet(keys).as_dict(private=False)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return None

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks", keys
    server.shutdown()
    thread.join()


def test_keys_from_a_url_follow_a_rotation(
    jwks_server: tuple[str, list[Any]], key: RSAKey
) -> None:
    url, keys = jwks_server
    verify = IdentityProvider(
        ISSUER, AUDIENCE, jwks_url=url, roles=ROLES, refetch_seconds=0
    )
    assert verify(sign(key))[0] == "zoe"
    rotated = ECKey.generate_key("P-256", parameters={"kid": "k2"})
    keys.append(rotated)
    assert verify(sign(rotated, sub="ann"))[0] == "ann"


def test_an_identity_token_signs_in_over_http(
    jwks_file: Path, key: RSAKey, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path,
        oidc_issuer=ISSUER,
        oidc_audience=AUDIENCE,
        oidc_jwks_file=jwks_file,
        oidc_roles=ROLES,
    )
    app = create_app(settings, Planforge(settings, ProjectStore(None)))
    with TestClient(app) as http:
        admin = {"Authorization": f"Bearer {sign(key, groups=['pmo'])}"}
        staff = {"Authorization": f"Bearer {sign(key, sub='kim', groups='all-staff')}"}
        made = http.post("/projects", json={"name": "P", "tasks": []}, headers=admin)
        assert made.status_code == 201, made.text
        events = http.get(f"/projects/{made.json()['id']}/events", headers=admin)
        assert events.json()[0]["actor"] == "zoe"
        assert http.get("/events", headers=staff).status_code == 403
        assert (
            http.get(f"/projects/{made.json()['id']}", headers=staff).status_code == 200
        )
        expired = sign(key, exp=int(time.time()) - 60)
        refused = http.get("/projects", headers={"Authorization": f"Bearer {expired}"})
        assert refused.status_code == 401
