"""The search beyond one CP-SAT call: greedy and genetic schedules, large-
neighbourhood search on the makespan, on staffing and over portfolio groups.

Here belongs what chooses which model to solve next and keeps the best
schedule; the models themselves come from `scheduler.model`.
"""

from scheduler.search.lns import BaseModel, Incumbent, SearchLimits, improve
from scheduler.search.makespan import improve_makespan, warm_up

__all__ = [
    "BaseModel",
    "Incumbent",
    "SearchLimits",
    "improve",
    "improve_makespan",
    "warm_up",
]
