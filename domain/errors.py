"""Errors the domain raises; the service maps each kind to one HTTP status."""

from __future__ import annotations

from dataclasses import dataclass


class PlanforgeError(Exception):
    """Base of every error planforge raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (a field path) and what."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class ValidationError(PlanforgeError):
    """The input breaks a rule; nothing was changed. Lists every problem found."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else problems
        super().__init__("; ".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, field: str, message: str) -> ValidationError:
        return cls(Problem(field, message))

    def __reduce__(self) -> tuple[type[ValidationError], tuple[list[Problem]]]:
        """Rebuilt from its problems when it crosses a process boundary."""
        return (type(self), (self.problems,))


class NotFound(PlanforgeError):
    """A project, task, resource, dependency, risk or plan that does not exist."""


class ConcurrencyConflict(PlanforgeError):
    """A write named a version that is no longer the current one."""

    def __init__(self, expected_version: int, current_version: int) -> None:
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(
            f"version conflict: expected version {expected_version}, "
            f"current version is {current_version}"
        )

    def __reduce__(self) -> tuple[type[ConcurrencyConflict], tuple[int, int]]:
        return (type(self), (self.expected_version, self.current_version))


class Unauthenticated(PlanforgeError):
    """No credential, or one that is unknown, revoked, expired or malformed."""


class Forbidden(PlanforgeError):
    """The principal is known, but its role does not allow this."""


class GateClosed(PlanforgeError):
    """Work behind a stage gate that has not been approved (or a gate whose
    stage is unfinished): the request conflicts with the project's state."""


class PortfolioConflict(PlanforgeError):
    """A portfolio plan cannot be committed as a whole (a member project
    changed since it was planned, or its plan would clash with work committed
    elsewhere); `projects` names the members in the way. Nothing was
    committed."""

    def __init__(self, message: str, projects: list[str]) -> None:
        self.projects = projects
        super().__init__(message)

    def __reduce__(self) -> tuple[type[PortfolioConflict], tuple[str, list[str]]]:
        return (type(self), (str(self), self.projects))
