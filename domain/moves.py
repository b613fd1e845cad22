"""Why a task moved between two plans, in a planner's words.

Given two plans with the project each was made from, every task whose start
moved gets the first cause that holds, looked for in this order:

1. its own window changed: a pin (the project's or the plan's), a release or
   a date constraint now sets its start ("it is pinned to start on day 12");
2. a predecessor now ends where the task starts, later or earlier than it
   did, and why when it can be told ("predecessor 'build' now finishes on
   day 18, was 14: its duration went 14 -> 18");
3. one of its people is busy with another task up to its start ("ann is busy
   with 'design' until day 9");
4. one of its people has a new absence or calendar ("ann's absences changed"),
   or the organisation's calendar changed;
5. otherwise: the new plan's order on shared resources and people.

Only domain types; times are working days from the project start.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.model import Dependency, DependencyType, Project
from domain.plan import Plan, ScheduledTask


@dataclass(frozen=True)
class Move:
    """`task` starts `days` later (negative: earlier) in the new plan."""

    task: str
    start_before: int
    start_after: int
    cause: str

    @property
    def days(self) -> int:
        return self.start_after - self.start_before


def moves(
    before: Project, plan_before: Plan, after: Project, plan_after: Plan
) -> list[Move]:
    """The tasks in both plans whose start differs, each with its cause."""
    old = {t.task_id: t for t in plan_before.tasks}
    new = {t.task_id: t for t in plan_after.tasks}
    found = []
    for task_id in (t.task_id for t in plan_after.tasks):
        if task_id in old and old[task_id].start != new[task_id].start:
            context = _Context(before, plan_before, after, plan_after, old, new)
            found.append(
                Move(
                    task_id,
                    old[task_id].start,
                    new[task_id].start,
                    context.cause(task_id),
                )
            )
    return found


@dataclass(frozen=True)
class _Context:
    before: Project
    plan_before: Plan
    after: Project
    plan_after: Plan
    old: dict[str, ScheduledTask]
    new: dict[str, ScheduledTask]

    def cause(self, task_id: str) -> str:
        for finder in (self._window, self._predecessor, self._person, self._time):
            found = finder(task_id)
            if found:
                return found
        return "the new plan orders the work on shared resources and people differently"

    def _window(self, task_id: str) -> str | None:
        """A pin, release or date constraint that now sets the start."""
        start = self.new[task_id].start
        pin_before = _pin(self.before, self.plan_before, task_id)
        pin_after = _pin(self.after, self.plan_after, task_id)
        if pin_after != pin_before and pin_after is not None:
            earliest, latest = pin_after
            if earliest == latest:
                return f"it is pinned to start on day {earliest}"
            return f"its pin is now days {earliest}..{latest}"
        timing = self.after.task(task_id).timing
        earlier = (
            self.before.task(task_id).timing
            if task_id in self.before.task_index
            else None
        )
        if timing.release == start and (earlier is None or earlier.release != start):
            return f"its release is now day {start}"
        if earlier is not None and timing.constraint != earlier.constraint:
            return f"its date constraint changed to {timing.constraint}"
        return None

    def _predecessor(self, task_id: str) -> str | None:
        """A predecessor whose end (or start) now sets this task's start."""
        start = self.new[task_id].start
        for link in self.after.dependencies:
            if link.successor != task_id or link.predecessor not in self.new:
                continue
            if _earliest_by(link, self.new, self.after) != start:
                continue
            before_id = link.predecessor
            was, now = self.old.get(before_id), self.new[before_id]
            if was is None:
                return f"it now follows the new task '{before_id}'"
            ends = link.type in (DependencyType.FS, DependencyType.FF)
            then, later = (was.finish, now.finish) if ends else (was.start, now.start)
            if then == later:
                continue
            verb = "finishes" if ends else "starts"
            why = self._why(before_id)
            return (
                f"predecessor '{before_id}' now {verb} on day {later}, was {then}"
                + (f": {why}" if why else "")
            )
        return None

    def _why(self, task_id: str) -> str:
        """A predecessor's own reason: its duration, or its own cause."""
        if task_id in self.before.task_index:
            then = self.before.task(task_id).planned_duration
            now = self.after.task(task_id).planned_duration
            if then != now:
                return f"its duration went {then} -> {now}"
        if self.old[task_id].start != self.new[task_id].start:
            return f"it moved too ({self.cause(task_id)})"
        return ""

    def _person(self, task_id: str) -> str | None:
        """One of its people busy with another task right up to its start."""
        task = self.new[task_id]
        for person in task.assignees:
            for other in self.plan_after.tasks:
                busy = other.task_id != task_id and person in other.assignees
                if busy and other.finish == task.start and other.start < task.start:
                    return (
                        f"{person} is busy with '{other.task_id}' "
                        f"until day {task.start}"
                    )
        return None

    def _time(self, task_id: str) -> str | None:
        """People's days off, or the organisation's calendar, changed."""
        for person in self.new[task_id].assignees:
            if (
                person not in self.after.resource_index
                or person not in self.before.resource_index
            ):
                continue
            now, then = self.after.resource(person), self.before.resource(person)
            if now.absences != then.absences:
                return f"{person}'s absences changed"
            if now.calendar != then.calendar:
                return f"{person}'s working calendar changed"
        if self.after.calendar != self.before.calendar:
            return "the organisation's calendar changed"
        return None


def _pin(
    project: Project, plan: Plan, task_id: str
) -> tuple[int | None, int | None] | None:
    """The task's pin in that plan: the request's, else the project's."""
    for pinned, requested in plan.pins:
        if pinned == task_id:
            return requested.earliest, requested.latest
    if task_id not in project.task_index:
        return None
    own = project.task(task_id).timing.pin
    return None if own is None else (own.earliest, own.latest)


def _earliest_by(
    link: Dependency, schedule: dict[str, ScheduledTask], project: Project
) -> int:
    """The start of the successor this link alone allows."""
    before = schedule[link.predecessor]
    duration = project.task(link.successor).planned_duration
    match link.type:
        case DependencyType.FS:
            return before.finish + link.lag
        case DependencyType.SS:
            return before.start + link.lag
        case DependencyType.FF:
            return before.finish + link.lag - duration
    return before.start + link.lag - duration
