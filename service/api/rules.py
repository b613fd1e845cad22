"""Every route's access rule, in one table: `"METHOD /path": rule`.

A new route adds one line here. `create_app` refuses to start while a route
has no rule, and `tests/e2e/test_access_matrix.py` calls every route of the
app's route table as every role, on its own project and on another one.

- `PUBLIC`: no credential (health, signing in).
- `SIGNED_IN`: any principal; the route shows only what it may see.
- `project(role)`: at least `role` on the project in the path
  (`{project_id}`); no role there answers 404, a lower role 403.
- `organisation(role)`: at least `role` organisation-wide.
- `each_project(role)`: at least `role` on every project the request names
  (in its body, or as the members of the portfolio plan in the path),
  checked by the route; no role on one answers 404, a lower role 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from domain.access import Role
from domain.changes import EntityKind


class Scope(Enum):
    PUBLIC = "public"
    SIGNED_IN = "signed in"
    PROJECT = "project"
    ORGANISATION = "organisation"
    EACH_PROJECT = "each project"


@dataclass(frozen=True)
class Rule:
    scope: Scope
    role: Role | None = None

    def __str__(self) -> str:
        return (
            self.scope.value
            if self.role is None
            else f"{self.role.label} on {self.scope.value}"
        )


PUBLIC = Rule(Scope.PUBLIC)
SIGNED_IN = Rule(Scope.SIGNED_IN)


def project(role: Role) -> Rule:
    return Rule(Scope.PROJECT, role)


def organisation(role: Role) -> Rule:
    return Rule(Scope.ORGANISATION, role)


def each_project(role: Role) -> Rule:
    return Rule(Scope.EACH_PROJECT, role)


VIEWER, CONTRIBUTOR, PLANNER, ADMIN = (
    Role.VIEWER,
    Role.CONTRIBUTOR,
    Role.PLANNER,
    Role.ADMIN,
)
PROJECT = "/projects/{project_id}"


def edit_role(kind: EntityKind) -> Role:
    """Tasks are edited by contributors; the rest of the plan's inputs
    (resources, dependencies, risks) by planners."""
    return CONTRIBUTOR if kind is EntityKind.TASK else PLANNER


def _edits() -> dict[str, Rule]:
    rules = {}
    for kind in EntityKind:
        role = edit_role(kind)
        collection = f"{PROJECT}/{kind.collection}"
        rules[f"POST {collection}"] = project(role)
        rules[f"PATCH {collection}/{{item_id}}"] = project(role)
        rules[f"DELETE {collection}/{{item_id}}"] = project(role)
    return rules


RULES: dict[str, Rule] = {
    "GET /health": PUBLIC,
    # sign-in, tokens
    "POST /auth/session": PUBLIC,
    "GET /auth/session": SIGNED_IN,
    "DELETE /auth/session": SIGNED_IN,
    "GET /tokens": organisation(ADMIN),
    "POST /tokens": organisation(ADMIN),
    "DELETE /tokens/{name}": organisation(ADMIN),
    # projects
    "GET /projects": SIGNED_IN,
    "POST /projects": organisation(PLANNER),
    f"GET {PROJECT}": project(VIEWER),
    f"GET {PROJECT}/baseline": project(VIEWER),
    f"GET {PROJECT}/diff": project(VIEWER),
    f"GET {PROJECT}/events": project(VIEWER),
    f"GET {PROJECT}/page": PUBLIC,  # a redirect to /ui/projects/{id}
    f"GET {PROJECT}/members": project(VIEWER),
    f"PUT {PROJECT}/members/{{principal}}": project(PLANNER),
    f"DELETE {PROJECT}/members/{{principal}}": project(PLANNER),
    **_edits(),
    # a batch of task edits: contributor; one touching anything else needs
    # planner (edit_role, checked in service/api/changes.py)
    f"POST {PROJECT}/changes": project(CONTRIBUTOR),
    # execution: contributors report progress, planners move project fields
    f"PATCH {PROJECT}": project(PLANNER),
    f"POST {PROJECT}/progress": project(CONTRIBUTOR),
    f"GET {PROJECT}/health": project(VIEWER),
    f"POST {PROJECT}/gates/{{task_id}}/approve": project(PLANNER),
    "POST /templates": organisation(PLANNER),
    f"POST {PROJECT}/resources/{{resource_id}}/absences": project(PLANNER),
    f"DELETE {PROJECT}/resources/{{resource_id}}/absences/{{start}}": project(PLANNER),
    # plans, forecasts, scenarios
    f"POST {PROJECT}/plans": project(PLANNER),
    f"GET {PROJECT}/plans/{{plan_id}}": project(VIEWER),
    f"GET {PROJECT}/plans/{{plan_id}}/compare": project(VIEWER),
    f"POST {PROJECT}/plans/{{plan_id}}/commit": project(PLANNER),
    f"POST {PROJECT}/forecasts": project(PLANNER),
    f"POST {PROJECT}/scenarios": project(PLANNER),
    # jobs: the submitter, or whoever may read the job's project (checked in
    # service/api/jobs.py; cancelling a job of another needs planner there)
    "GET /jobs/{job_id}": SIGNED_IN,
    "GET /jobs/{job_id}/result": SIGNED_IN,
    "GET /jobs/{job_id}/events": SIGNED_IN,
    "DELETE /jobs/{job_id}": SIGNED_IN,
    # webhooks: organisation planners and admins manage subscriptions
    "POST /webhooks": organisation(PLANNER),
    "GET /webhooks": organisation(PLANNER),
    "GET /webhooks/{webhook_id}": organisation(PLANNER),
    "DELETE /webhooks/{webhook_id}": organisation(PLANNER),
    "POST /webhooks/{webhook_id}/test": organisation(PLANNER),
    "GET /webhooks/{webhook_id}/deliveries": organisation(PLANNER),
    "POST /webhooks/{webhook_id}/deliveries/{delivery_id}/resend": organisation(
        PLANNER
    ),
    # across projects
    "GET /events": organisation(ADMIN),
    "GET /portfolio": SIGNED_IN,
    "POST /portfolio/plans": each_project(VIEWER),  # planner with "record": true
    "GET /portfolio/plans/{portfolio_plan_id}": each_project(VIEWER),
    "POST /portfolio/plans/{portfolio_plan_id}/commit": each_project(PLANNER),
    "GET /resources/load": SIGNED_IN,  # over the projects the principal sees
    "GET /resources/load/weeks": SIGNED_IN,
    # pages (service/web): a viewer sees, a planner acts
    "GET /": PUBLIC,  # a redirect to /ui/
    "GET /ui/login": PUBLIC,
    "GET /ui/static/plotly.min.js": PUBLIC,
    "GET /ui/": SIGNED_IN,  # the projects the principal sees
    "GET /ui/resources": organisation(VIEWER),
    f"GET /ui{PROJECT}": project(VIEWER),
    f"GET /ui{PROJECT}/forecast": project(VIEWER),
    f"GET /ui{PROJECT}/resources": project(VIEWER),
    f"GET /ui{PROJECT}/history": project(VIEWER),
    f"GET /ui{PROJECT}/scenarios": project(VIEWER),  # running one: planner
    f"POST /ui{PROJECT}/scenarios/commit": project(PLANNER),
    f"POST /ui{PROJECT}/scenarios/deadline": project(PLANNER),
}


def rule_for(method: str, path: str) -> Rule | None:
    return RULES.get(f"{method} {path}")


def role_of(route: str) -> Role:
    """The role a route's rule asks for (`"METHOD /path"`, a rule with one)."""
    role = RULES[route].role
    assert role is not None, f"{route}: its rule names no role"
    return role
