"""Who may do what: roles, principals and the rules that compare them.

Roles are ordered; each includes the ones below it:
- `viewer` reads a project (document, plans, forecasts, trail);
- `contributor` also edits tasks and reports progress;
- `planner` also changes resources, dependencies, risks and absences,
  proposes and commits plans, runs forecasts and scenarios, manages members,
  and may act on behalf of a named person (`X-Actor`);
- `admin` does everything: tokens, the cross-project trail, settings.

A grant is organisation-wide (every project) or for one project; a
principal's role on a project is the highest of the two. A principal with no
role on a project must not learn that it exists (the service answers 404).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from types import MappingProxyType

from domain.errors import Forbidden, NotFound, ValidationError

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")
NAME_RULE = "1-128 characters: letters, digits and . _ @ + - (not first)"


class Role(IntEnum):
    """A role; a higher value includes every right of the lower ones."""

    VIEWER = 1
    CONTRIBUTOR = 2
    PLANNER = 3
    ADMIN = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: object, where: str = "role") -> Role:
        """The role named `text` (viewer, contributor, planner, admin)."""
        names = ", ".join(role.label for role in cls)
        if not isinstance(text, str) or text.upper() not in cls.__members__:
            raise ValidationError.at(where, f"must be one of {names}, got {text!r}")
        return cls[text.upper()]


ACTS_FOR_OTHERS = Role.PLANNER


def check_principal_name(name: object, where: str = "name") -> str:
    """A token or member name as recorded in the audit trail."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ValidationError.at(where, f"{NAME_RULE}, got {name!r}")
    return name


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: its name (recorded as actor) and its roles,
    organisation-wide and per project (project id as text -> role)."""

    name: str
    organisation_role: Role | None = None
    project_roles: Mapping[str, Role] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def role_on(self, project_id: object) -> Role | None:
        """The highest role this principal holds on the project, if any."""
        own = self.project_roles.get(str(project_id))
        roles = [r for r in (self.organisation_role, own) if r is not None]
        return max(roles) if roles else None

    def require_on(self, project_id: object, role: Role) -> None:
        """NotFound without any role on the project (its existence stays
        hidden), Forbidden with too low a role."""
        held = self.role_on(project_id)
        if held is None:
            raise NotFound(f"no project {project_id}")
        if held < role:
            raise Forbidden(
                f"{self.name} is {held.label} on project {project_id}; "
                f"this needs {role.label}"
            )

    def require_organisation(self, role: Role) -> None:
        """Forbidden unless the organisation-wide role is at least `role`."""
        held = self.organisation_role
        if held is None or held < role:
            have = "no organisation-wide role" if held is None else held.label
            raise Forbidden(
                f"{self.name} has {have}; this needs {role.label} organisation-wide"
            )

    def sees(self, project_id: object) -> bool:
        return self.role_on(project_id) is not None

    def visible(self, project_ids: Iterable[str]) -> list[str]:
        """The ids among `project_ids` this principal may see, in order."""
        return [p for p in project_ids if self.sees(p)]

    def actor(self, person: str | None, project_id: object | None) -> str:
        """Who the audit trail records: the principal, or `principal on
        behalf of person` when it names someone else and its role allows."""
        if person is None or not person.strip() or person.strip() == self.name:
            return self.name
        held = (
            self.organisation_role if project_id is None else self.role_on(project_id)
        )
        if held is None or held < ACTS_FOR_OTHERS:
            raise Forbidden(
                f"X-Actor: {self.name} may not act on behalf of another person "
                f"(needs {ACTS_FOR_OTHERS.label})"
            )
        return f"{self.name} on behalf of {person.strip()}"
