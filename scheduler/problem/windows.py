"""A task's time window in solver terms: plain data, resolved from domain timing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain import Task
from domain.constraint import Bounds, ConstraintType


@dataclass(frozen=True)
class TaskWindow:
    """One task's time constraints in solver terms (None: unconstrained)."""

    release: int | None = None
    deadline: int | None = None
    due: int | None = None
    tardiness_weight: int = 1
    pin_earliest: int | None = None
    pin_latest: int | None = None
    actual_start: int | None = None
    as_late: bool = False  # ALAP: planned as late as the rest allows

    @classmethod
    def of(cls, task: Task) -> TaskWindow:
        """Resolve a domain task's timing; a date constraint tightens the
        release, the latest start and the deadline."""
        timing = task.timing
        pin = timing.pin
        bounds = (
            timing.constraint.bounds(task.planned_duration)
            if timing.constraint
            else Bounds()
        )
        return cls(
            release=_tightest(max, timing.release, bounds.earliest_start),
            deadline=timing.latest_finish(task.planned_duration),
            due=timing.due,
            tardiness_weight=timing.tardiness_weight,
            pin_earliest=pin.earliest if pin else None,
            pin_latest=_tightest(min, pin.latest if pin else None, bounds.latest_start),
            actual_start=timing.actual_start,
            as_late=timing.actual_start is None
            and timing.constraint is not None
            and timing.constraint.type is ConstraintType.ALAP,
        )

    @property
    def earliest(self) -> int:
        """The earliest start this window alone allows."""
        days = (self.release, self.pin_earliest, self.actual_start)
        return max((day for day in days if day is not None), default=0)


def _tightest(pick: Callable[[int, int], int], *days: int | None) -> int | None:
    """`pick` (max or min) of the days given, None when none is."""
    given = [day for day in days if day is not None]
    return pick(*given) if len(given) > 1 else (given[0] if given else None)
