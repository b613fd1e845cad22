"""What the scheduler and the simulation hand back: plans and forecasts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from domain.model import Project
from domain.timing import Pin

Pins = tuple[tuple[str, Pin], ...]  # (task id, pin), sorted by task id


class DeadlineMode(StrEnum):
    """Soft: when deadlines alone stand in the way, plan anyway, as little
    late as possible (weighted by priority), and say so. Hard: no plan."""

    SOFT = "soft"
    HARD = "hard"


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


def relative_gap(value: float | None, bound: float | None) -> float | None:
    """(value - bound) / |value|: how far a solution may be from the best
    possible; 0 when proven optimal, None when either side is unknown."""
    if value is None or bound is None:
        return None
    return 0.0 if value == 0 else (value - bound) / abs(value)


@dataclass(frozen=True)
class ScheduledTask:
    """A task's place in a plan: working-day `start`, exclusive `finish`.

    `total_float`: days the task may slip, keeping the plan's dependencies and
    resource order, without moving the plan's finish; `critical` when none.
    """

    task_id: str
    start: int
    finish: int
    assignees: tuple[str, ...] = ()
    total_float: int | None = None
    critical: bool = False
    late_by: int = 0  # days it finishes after its deadline (soft deadlines)


@dataclass(frozen=True)
class PlanCandidate:
    """One plan weighed for its odds (the objectives p80 and p_deadline):
    where it came from, its deterministic length, and its forecast P80 and
    chance of meeting the deadline, every candidate under the same seed."""

    source: str
    makespan: int
    p80: float
    deadline_probability: float | None = None
    chosen: bool = False


@dataclass(frozen=True)
class Plan:
    """A schedule with its proof of quality: the solver's status and bound.

    `lower_bound` bounds the makespan; `objective` names what was optimised,
    with its value and bound. An infeasible plan lists its `conflicts`.
    `pins` are those the request added (domain.pins), so the plan can be
    reproduced from the project version and the request. With `deadlines`
    "soft" a plan may finish tasks after their deadlines (each task's
    `late_by`), each missed deadline listed in `warnings`; "hard" never.
    A plan chosen for its odds lists the `candidates` it was chosen from.
    """

    status: SolveStatus
    makespan: int | None
    lower_bound: int | None
    tasks: tuple[ScheduledTask, ...] = ()
    runtime_seconds: float = 0.0
    message: str = ""
    id: str | None = None
    objective: str = "makespan"
    objective_value: int | None = None
    objective_bound: int | None = None
    conflicts: tuple[str, ...] = ()
    pins: Pins = ()  # pins of the request, beyond the project's own
    deadlines: str = "hard"  # DeadlineMode: "soft" plans may be late, and say so
    warnings: tuple[str, ...] = ()  # e.g. each deadline a soft plan misses
    candidates: tuple[PlanCandidate, ...] = ()  # weighed for the odds objectives

    @property
    def has_schedule(self) -> bool:
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)

    @property
    def gap(self) -> float | None:
        """Relative distance between the stated objective's value and its
        proven bound (0 when proven optimal; the makespan's for plans that
        state no objective value)."""
        if self.objective_value is not None:
            return self.objective_gap
        return self.makespan_gap

    @property
    def makespan_gap(self) -> float | None:
        """Relative distance between makespan and lower bound."""
        return relative_gap(self.makespan, self.lower_bound)

    @property
    def objective_gap(self) -> float | None:
        """Relative distance between the objective's value and its bound."""
        return relative_gap(self.objective_value, self.objective_bound)

    @property
    def starts(self) -> dict[str, int]:
        return {t.task_id: t.start for t in self.tasks}

    @property
    def assignments(self) -> dict[str, list[str]]:
        return {t.task_id: list(t.assignees) for t in self.tasks if t.assignees}

    def scheduled(self, task_id: str) -> ScheduledTask:
        for task in self.tasks:
            if task.task_id == task_id:
                return task
        raise KeyError(task_id)


