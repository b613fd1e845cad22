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
    Correlation,
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
    Interval,
    Percentiles,
    Plan,
    Precision,
    RiskForecast,
    ScheduledTask,
    SolveStatus,
    TaskForecast,
)

__all__ = [
    "Absence",
    "Calendar",
    "ConcurrencyConflict",
    "Correlation",
    "Dependency",
    "DependencyType",
    "Distribution",
    "Estimate",
    "Forecast",
    "Interval",
    "NotFound",
    "Percentiles",
    "Plan",
    "PlanforgeError",
    "Precision",
    "Problem",
    "Project",
    "Resource",
    "Risk",
    "RiskForecast",
    "ScheduledTask",
    "SolveStatus",
    "Task",
    "TaskForecast",
    "ValidationError",
]
