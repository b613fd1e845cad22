"""When a task may, must or should happen: release, deadlines, due dates, pins,
and the actual dates of work already under way.

All times are working days from the project start, like every other time in a
project document. The fields sit flat on a task in the document (v1, all
optional); in the domain they are grouped in one `TaskTiming` per task.

- `release`: the task starts no earlier than this day.
- `deadline`: the task finishes no later than this day (hard).
- `due` with `tardiness_weight`: the task should finish by this day; each day
  late costs `tardiness_weight` in the tardiness objective (soft).
- `pin`: `{"start": d}` fixes the start, `{"earliest": a, "latest": b}` keeps
  it within a window.
- `actual_start` (and `actual_finish` once done): the task keeps these dates;
  a finished task lasts exactly `actual_finish - actual_start` days.
- `constraint`: an MS Project-style date constraint (`domain.constraint`),
  folded into the start window and the latest finish.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from domain.constraint import (
    Bounds,
    Constraint,
    constraint_problems,
    constraint_to_document,
    parse_constraint,
)
from domain.errors import Problem, ValidationError

TIMING_FIELDS = {
    "release",
    "deadline",
    "due",
    "tardiness_weight",
    "pin",
    "actual_start",
    "actual_finish",
    "constraint",
}
PIN_FIELDS = {"start", "earliest", "latest"}


@dataclass(frozen=True)
class Pin:
    """The task starts within [earliest, latest]; either end may be open."""

    earliest: int | None = None
    latest: int | None = None

    @property
    def start(self) -> int | None:
        """The fixed start day when the window is a single day."""
        return self.earliest if self.earliest == self.latest else None


@dataclass(frozen=True)
class TaskTiming:
    """A task's time constraints and actual dates (see the module docstring)."""

    release: int | None = None
    deadline: int | None = None
    due: int | None = None
    tardiness_weight: int = 1
    pin: Pin | None = None
    actual_start: int | None = None
    actual_finish: int | None = None
    constraint: Constraint | None = None

    @property
    def is_empty(self) -> bool:
        return self == TaskTiming()

    @property
    def actual_duration(self) -> int | None:
        """Days a finished task took; None until it has both actual dates."""
        if self.actual_start is None or self.actual_finish is None:
            return None
        return self.actual_finish - self.actual_start

    def start_window(self, duration: int) -> tuple[int, int | None]:
        """Earliest and latest start from release, pin, constraint and actual
        start alone, for a task lasting `duration` days."""
        if self.actual_start is not None:
            return self.actual_start, self.actual_start
        bounds = self.constraint.bounds(duration) if self.constraint else Bounds()
        pin = self.pin or Pin()
        earliests = (self.release, pin.earliest, bounds.earliest_start)
        latests = (pin.latest, bounds.latest_start)
        earliest = max((day for day in earliests if day is not None), default=0)
        latest = min((day for day in latests if day is not None), default=None)
        return earliest, latest

    def latest_finish(self, duration: int) -> int | None:
        """The deadline, tightened by a finish-no-later-than constraint."""
        bounds = self.constraint.bounds(duration) if self.constraint else None
        days = (self.deadline, bounds.latest_finish if bounds else None)
        return min((day for day in days if day is not None), default=None)


def parse_timing(doc: Mapping[str, Any], where: str) -> TaskTiming:
    """Read the optional timing fields of one task document."""
    return TaskTiming(
        release=_day(doc.get("release"), f"{where}.release"),
        deadline=_day(doc.get("deadline"), f"{where}.deadline"),
        due=_day(doc.get("due"), f"{where}.due"),
        tardiness_weight=_day(
            doc.get("tardiness_weight", 1), f"{where}.tardiness_weight"
        )
        or 0,
        pin=parse_pin(doc.get("pin"), f"{where}.pin"),
        actual_start=_day(doc.get("actual_start"), f"{where}.actual_start"),
        actual_finish=_day(doc.get("actual_finish"), f"{where}.actual_finish"),
        constraint=parse_constraint(doc.get("constraint"), f"{where}.constraint"),
    )


def timing_to_document(timing: TaskTiming) -> dict[str, Any]:
    """The fields `parse_timing` reads, leaving out those at their defaults."""
    doc: dict[str, Any] = {}
    for key in ("release", "deadline", "due", "actual_start", "actual_finish"):
        if (value := getattr(timing, key)) is not None:
            doc[key] = value
    if timing.due is not None or timing.tardiness_weight != 1:
        doc["tardiness_weight"] = timing.tardiness_weight
    if timing.pin is not None:
        doc["pin"] = pin_to_document(timing.pin)
    if timing.constraint is not None:
        doc["constraint"] = constraint_to_document(timing.constraint)
    return doc


def pin_to_document(pin: Pin) -> dict[str, int]:
    """What `parse_pin` reads back as this pin."""
    if pin.start is not None:
        return {"start": pin.start}
    ends = (("earliest", pin.earliest), ("latest", pin.latest))
    return {key: day for key, day in ends if day is not None}


def timing_problems(timing: TaskTiming, duration: int, where: str) -> Iterator[Problem]:
    """Rules within one task's timing: windows non-empty, actual dates ordered."""
    pin = timing.pin
    window = (pin.earliest, pin.latest) if pin else (None, None)
    if window[0] is not None and window[1] is not None and window[0] > window[1]:
        yield Problem(
            f"{where}.pin", f"earliest {window[0]} is after latest {window[1]}"
        )
    if timing.actual_finish is not None:
        if timing.actual_start is None:
            yield Problem(f"{where}.actual_finish", "needs an actual_start")
        elif timing.actual_finish < timing.actual_start:
            yield Problem(
                f"{where}.actual_finish",
                f"day {timing.actual_finish} is before actual_start "
                f"day {timing.actual_start}",
            )
    yield from constraint_problems(timing.constraint, duration, where)
    earliest, latest = timing.start_window(duration)
    if latest is not None and earliest > latest:
        held = "pinned" if timing.constraint is None else "pinned or constrained"
        yield Problem(
            where,
            f"cannot start: released on day {earliest}, {held} to start "
            f"by day {latest}",
        )
    finish_by = timing.latest_finish(duration)
    if finish_by is not None and earliest + duration > finish_by:
        field = "deadline" if finish_by == timing.deadline else "constraint"
        yield Problem(
            f"{where}.{field}",
            f"day {finish_by} is before the earliest possible finish "
            f"(start day {earliest} + {duration} days)",
        )


def _day(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError.at(where, f"expected a working day number, got {value!r}")
    if value != int(value):
        raise ValidationError.at(where, f"expected a whole number, got {value!r}")
    if value < 0:
        raise ValidationError.at(where, f"must be >= 0, got {value!r}")
    return int(value)


def parse_pin(value: Any, where: str) -> Pin | None:
    """Read `{"start": d}` or `{"earliest": a, "latest": b}` (None: no pin)."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or not value:
        raise ValidationError.at(
            where, 'expected {"start": day} or {"earliest": day, "latest": day}'
        )
    unknown = sorted(set(value) - PIN_FIELDS)
    if unknown:
        raise ValidationError.at(
            f"{where}.{unknown[0]}", "unknown field (allowed: earliest, latest, start)"
        )
    if "start" in value:
        if set(value) != {"start"}:
            raise ValidationError.at(where, "use either start or earliest/latest")
        day = _day(value["start"], f"{where}.start")
        return Pin(day, day)
    return Pin(
        _day(value.get("earliest"), f"{where}.earliest"),
        _day(value.get("latest"), f"{where}.latest"),
    )
