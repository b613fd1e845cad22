"""An independent re-check of a plan against its project, without the solver.

Knows only domain types: it re-derives every rule (each task once with its
planned duration, dependencies with lags, resource capacities, skills,
makespan) from the Project, so a modelling bug in the solver cannot hide.
Times are organisation working days; people's own calendars, absences,
unsplittable tasks and load limits are re-checked against calendar dates.

Here belong the rules a plan must keep, one module per kind: the plan as a
whole and `validate_plan`, which runs them all (`whole`), time (`timing`),
resources and skills (`resources`), people's time (`worktime`). Nothing here
imports the solver or another part of the scheduler.
"""

from scheduler.plan.validator.placed import Schedule
from scheduler.plan.validator.resources import SHARE_TOLERANCE, loads_by_resource
from scheduler.plan.validator.timing import broken_dependency, time_window_violations
from scheduler.plan.validator.whole import validate_plan
from scheduler.plan.validator.worktime import load_violations, working_day_violations

__all__ = [
    "SHARE_TOLERANCE",
    "Schedule",
    "broken_dependency",
    "load_violations",
    "loads_by_resource",
    "time_window_violations",
    "validate_plan",
    "working_day_violations",
]
