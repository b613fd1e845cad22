"""What the scheduler and the simulation hand back: plans and forecasts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


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


@dataclass(frozen=True)
class Plan:
    """A schedule with its proof of quality: the solver's status and bound.

    `lower_bound` bounds the makespan; `objective` names what was optimised,
    with its value and bound. An infeasible plan lists its `conflicts`.
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

    @property
    def has_schedule(self) -> bool:
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)

    @property
    def gap(self) -> float | None:
        """Relative distance between makespan and lower bound (0 when proven)."""
        if self.makespan is None or self.lower_bound is None:
            return None
        if self.makespan == 0:
            return 0.0
        return (self.makespan - self.lower_bound) / self.makespan

    @property
    def objective_gap(self) -> float | None:
        """Relative distance between the objective's value and its bound."""
        value, bound = self.objective_value, self.objective_bound
        if value is None or bound is None:
            return None
        return 0.0 if value == 0 else (value - bound) / abs(value)

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
class TaskForecast:
    """One task across the samples: its finish and how often it was critical."""

    task_id: str
    finish: Percentiles
    criticality: float


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

    def most_critical(self, count: int) -> list[TaskForecast]:
        ranked = sorted(self.tasks, key=lambda t: (-t.criticality, t.task_id))
        return ranked[:count]
