"""The access registry on every backend: shared by processes, digests only,
concurrent changes all kept."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from domain import Unauthenticated
from domain.access import Role
from service.access.control import AccessControl
from tests.integration.conftest import Opener


def test_a_revocation_in_one_process_is_seen_by_another(open_store: Opener) -> None:
    first, second = (
        AccessControl(open_store().access),
        AccessControl(open_store(create_tables=False).access),
    )
    secret = first.issue_token("ci", Role.PLANNER, None, "setup")
    assert second.authenticate(secret).organisation_role is Role.PLANNER
    first.revoke_token("ci", "setup")
    with pytest.raises(Unauthenticated):
        second.authenticate(secret)


def test_concurrent_grants_are_all_kept(open_store: Opener) -> None:
    access = [AccessControl(open_store().access) for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        list(
            pool.map(
                lambda n: access[n % 4].grant(f"p{n}", "proj", Role.VIEWER, "admin"),
                range(16),
            )
        )
    assert sorted(access[0].members("proj")) == sorted(f"p{n}" for n in range(16))
