"""The solver's own input: integer-indexed plain data built from a domain.Project.

Everything the model needs is resolved here (durations in whole days, resource
indices, qualified people: `scheduler.problem.resolve`), and checked once on
construction (`scheduler.problem.checks`), so the model builder never looks at
domain objects or strings. The records it holds are in `scheduler.problem.data`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from domain import DependencyType, Project, ValidationError
from domain.bookings import BusySpan
from domain.outline import leaf_project
from scheduler.problem.checks import input_problems
from scheduler.problem.data import PrecedenceData, ProjectGroup, TaskData
from scheduler.problem.paths import Edge, Extra, Paths, longest_paths
from scheduler.problem.resolve import (
    base_horizon,
    reference_problems,
    reserved_units,
    task_data,
)
from scheduler.problem.units import unit_scales
from scheduler.problem.windows import TaskWindow
from scheduler.problem.workforce import (
    SpanTables,
    Workforce,
    task_calendars,
    workforce_of,
)
from scheduler.problem.worktime import teams_of


@dataclass(frozen=True)
class SchedulingProblem:
    """An RCPSP with skill-based assignment and generalised precedences.

    `task_ids` / `resource_ids` map indices back to the domain; `tasks`,
    `capacities` and `precedences` are what the model reads. `windows` (one
    per task, or empty for none) and `deadline` are the time constraints.
    """

    task_ids: tuple[str, ...]
    resource_ids: tuple[str, ...]
    tasks: tuple[TaskData, ...]
    capacities: tuple[int, ...]
    precedences: tuple[PrecedenceData, ...] = ()
    name: str = ""
    windows: tuple[TaskWindow, ...] = ()
    deadline: int | None = None
    min_horizon: int = 0  # room for a previous plan that left gaps
    workforce: Workforce = field(default_factory=Workforce)
    # (resource, start, end, units) taken by work outside this problem, e.g.
    # the fixed rest of a portfolio while a neighbourhood is re-planned.
    reserved: tuple[tuple[int, int, int, int], ...] = ()
    # A latest finish known to be enough (e.g. a greedy plan's makespan).
    horizon_cap: int | None = None
    # Deadlines as lateness to minimise first (scheduler.model.lateness): (task,
    # day, weight) per task, and the project's.
    soft_deadlines: tuple[tuple[int, int, int], ...] = ()
    soft_project_deadline: int | None = None
    # The projects of a portfolio planned together (`scheduler.portfolio`).
    projects: tuple[ProjectGroup, ...] = ()

    def __post_init__(self) -> None:
        problems = list(input_problems(self))
        if problems:
            raise ValidationError(problems)

    @classmethod
    def from_project(
        cls, project: Project, busy: Sequence[BusySpan] = ()
    ) -> SchedulingProblem:
        """Resolve a project into solver input; raises ValidationError if invalid.

        Summary tasks give way to their leaves (`domain.outline`); shares of a
        resource become whole hundredths (`scheduler.problem.units`). `busy` is its
        people's committed work elsewhere (`domain.bookings`), kept free.
        """
        project = leaf_project(project)
        problems = reference_problems(project)
        if problems:
            raise ValidationError(problems)
        windows = tuple(TaskWindow.of(task) for task in project.tasks)
        scales = unit_scales(project)
        reserved = reserved_units(project, busy, scales)
        calendars = task_calendars(project)
        return cls(
            task_ids=tuple(task.id for task in project.tasks),
            resource_ids=tuple(resource.id for resource in project.resources),
            tasks=tuple(
                task_data(project, task, scales, calendars) for task in project.tasks
            ),
            capacities=tuple(
                resource.capacity * scales[resource.id]
                for resource in project.resources
            ),
            precedences=tuple(
                PrecedenceData(
                    project.task_index[dep.predecessor],
                    project.task_index[dep.successor],
                    dep.type,
                    dep.lag,
                )
                for dep in project.dependencies
            ),
            name=project.name,
            windows=windows,
            deadline=project.deadline,
            workforce=workforce_of(project, base_horizon(project, windows, reserved)),
            reserved=reserved,
        )

    @property
    def has_soft_deadlines(self) -> bool:
        """Whether deadlines are lateness to minimise (scheduler.model.lateness)."""
        return bool(self.soft_deadlines) or self.soft_project_deadline is not None

    @property
    def num_tasks(self) -> int:
        return len(self.tasks)

    @property
    def num_resources(self) -> int:
        return len(self.capacities)

    @property
    def horizon(self) -> int:
        """A safe latest finish: every task in sequence, plus every positive lag,
        plus the delay people's blocked days may cause (at most `horizon_cap`)."""
        durations = sum(task.duration for task in self.tasks)
        latest_release = max((w.earliest for w in self.windows), default=0)
        lags = sum(max(p.lag, 0) for p in self.precedences)
        extra = self.workforce.extra_days
        reserved = max((end for _, _, end, _ in self.reserved), default=0)
        safe = latest_release + durations + lags + extra + reserved
        if self.horizon_cap is not None:
            safe = min(safe, self.horizon_cap)
        return max(safe, self.min_horizon)

    @cached_property
    def spans(self) -> SpanTables:
        """Elapsed ends of work that pauses over people's days off."""
        return SpanTables(self.workforce, self.horizon + 1)

    def teams(self, task: int) -> list[tuple[int, ...]]:
        """The teams the task may get, told apart by their common days
        (`worktime.teams_of`)."""
        data = self.tasks[task]
        return teams_of(data.people, data.candidates)

    def stretches(self, task: int) -> bool:
        """Whether the task's own calendar, a resource it demands or some
        possible team of it has days off (its elapsed span may then exceed
        its duration)."""
        data = self.tasks[task]
        own = self.spans.timed(self.work_team(task, ()))
        return bool(own) or any(self.spans.timed((p,)) for p in data.candidates)

    def work_team(self, task: int, team: tuple[int, ...]) -> tuple[int, ...]:
        """The rows of `Workforce.blocked` whose days off shape the task's
        span when `team` does it: the team's, the resources it demands
        (`TaskData.held`: equipment is not worked on its days off either) and
        its own calendar's."""
        data = self.tasks[task]
        row = () if data.calendar is None else (data.calendar,)
        return (*team, *data.held, *row)

    def start_offset(
        self, precedence: PrecedenceData, spans: Sequence[int] = ()
    ) -> int:
        """Least `start[successor] - start[predecessor]` the precedence allows
        (with each task's elapsed span in a plan, `spans`, when given)."""
        before, after = precedence.predecessor, precedence.successor
        if spans:
            before, after = spans[before], spans[after]
        else:
            before, after = self.tasks[before].duration, self.tasks[after].duration
        lag = precedence.lag
        match precedence.type:
            case DependencyType.FS:
                return before + lag
            case DependencyType.SS:
                return lag
            case DependencyType.FF:
                return before + lag - after
            case DependencyType.SF:
                return lag - after
        raise AssertionError(f"unknown dependency type {precedence.type}")

    @cached_property
    def edges(self) -> tuple[Edge, ...]:
        """Each dependency as (before, after, least start difference)."""
        return tuple(
            (p.predecessor, p.successor, self.start_offset(p)) for p in self.precedences
        )

    def longest_paths(
        self,
        values: Sequence[int],
        backward: bool = False,
        keep_ties: bool = False,
        extra: Extra | None = None,
        spans: Sequence[int] = (),
    ) -> Paths:
        """The one longest-path relaxation over the dependencies
        (`scheduler.problem.paths`): starts forward, latest starts backward;
        with `spans`, each task's elapsed span in a plan (see `start_offset`)."""
        edges = self.edges
        if spans:
            edges = tuple(
                (p.predecessor, p.successor, self.start_offset(p, spans))
                for p in self.precedences
            )
        return longest_paths(edges, values, backward, keep_ties, extra)

    def earliest_starts(self, floors: Sequence[int] = ()) -> list[int] | None:
        """Earliest starts under precedences alone (longest paths from day 0,
        or from each task's floor when given).

        None when a positive cycle makes the precedences unsatisfiable.
        """
        paths = self.longest_paths(list(floors) or [0] * self.num_tasks)
        return None if paths.moving is not None else paths.values

    def latest_starts(self, limits: Sequence[int]) -> list[int]:
        """Latest starts back from each task's own latest start `limits` over
        the dependencies (precedences must have no positive cycle)."""
        return self.longest_paths(limits, backward=True).values

    def critical_path_length(self) -> int | None:
        """Makespan lower bound ignoring resources; None if precedences conflict."""
        starts = self.earliest_starts()
        if starts is None:
            return None
        finishes = (
            s + task.duration for s, task in zip(starts, self.tasks, strict=True)
        )
        return max(finishes, default=0)

    def uses_of(self, resource: int) -> Iterator[tuple[int, int]]:
        """(task, units) for every named demand on `resource`."""
        for index, task in enumerate(self.tasks):
            for demanded, units in task.demands:
                if demanded == resource:
                    yield index, units
