"""The search beyond one CP-SAT call: greedy and genetic schedules, large-
neighbourhood search on the makespan, on staffing and over portfolio groups.

Here belongs what chooses which model to solve next and keeps the best
schedule: one LNS driver (`driver`: one clock, one seeded generator, one
acceptance rule) with its steps for the makespan (`lns`), staffing
(`staffing`) and portfolios (`decompose`); the greedy and genetic schedules
that start it. The models themselves come from `scheduler.model`, the figures
that steer it from `scheduler.strategy`.
"""

from scheduler.search.driver import SearchLimits
from scheduler.search.genetic import applies as genetic_applies
from scheduler.search.lns import BaseModel, Incumbent, improve
from scheduler.search.makespan import complete, improve_makespan, warm_up

__all__ = [
    "BaseModel",
    "Incumbent",
    "SearchLimits",
    "complete",
    "genetic_applies",
    "improve",
    "improve_makespan",
    "warm_up",
]
