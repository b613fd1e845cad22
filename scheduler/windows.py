"""A task's time window in solver terms: plain data, resolved from domain timing."""

from __future__ import annotations

from dataclasses import dataclass

from domain import Task


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

    @classmethod
    def of(cls, task: Task) -> TaskWindow:
        """Resolve a domain task's timing."""
        timing = task.timing
        pin = timing.pin
        return cls(
            release=timing.release,
            deadline=timing.deadline,
            due=timing.due,
            tardiness_weight=timing.tardiness_weight,
            pin_earliest=pin.earliest if pin else None,
            pin_latest=pin.latest if pin else None,
            actual_start=timing.actual_start,
        )

    @property
    def earliest(self) -> int:
        """The earliest start this window alone allows."""
        days = (self.release, self.pin_earliest, self.actual_start)
        return max((day for day in days if day is not None), default=0)
