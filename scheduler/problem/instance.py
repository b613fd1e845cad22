"""The solver's own input: integer-indexed plain data built from a domain.Project.

Everything the model needs is resolved here (durations in whole days, resource
indices, qualified people), and checked once on construction, so the model
builder never looks at domain objects or strings.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from domain import Calendar, DependencyType, Problem, Project, Task, ValidationError
from domain.bookings import BusySpan, reserved_days
from domain.outline import leaf_project
from scheduler.problem.paths import Edge, Extra, Paths, longest_paths
from scheduler.problem.units import scaled, unit_scales
from scheduler.problem.windows import TaskWindow
from scheduler.problem.workforce import (
    SpanTables,
    Workforce,
    task_calendars,
    workforce_of,
)
from scheduler.problem.worktime import teams_of


@dataclass(frozen=True)
class TaskData:
    """One task: fixed duration, units held per resource, people to pick.

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


@dataclass(frozen=True)
class PrecedenceData:
    """A dependency between task indices; see `start_offset` for its meaning."""

    predecessor: int
    successor: int
    type: DependencyType = DependencyType.FS
    lag: int = 0


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

    def __post_init__(self) -> None:
        problems = list(self._problems())
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
        problems = _reference_problems(project)
        if problems:
            raise ValidationError(problems)
        windows = tuple(TaskWindow.of(task) for task in project.tasks)
        scales = unit_scales(project)
        base_horizon = (
            sum(t.planned_duration for t in project.tasks)
            + sum(max(d.lag, 0) for d in project.dependencies)
            + max((w.earliest for w in windows), default=0)
        )
        reserved = tuple(
            (project.resource_index[person], first, end, units * scales[person])
            for person, first, end, units in reserved_days(project, busy)
        )
        base_horizon += max((end for _, _, end, _ in reserved), default=0)
        calendars = task_calendars(project)
        return cls(
            task_ids=tuple(task.id for task in project.tasks),
            resource_ids=tuple(resource.id for resource in project.resources),
            tasks=tuple(
                _task_data(project, task, scales, calendars) for task in project.tasks
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
            workforce=workforce_of(project, base_horizon),
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
        """Whether the task's own calendar or some possible team of it has
        days off (its elapsed span may then exceed its duration)."""
        data = self.tasks[task]
        own = data.calendar is not None and self.spans.timed((data.calendar,))
        return bool(own) or any(self.spans.timed((p,)) for p in data.candidates)

    def work_team(self, task: int, team: tuple[int, ...]) -> tuple[int, ...]:
        """The rows of `Workforce.blocked` whose days off shape the task's
        span when `team` does it: the team's, and its own calendar's."""
        row = self.tasks[task].calendar
        return team if row is None else (*team, row)

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

    def _problems(self) -> Iterator[Problem]:
        if len(self.task_ids) != len(self.tasks):
            yield Problem("tasks", "one id per task is required")
            return
        if len(self.resource_ids) != len(self.capacities):
            yield Problem("resources", "one id per resource is required")
            return
        if len(set(self.task_ids)) != len(self.task_ids):
            yield Problem("tasks", "task ids must be unique")
        if len(set(self.resource_ids)) != len(self.resource_ids):
            yield Problem("resources", "resource ids must be unique")
        for index, capacity in enumerate(self.capacities):
            if capacity < 0:
                where = f"resources.{self.resource_ids[index]}.capacity"
                yield Problem(where, "must not be negative")
        for index, task in enumerate(self.tasks):
            yield from self._task_problems(index, task)
        for index, precedence in enumerate(self.precedences):
            yield from self._precedence_problems(index, precedence)
        if self.windows and len(self.windows) != len(self.tasks):
            yield Problem("windows", "one window per task, or none")

    def _task_problems(self, index: int, task: TaskData) -> Iterator[Problem]:
        where = f"tasks.{self.task_ids[index]}"
        if task.duration < 0:
            yield Problem(f"{where}.duration", "must not be negative")
        for resource, units in task.demands:
            if not 0 <= resource < self.num_resources:
                yield Problem(f"{where}.demands", f"unknown resource {resource}")
            elif units <= 0:
                yield Problem(f"{where}.demands", "units must be positive")
            elif units > self.capacities[resource]:
                yield Problem(
                    f"{where}.demands.{self.resource_ids[resource]}",
                    f"needs {units} units, capacity is {self.capacities[resource]}",
                )
        if any(not 0 <= c < self.num_resources for c in task.candidates):
            yield Problem(f"{where}.candidates", "unknown resource")
        if len(set(task.candidates)) != len(task.candidates):
            yield Problem(f"{where}.candidates", "candidates must be distinct")
        if task.people < 0 or (task.candidates and task.people == 0):
            yield Problem(f"{where}.people", "must be at least 1 when skills are set")
        if task.people > len(task.candidates):
            yield Problem(
                f"{where}.people",
                f"needs {task.people} qualified people, "
                f"only {len(task.candidates)} available",
            )

    def _precedence_problems(
        self, index: int, precedence: PrecedenceData
    ) -> Iterator[Problem]:
        where = f"dependencies[{index}]"
        ends = (precedence.predecessor, precedence.successor)
        if any(not 0 <= end < self.num_tasks for end in ends):
            yield Problem(where, "refers to an unknown task")
        elif precedence.predecessor == precedence.successor:
            yield Problem(where, "a task cannot depend on itself")


def _reference_problems(project: Project) -> list[Problem]:
    """Ids a project refers to but does not define."""
    problems = []
    for task in project.tasks:
        for resource_id in task.demands:
            if resource_id not in project.resource_index:
                problems.append(
                    Problem(
                        f"tasks.{task.id}.demands", f"unknown resource {resource_id}"
                    )
                )
    for dep in project.dependencies:
        for task_id in (dep.predecessor, dep.successor):
            if task_id not in project.task_index:
                problems.append(
                    Problem(f"dependencies.{dep.id}", f"unknown task {task_id}")
                )
    return problems


def _task_data(
    project: Project, task: Task, scales: dict[str, int], calendars: list[Calendar]
) -> TaskData:
    """Resolve one task; people who cannot work (capacity 0) are not candidates;
    its own calendar is its row among `calendars` (`workforce.task_calendars`)."""
    demands = tuple(
        (project.resource_index[resource_id], scaled(units, scales[resource_id]))
        for resource_id, units in task.demands.items()
        if units != 0
    )
    calendar = None
    own = project.task_calendar(task)
    if own is not None and project.start is not None:
        calendar = len(project.resources) + calendars.index(own)
    if not task.needs_people:
        return TaskData(
            task.planned_duration,
            demands,
            splittable=task.splittable,
            calendar=calendar,
        )
    candidates = tuple(
        project.resource_index[person.id]
        for person in project.qualified_people(task)
        if person.capacity >= 1
    )
    return TaskData(
        task.planned_duration,
        demands,
        task.people,
        candidates,
        task.splittable,
        calendar,
    )


def late_by(problem: SchedulingProblem, finishes: Sequence[int]) -> list[int]:
    """Days each task finishes after its (soft) deadline; 0 when on time
    (here, not in `scheduler.model.lateness`, so reading a plan needs no CP-SAT)."""
    late = [0] * problem.num_tasks
    for task, day, _weight in problem.soft_deadlines:
        late[task] = max(finishes[task] - day, 0)
    return late
