"""Search beyond one CP-SAT call for the makespan: genetic search and LNS."""

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