@dataclass(frozen=True)
class Percentiles:
    """A distribution of working days summarised as a PMO reads it."""

    mean: float
    std: float
    p10: float
    p50: float
    p80: float
    p90: float
    p95: float


@dataclass(frozen=True)
class Interval:
    """A confidence interval for one sampled figure."""

    low: float
    high: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


@dataclass(frozen=True)
class TaskForecast:
    """One task across the samples: its finish and how it drives the finish.

    criticality: share of samples on the critical path; cruciality: Spearman
    rank correlation of its duration with the project duration; sensitivity
    (SSI): criticality x std(task duration) / std(project duration);
    plan_percentile: share of samples finishing it by its planned finish.
    """

    task_id: str
    finish: Percentiles
    criticality: float
    cruciality: float = 0.0
    sensitivity: float = 0.0
    duration_std: float = 0.0
    plan_percentile: float | None = None


@dataclass(frozen=True)
class RiskForecast:
    """One risk: how often it occurred, and the days it adds to the project's
    P80 and mean (the same samples re-run with the risk switched off)."""

    risk_id: str
    occurrence: float
    p80_days: float
    mean_days: float


@dataclass(frozen=True)
class Precision:
    """The Monte Carlo error: confidence intervals of the P-values and the
    stopping rule that decided the sample count; how far each task's finish
    percentiles may be off (days, from the streaming histograms) and how many
    samples the rank statistics (cruciality) used."""

    confidence: float
    intervals: dict[str, Interval]
    target_half_width: float | None = None
    max_samples: int | None = None
    task_finish_error: float | None = None
    rank_samples: int | None = None

    @property
    def p80_half_width(self) -> float:
        return self.intervals["p80"].half_width

    @property
    def met(self) -> bool | None:
        if self.target_half_width is None:
            return None
        return self.p80_half_width <= self.target_half_width


@dataclass(frozen=True)
class Forecast:
    """A Monte Carlo forecast, with what it takes to reproduce it."""

    samples: int
    seed: int
    duration: Percentiles
    tasks: tuple[TaskForecast, ...]
    deadline: int | None = None
    deadline_probability: float | None = None
    plan_id: str | None = None
    engine: str = "committed"
    sampling: str = "random"
    project_version: int | None = None
    s_curve: tuple[float, ...] = ()  # duration quantiles at 0%, 1%, ..., 100%
    plan_finish: float | None = None
    plan_percentile: float | None = None
    precision: Precision | None = None
    risks: tuple[RiskForecast, ...] = ()
    runtime_seconds: float = field(default=0.0, compare=False)
    kernel: str = field(default="numpy", compare=False)  # the passes: numpy | numba

    def most_critical(self, count: int) -> list[TaskForecast]:
        ranked = sorted(self.tasks, key=lambda t: (-t.criticality, t.task_id))
        return ranked[:count]

    def task_drivers(self, count: int) -> list[TaskForecast]:
        """Tasks ranked by |cruciality| (the duration tornado), largest first."""
        ranked = sorted(self.tasks, key=lambda t: (-abs(t.cruciality), t.task_id))
        return [t for t in ranked if t.cruciality != 0][:count]

    def risk_drivers(self, count: int) -> list[RiskForecast]:
        """Risks ranked by the days they add at P80, largest first."""
        ranked = sorted(self.risks, key=lambda r: (-r.p80_days, r.risk_id))
        return ranked[:count]


def plan_finish_date(project: Project, plan: Plan) -> date | None:
    """The date the plan's work ends: the last working date of its makespan,
    or later where an elapsed task runs on through the night
    (`Project.task_finish_date`)."""
    if plan.makespan is None:
        return None
    last = project.finish_date(plan.makespan)
    for scheduled in plan.tasks:
        if scheduled.task_id not in project.task_index:
            continue
        if project.task(scheduled.task_id).elapsed:
            ends = project.task_finish_date(scheduled.start, scheduled.finish, True)
            if last is None or (ends is not None and ends > last):
                last = ends
    return last
