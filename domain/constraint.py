"""Date constraints as MS Project and Primavera name them, on working days.

A task holds at most one `Constraint` (document field `constraint`:
`{"type": "SNET", "day": 5}`). Each type bounds the task's start or finish:

- `ASAP` / `ALAP`: as soon / as late as possible; no day, no bound. An ALAP
  task is planned as late as it can go without delaying any successor or the
  plan's finish (the scheduler's right shift after the left one).
- `SNET` / `SNLT`: start no earlier / no later than `day`.
- `FNET` / `FNLT`: finish no earlier / no later than `day`.
- `MSO` / `MFO`: must start / must finish on `day`.

`bounds(duration)` turns any of them into (earliest start, latest start,
latest finish), the form the solver windows and the validator use.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.errors import Problem, ValidationError


class ConstraintType(StrEnum):
    ASAP = "ASAP"
    ALAP = "ALAP"
    SNET = "SNET"
    SNLT = "SNLT"
    FNET = "FNET"
    FNLT = "FNLT"
    MSO = "MSO"
    MFO = "MFO"

    @property
    def dated(self) -> bool:
        """Whether the type needs a day."""
        return self not in (ConstraintType.ASAP, ConstraintType.ALAP)

    @property
    def on_finish(self) -> bool:
        return self in (ConstraintType.FNET, ConstraintType.FNLT, ConstraintType.MFO)


@dataclass(frozen=True)
class Bounds:
    """Earliest start, latest start and latest finish (None: open)."""

    earliest_start: int | None = None
    latest_start: int | None = None
    latest_finish: int | None = None


@dataclass(frozen=True)
class Constraint:
    """One date constraint; `day` is None for ASAP and ALAP."""

    type: ConstraintType
    day: int | None = None

    def bounds(self, duration: int) -> Bounds:
        """What the constraint asks of a task lasting `duration` days."""
        day, kind = self.day, self.type
        if day is None:
            return Bounds()
        start_day = day - duration if kind.on_finish else day
        if kind in (ConstraintType.MSO, ConstraintType.MFO):
            return Bounds(start_day, start_day)
        if kind in (ConstraintType.SNET, ConstraintType.FNET):
            return Bounds(earliest_start=max(start_day, 0))
        if kind is ConstraintType.SNLT:
            return Bounds(latest_start=day)
        return Bounds(latest_finish=day)

    def broken_by(self, start: int, finish: int) -> str | None:
        """Why a task on [start, finish) breaks this constraint, or None."""
        if self.day is None:
            return None
        checks = {
            ConstraintType.SNET: (start >= self.day, "starts", "before"),
            ConstraintType.SNLT: (start <= self.day, "starts", "after"),
            ConstraintType.FNET: (finish >= self.day, "finishes", "before"),
            ConstraintType.FNLT: (finish <= self.day, "finishes", "after"),
            ConstraintType.MSO: (start == self.day, "starts", "not on"),
            ConstraintType.MFO: (finish == self.day, "finishes", "not on"),
        }
        holds, verb, relation = checks[self.type]
        day = start if verb == "starts" else finish
        if holds:
            return None
        return f"{verb} on day {day}, {relation} its {self.type} day {self.day}"


def parse_constraint(value: Any, where: str) -> Constraint | None:
    """Read `{"type": "SNET", "day": 5}` (None: no constraint)."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or set(value) - {"type", "day"}:
        raise ValidationError.at(where, 'expected {"type": "SNET", "day": 5}')
    allowed = [kind.value for kind in ConstraintType]
    if value.get("type") not in allowed:
        raise ValidationError.at(
            f"{where}.type", f"must be one of {', '.join(allowed)}"
        )
    kind = ConstraintType(value["type"])
    day = value.get("day")
    if not kind.dated:
        if day is not None:
            raise ValidationError.at(f"{where}.day", f"{kind} takes no day")
        return Constraint(kind)
    if isinstance(day, bool) or not isinstance(day, int) or day < 0:
        raise ValidationError.at(
            f"{where}.day", f"{kind} needs a working day >= 0, got {day!r}"
        )
    return Constraint(kind, day)


def constraint_to_document(constraint: Constraint) -> dict[str, Any]:
    doc: dict[str, Any] = {"type": constraint.type.value}
    if constraint.day is not None:
        doc["day"] = constraint.day
    return doc


def constraint_problems(
    constraint: Constraint | None, duration: int, where: str
) -> Iterator[Problem]:
    """A finish constraint that leaves no room for the task before day 0."""
    if constraint is None or constraint.day is None:
        return
    if constraint.type is ConstraintType.MFO and constraint.day < duration:
        yield Problem(
            f"{where}.constraint",
            f"must finish on day {constraint.day}, but it lasts {duration} days",
        )
