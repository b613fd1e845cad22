"""Errors that mean the scheduler itself is wrong, never the user's input."""

from __future__ import annotations


class SchedulerError(RuntimeError):
    """An internal scheduler failure (a bug): report it, do not retry it."""


class PlanValidationError(SchedulerError):
    """The solver returned a plan the independent validator rejects."""

    def __init__(self, violations: list[str]) -> None:
        self.violations = violations
        shown = "; ".join(violations[:5])
        more = f" (and {len(violations) - 5} more)" if len(violations) > 5 else ""
        super().__init__(f"solver returned an invalid plan: {shown}{more}")
