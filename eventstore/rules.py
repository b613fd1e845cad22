"""Checks the aggregate runs on caller input before it records anything."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain import ValidationError
from eventstore.records import JSONDict

MAX_REASON_LENGTH = 1000


def check_actor(actor: str) -> None:
    """Every event names who made it."""
    if not isinstance(actor, str) or not actor.strip():
        raise ValidationError.at("actor", "required, a non-empty string")


def check_reason(reason: str | None) -> str | None:
    """An optional short note on why; blank means none."""
    if reason is None:
        return None
    if not isinstance(reason, str):
        raise ValidationError.at("reason", f"expected a string, got {reason!r}")
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError.at(
            "reason", f"at most {MAX_REASON_LENGTH} characters, got {len(reason)}"
        )
    return reason.strip() or None


def check_forecast(seed: Any, samples: Any, summary: Any) -> None:
    """A forecast records what it takes to reproduce it."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValidationError.at("seed", f"expected an integer, got {seed!r}")
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise ValidationError.at("samples", f"must be an integer >= 1: {samples!r}")
    if not isinstance(summary, Mapping):
        raise ValidationError.at("summary", "expected a JSON object")


def check_plan_tasks(plan: JSONDict) -> None:
    """Rules a plan must meet on its own; the scheduler's validator checks it
    against the project (precedence, capacity, skills) before it gets here."""
    seen: set[str] = set()
    for task in plan["tasks"]:
        where = f"plan.tasks[{task['task_id']}]"
        if task["task_id"] in seen:
            raise ValidationError.at(where, "scheduled more than once")
        if task["finish"] < task["start"]:
            raise ValidationError.at(where, "finishes before it starts")
        seen.add(task["task_id"])
