"""planforge's shared vocabulary: frozen dataclasses and the rules about them."""

from domain.calendar import Calendar
from domain.errors import (
    ConcurrencyConflict,
    NotFound,
    PlanforgeError,
    Problem,
    ValidationError,
)
from domain.model import (
    Absence,
    Dependency,
    DependencyType,
    Distribution,
    Estimate,
    Project,
    Resource,
    Risk,
    Task,
)
from domain.plan import (
    Forecast,
    Percentiles,
    Plan,
    ScheduledTask,
    SolveStatus,
    TaskForecast,
)

__all__ = [
    "Absence",
    "Calendar",
    "ConcurrencyConflict",
    "Dependency",
    "DependencyType",
    "Distribution",
    "Estimate",
    "Forecast",
    "NotFound",
    "Percentiles",
    "Plan",
    "PlanforgeError",
    "Problem",
    "Project",
    "Resource",
    "Risk",
    "ScheduledTask",
    "SolveStatus",
    "Task",
    "TaskForecast",
    "ValidationError",
]
