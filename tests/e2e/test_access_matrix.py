"""Every route of the app's route table, as every role, on its own project and
on another one: the answer follows the route's rule in `service.api.rules`.

A route without a rule fails here (and `create_app` refuses to start), so a
new route cannot ship unguarded. The requests carry placeholder ids and empty
bodies: what is checked is the access decision, and that nothing is a 5xx.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from domain.access import Role
from eventstore import ProjectStore
from service.api.app import create_app, route_table
from service.api.rules import Rule, Scope, rule_for
from service.settings import Settings
from service.usecases import Planforge
from tests.e2e.conftest import ClientMaker
from tests.e2e.test_http_projects import LAUNCH, create

ROUTES = route_table(create_app(Settings(), Planforge(Settings(), ProjectStore(None))))
PLACEHOLDERS = {
    "item_id": "zz",
    "plan_id": "00000000-0000-4000-8000-000000000000",
    "job_id": "00000000-0000-4000-8000-000000000000",
    "webhook_id": "00000000-0000-4000-8000-000000000000",
    "delivery_id": "nothing",
    "name": "nobody",
    "principal": "nobody",
    "resource_id": "nobody",
    "start": "2027-01-01",
    "task_id": "zz",
}


def test_every_route_has_a_rule() -> None:
    assert [f"{m} {p}" for m, p in ROUTES if rule_for(m, p) is None] == []


def call(
    http: httpx.Client,
    method: str,
    path: str,
    project_id: str,
    portfolio_plans: dict[str, str] | None = None,
) -> httpx.Response:
    """The route on `project_id`; a portfolio route on a portfolio of it (its
    recorded portfolio plan from `portfolio_plans`)."""
    portfolio_plan_id = (portfolio_plans or {}).get(project_id, PLACEHOLDERS["plan_id"])
    url = path.format(
        project_id=project_id, portfolio_plan_id=portfolio_plan_id, **PLACEHOLDERS
    )
    body: Any = {} if method in ("POST", "PUT", "PATCH") else None
    if url.endswith("/plans"):
        body = {"time_limit": 1}
    if url == "/portfolio/plans":
        body = {"project_ids": [project_id], "time_limit": 1}
    return http.request(method, url, json=body)


def recorded_portfolio_plans(client: httpx.Client, *project_ids: str) -> dict[str, str]:
    """A portfolio plan of each project alone, recorded by the admin."""
    found = {}
    for project_id in project_ids:
        body = {"project_ids": [project_id], "time_limit": 1, "record": True}
        answer = client.post("/portfolio/plans", json=body)
        assert answer.status_code == 201, answer.text
        found[project_id] = answer.json()["portfolio_plan_id"]
    return found


def denied_as_hidden(response: httpx.Response) -> bool:
    return response.status_code == 404 and (
        "no project" in response.text or "no portfolio plan" in response.text
    )


def allowed(response: httpx.Response) -> bool:
    return response.status_code not in (401, 403) and not denied_as_hidden(response)


def expect(rule: Rule, role: Role, organisation_wide: bool, own: bool) -> str:
    """'allowed', 'forbidden' (403) or 'hidden' (404) for this caller."""
    if rule.scope in (Scope.PUBLIC, Scope.SIGNED_IN):
        return "allowed"
    assert rule.role is not None
    if rule.scope is Scope.ORGANISATION:
        return "allowed" if organisation_wide and role >= rule.role else "forbidden"
    # PROJECT, and EACH_PROJECT on a portfolio of that one project
    if not (own or organisation_wide):
        return "hidden"
    return "allowed" if role >= rule.role else "forbidden"


@pytest.mark.parametrize(
    ("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES]
)
def test_route_by_role_and_project(
    method: str, path: str, client: httpx.Client, client_as: ClientMaker, base_url: str
) -> None:
    rule = rule_for(method, path)
    assert rule is not None, f"{method} {path} has no access rule"
    own, other = create(client, LAUNCH)["id"], create(client, LAUNCH)["id"]
    portfolio_plans = (
        recorded_portfolio_plans(client, own, other)
        if "{portfolio_plan_id}" in path
        else None
    )
    seen: list[str] = []
    for role in Role:
        for organisation_wide in (False, True):
            http = client_as(role, None if organisation_wide else own)
            for target, is_own in ((own, True), (other, False)):
                response = call(http, method, path, target, portfolio_plans)
                assert response.status_code < 500, (role, target, response.text)
                wanted = expect(rule, role, organisation_wide, is_own)
                got = (
                    "allowed"
                    if allowed(response)
                    else "hidden"
                    if denied_as_hidden(response)
                    else "forbidden"
                )
                where = "org" if organisation_wide else "project"
                seen.append(f"{role.label}/{where}/{'own' if is_own else 'other'}")
                assert got == wanted, (seen[-1], response.status_code, response.text)
    anonymous = call(
        httpx.Client(base_url=base_url), method, path, own, portfolio_plans
    )
    assert anonymous.status_code < 500
    assert (anonymous.status_code == 401) == (rule.scope is not Scope.PUBLIC), (
        anonymous.text
    )
