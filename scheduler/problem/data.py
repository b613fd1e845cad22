"""The records a problem is made of: tasks, dependencies and (in a portfolio)
projects, by index."""

from __future__ import annotations

from dataclasses import dataclass

from domain import DependencyType


@dataclass(frozen=True)
class TaskData:
    """One task: fixed duration, units held per resource, people to pick.

    `duration` is the working days it spans when everyone on it works every
    day: its work plus the `paused` days of its stated pauses
    (`domain.pauses`), over which the model holds its resources.
    `candidates` are the resources qualified to do the task (empty when it asks
    for no skills); exactly `people` of them are assigned, one unit each. A
    task that is not `splittable` never straddles an organisation break.
    """

    duration: int
    demands: tuple[tuple[int, int], ...] = ()
    people: int = 0
    candidates: tuple[int, ...] = ()
    splittable: bool = True
    calendar: int | None = None  # its own calendar's row in `Workforce.blocked`
    paused: int = 0
    held: tuple[int, ...] = ()  # demanded resources it pauses over (`paused_by`)

    @property
    def work(self) -> int:
        """Days of work (people's cost and load count these)."""
        return self.duration - self.paused


@dataclass(frozen=True)
class PrecedenceData:
    """A dependency between task indices; see `start_offset` for its meaning."""

    predecessor: int
    successor: int
    type: DependencyType = DependencyType.FS
    lag: int = 0


@dataclass(frozen=True)
class ProjectGroup:
    """One project of a portfolio: its tasks, its priority (at least 1), its
    due day (None: no deadline) and a floor under its finish (its tasks
    outside the problem, fixed while a neighbourhood is re-planned)."""

    name: str
    tasks: tuple[int, ...]
    priority: int = 1
    due: int | None = None
    floor: int = 0
