"""Credentials as random secrets; the store keeps only their SHA-256 digest.

A secret has 256 random bits, so a plain SHA-256 digest cannot be reversed
or guessed (slow password hashes are for low-entropy passwords). The prefix
tells the kinds apart in logs and secret scanners.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_PREFIX = "pf_"
SESSION_PREFIX = "pfs_"


def new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What the store keeps of a secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def csrf_token(session_secret: str) -> str:
    """The CSRF token of a session: derived from its secret, so it needs no
    storage, and knowing it reveals nothing of the cookie."""
    return hmac.new(session_secret.encode(), b"csrf", hashlib.sha256).hexdigest()


def same_secret(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
