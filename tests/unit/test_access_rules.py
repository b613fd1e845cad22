"""Roles and principals (domain.access): what a role includes, who is hidden
from what, and who may act on behalf of someone."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from domain import Forbidden, NotFound, ValidationError
from domain.access import Principal, Role

PROJECT = "p1"


def test_roles_are_ordered_and_parsed() -> None:
    assert Role.VIEWER < Role.CONTRIBUTOR < Role.PLANNER < Role.ADMIN
    assert Role.parse("Planner") is Role.PLANNER
    with pytest.raises(ValidationError, match="role: must be one of viewer"):
        Role.parse("owner")


def test_the_higher_of_organisation_and_project_role_counts() -> None:
    principal = Principal("kim", Role.VIEWER, MappingProxyType({PROJECT: Role.PLANNER}))
    assert principal.role_on(PROJECT) is Role.PLANNER
    assert principal.role_on("p2") is Role.VIEWER


def test_no_role_hides_the_project_and_a_low_role_is_forbidden() -> None:
    principal = Principal("kim", None, MappingProxyType({PROJECT: Role.VIEWER}))
    principal.require_on(PROJECT, Role.VIEWER)
    with pytest.raises(Forbidden, match="viewer on project p1; this needs planner"):
        principal.require_on(PROJECT, Role.PLANNER)
    with pytest.raises(NotFound, match="no project p2"):
        principal.require_on("p2", Role.VIEWER)
    with pytest.raises(Forbidden):
        principal.require_organisation(Role.VIEWER)
    assert principal.visible(["p2", PROJECT]) == [PROJECT]


def test_only_planners_act_on_behalf_of_someone() -> None:
    kim = Principal("kim", None, MappingProxyType({PROJECT: Role.CONTRIBUTOR}))
    sync = Principal("sync", None, MappingProxyType({PROJECT: Role.PLANNER}))
    assert kim.actor(None, PROJECT) == kim.actor("kim", PROJECT) == "kim"
    with pytest.raises(Forbidden, match="X-Actor"):
        kim.actor("ceo", PROJECT)
    assert sync.actor(" zoe ", PROJECT) == "sync on behalf of zoe"
    with pytest.raises(Forbidden):
        sync.actor("zoe", None)  # no organisation-wide role
