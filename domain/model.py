"""The project vocabulary: tasks, resources, dependencies, risks, projects.

Frozen dataclasses with the rules that need no context; the rules that span a
whole project (unknown ids, cycles, capacities) live in `validation`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from statistics import NormalDist

from domain.calendar import EVERY_DAY, Calendar
from domain.pauses import Pause
from domain.progress import DayRef, RemainingAfter, TaskProgress
from domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from domain.timing import TaskTiming


class Distribution(StrEnum):
    """How an estimate varies. Three-point kinds read (optimistic, most_likely,
    pessimistic); `fixed` is its most likely value; `discrete` reads `values`
    and `weights`. `lognormal` is shifted: optimistic + exp(mu + sigma Z), with
    its mode at most_likely and its P90 at pessimistic (`lognormal_parameters`).
    """

    TRIANGULAR = "triangular"
    PERT = "pert"
    UNIFORM = "uniform"
    LOGNORMAL = "lognormal"
    FIXED = "fixed"
    DISCRETE = "discrete"


LOGNORMAL_PESSIMISTIC_QUANTILE = 0.9

CustomValue = str | int | float | bool


class DependencyType(StrEnum):
    """FS: successor starts after predecessor finishes; SS, FF, SF alike."""

    FS = "FS"
    SS = "SS"
    FF = "FF"
    SF = "SF"


@dataclass(frozen=True)
class Estimate:
    """A duration estimate in working days: three points and a distribution.

    A `discrete` estimate also holds `values` and their `weights` (relative,
    equal when empty); its three points are then min, heaviest and max value.
    """

    optimistic: float
    most_likely: float
    pessimistic: float
    distribution: Distribution = Distribution.PERT
    values: tuple[float, ...] = ()
    weights: tuple[float, ...] = ()

    @classmethod
    def discrete(
        cls, values: tuple[float, ...], weights: tuple[float, ...] = ()
    ) -> Estimate:
        """A discrete estimate; its three points summarise the values."""
        heaviest = max(range(len(values)), key=lambda k: weights[k] if weights else 1)
        return cls(
            min(values),
            values[heaviest],
            max(values),
            Distribution.DISCRETE,
            tuple(values),
            tuple(weights),
        )

    @property
    def mean(self) -> float:
        low, mode, high = self.optimistic, self.most_likely, self.pessimistic
        kind = self.distribution
        if kind is Distribution.TRIANGULAR:
            return (low + mode + high) / 3
        if kind is Distribution.UNIFORM:
            return (low + high) / 2
        if kind is Distribution.FIXED:
            return mode
        if kind is Distribution.DISCRETE:
            weights = self.weights or (1.0,) * len(self.values)
            total = sum(weights)
            return sum(v * w for v, w in zip(self.values, weights, strict=True)) / total
        if kind is Distribution.LOGNORMAL:
            mu, sigma = lognormal_parameters(self)
            return low + math.exp(mu + sigma * sigma / 2)
        return (low + 4 * mode + high) / 6


def lognormal_parameters(estimate: Estimate) -> tuple[float, float]:
    """(mu, sigma) of the shifted lognormal with mode at most_likely and P90 at
    pessimistic: mode - low = exp(mu - sigma^2), high - low = exp(mu + z sigma).

    Needs optimistic < most_likely < pessimistic (validation checks it).
    """
    low, mode, high = estimate.optimistic, estimate.most_likely, estimate.pessimistic
    z = NormalDist().inv_cdf(LOGNORMAL_PESSIMISTIC_QUANTILE)
    spread = math.log((high - low) / (mode - low))  # = z sigma + sigma^2
    sigma = (-z + math.sqrt(z * z + 4 * spread)) / 2
    return math.log(mode - low) + sigma * sigma, sigma


@dataclass(frozen=True)
class Task:
    """A piece of work: a fixed `duration` or a three-point `estimate`.

    `demands` holds units of named resources held for the whole task (a share
    of one, e.g. 0.5, in whole percent); `skills` asks for `people` people each
    holding every listed skill at that level. A task is worked only on days
    its people and demanded resources all work; a `splittable` one pauses
    over their days off (`domain.worktime`), one that is not never spans
    an organisation non-working day or one of theirs. `timing` holds release,
    deadline, due date, pin, constraint and actual dates.

    `parent` names the summary task this one belongs to (`domain.outline`); a
    summary task has neither duration nor estimate: it spans its subtasks.
    `notes` and `custom` (custom fields: name -> text, number or flag) are kept
    as they came, for the round trip to other tools.
    `progress` holds the latest report on it (domain.progress); `fixed_cost`
    the money it costs beyond its people's rates (planned, for earned value).
    A `gate` ends a stage: work after it waits for its approval (domain.gates).
    A task with its own `calendar` works the days that calendar works (days
    it pauses over, as for its people's days off), its duration counted in
    them; a calendar working days the project's does not (a 7-day or night
    shift calendar) adds them to the project's time axis
    (`Project.time_calendar`). An `elapsed` task counts its duration in
    clock days (MS Project's elapsed durations, "30 edays"): it works every
    day of the week, holidays too (`EVERY_DAY`), and one day of its duration
    is 24 h of the clock, so its work runs on through the night to the same
    time of the next day (`Project.task_finish_date`); it has no calendar of
    its own. `pauses` split its work into parts with stated gaps
    (`domain.pauses`: MS Project's split tasks).
    """

    id: str
    duration: float | None = None
    estimate: Estimate | None = None
    name: str = ""
    group: str = ""
    demands: Mapping[str, float] = field(default_factory=dict)
    skills: Mapping[str, int] = field(default_factory=dict)
    people: int = 1
    splittable: bool = True
    timing: TaskTiming = field(default_factory=TaskTiming)
    parent: str = ""
    notes: str = ""
    custom: Mapping[str, CustomValue] = field(default_factory=dict)
    progress: TaskProgress = field(default_factory=TaskProgress)
    fixed_cost: float = 0.0
    gate: bool = False
    calendar: Calendar | None = None
    pauses: tuple[Pause, ...] = ()
    elapsed: bool = False

    @property
    def working_calendar(self) -> Calendar | None:
        """The calendar whose days the task works: every day when its
        duration is elapsed time, else its own (None: the project's)."""
        return EVERY_DAY if self.elapsed else self.calendar

    @property
    def planned_duration(self) -> int:
        """Whole working days the deterministic plan uses (most likely value);
        a finished task keeps the days it actually took, a started one the
        days to its expected finish at the status date (domain.status)."""
        if self.timing.actual_duration is not None:
            return self.timing.actual_duration
        started = self.timing.actual_start
        if started is not None and self.progress.expected_finish is not None:
            return self.progress.expected_finish - started
        if self.estimate is not None:
            return math.ceil(self.estimate.most_likely - 1e-9)
        return math.ceil((self.duration or 0) - 1e-9)

    @property
    def needs_people(self) -> bool:
        return bool(self.skills)


@dataclass(frozen=True)
class Absence:
    """A person away from `start` to `end`, both inclusive (vacation, sick days)."""

    start: date
    end: date
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Resource:
    """A renewable resource: equipment with a capacity, or a person with skills.

    A person may have their own `calendar` (working week, personal holidays; it
    narrows the organisation's, never widens it), `absences`, a `cost_rate`
    (money per working day assigned) and a `max_load`: the fraction of the
    plan's span (0 < max_load <= 1) they may spend assigned to tasks.
    Concurrency is `capacity` (tasks at once), as for equipment.
    """

    id: str
    capacity: int = 1
    name: str = ""
    skills: Mapping[str, int] = field(default_factory=dict)
    calendar: Calendar | None = None
    absences: tuple[Absence, ...] = ()
    cost_rate: float = 0.0
    max_load: float | None = None

    @property
    def has_own_time(self) -> bool:
        """Whether a calendar or absences make this resource's days differ."""
        return self.calendar is not None or bool(self.absences)

    def works_on(self, day: date, organisation: Calendar) -> bool:
        """True when `day` is a working day for the organisation and this
        resource, and the resource is not absent."""
        if not organisation.is_working(day):
            return False
        if self.calendar is not None and not self.calendar.is_working(day):
            return False
        return not any(absence.covers(day) for absence in self.absences)

    def qualifies_for(self, task: Task) -> bool:
        if not task.skills:
            return False
        own = self.skills  # a plain loop: every edit's validation runs this
        for skill, level in task.skills.items():  # tasks x resources times
            if own.get(skill, -math.inf) < level:
                return False
        return True


@dataclass(frozen=True)
class Dependency:
    """`successor` may not start/finish before `predecessor` starts/finishes + lag."""

    predecessor: str
    successor: str
    type: DependencyType = DependencyType.FS
    lag: int = 0
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", f"{self.predecessor}->{self.successor}")


@dataclass(frozen=True)
class Risk:
    """An event that occurs with `probability`; when it does, `impact` working
    days (a number, or an estimate sampled once per occurrence) are added to the
    duration of each listed task."""

    id: str
    probability: float
    tasks: tuple[str, ...]
    impact: float | Estimate = 0.0
    name: str = ""


@dataclass(frozen=True)
class Correlation:
    """Rank correlation `coefficient` between every pair of its members: task
    durations and risk occurrences (the uniform draw that decides whether a
    risk occurs, so the 0/1 occurrences themselves correlate less)."""

    tasks: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    coefficient: float = 0.0

    @property
    def members(self) -> tuple[str, ...]:
        return (
            *(f"tasks[{t}]" for t in self.tasks),
            *(f"risks[{r}]" for r in self.risks),
        )


@dataclass(frozen=True)
class Project:
    """A whole project at one version: what the scheduler and simulation read.

    `priority` weighs this project's tardiness in a portfolio (higher: more).
    `status_date` is the moment progress is reported as of; `remaining_after`
    says whether unstarted and remaining work waits for it or resumes right
    after each task's actual work (MS Project's way; `domain.progress`). A
    task started and unfinished with no report for more than `stale_after`
    working days before it is stale. `constraints_over_links`: date
    constraints win over links, as in MS Project (`domain.honoured`).
    `thresholds` say when its health turns amber or red
    and when its forecast has slipped (domain.thresholds).
    """

    name: str
    tasks: tuple[Task, ...]
    start: date | None = None
    deadline: int | None = None
    calendar: Calendar = field(default_factory=Calendar)
    resources: tuple[Resource, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    risks: tuple[Risk, ...] = ()
    priority: int = 1
    correlations: tuple[Correlation, ...] = ()
    status_date: DayRef | None = None
    remaining_after: RemainingAfter = RemainingAfter.STATUS_DATE
    constraints_over_links: bool = False
    stale_after: int = 5
    thresholds: Thresholds = DEFAULT_THRESHOLDS

    @cached_property
    def task_index(self) -> dict[str, int]:
        return {task.id: index for index, task in enumerate(self.tasks)}

    @cached_property
    def resource_index(self) -> dict[str, int]:
        return {resource.id: index for index, resource in enumerate(self.resources)}

    def task(self, task_id: str) -> Task:
        return self.tasks[self.task_index[task_id]]

    def resource(self, resource_id: str) -> Resource:
        return self.resources[self.resource_index[resource_id]]

    def qualified_people(self, task: Task) -> list[Resource]:
        """Resources holding every skill the task asks for, at its level."""
        return [r for r in self.resources if r.qualifies_for(task)]

    @cached_property
    def time_calendar(self) -> Calendar:
        """The days project times count: every day the project calendar or a
        task's own calendar works (the project calendar unless a task
        calendar works days it does not; `Calendar.union`)."""
        own = {
            task.working_calendar
            for task in self.tasks
            if task.working_calendar is not None
        }
        axis = functools.reduce(Calendar.union, own, self.calendar)
        # union() writes exceptions afresh: compare like with like.
        return self.calendar if axis == self.calendar.union(self.calendar) else axis

    @cached_property
    def widened(self) -> bool:
        """Whether task calendars add days the project calendar does not work."""
        return self.time_calendar != self.calendar

    def task_calendar(self, task: Task) -> Calendar | None:
        """The calendar whose days `task` works on the time axis: its own;
        the project's when task calendars added days to the axis (a task
        without its own calendar does not work them); else none."""
        own = task.working_calendar
        if own is None and self.widened:
            return self.calendar
        return own

    def date_of(self, working_day: int) -> date | None:
        if self.start is None:
            return None
        return self.time_calendar.date_of(self.start, working_day)

    def time_of(self, moment: DayRef) -> int:
        """A working-day time: a number as it is, a date as the end of that
        day (validation makes sure a project with dates has a start)."""
        if isinstance(moment, int):
            return moment
        assert self.start is not None, "dates need the project start"
        before = self.time_calendar.working_days_before(self.start, moment)
        return before + self.time_calendar.is_working(moment)

    @property
    def status_time(self) -> int:
        """The status date as a time; without one, the latest actual date
        recorded (time has passed at least that far), or 0."""
        if self.status_date is not None:
            return self.time_of(self.status_date)
        actual = (
            day
            for task in self.tasks
            for day in (task.timing.actual_start, task.timing.actual_finish)
            if day is not None
        )
        return max(actual, default=0)

    def finish_date(self, finish: float) -> date | None:
        if self.start is None:
            return None
        return self.time_calendar.finish_date(self.start, finish)

    def task_finish_date(
        self, start: int, finish: float, elapsed: bool = False
    ) -> date | None:
        """The date work on [start, finish) ends: its last working date (a
        milestone: its start's). `elapsed` time runs on through the night,
        so elapsed work ends on the date of `finish` itself: the next day at
        the time it started when it fills whole days (MS Project's "30
        edays from 25 March 08:00 end 24 April 08:00")."""
        if finish <= start:
            return self.date_of(start)
        if elapsed:
            return self.date_of(math.ceil(finish))
        return self.finish_date(finish)
