"""How a plan is found: domain.Project -> solver input -> CP-SAT -> domain.Plan.

The only package that imports ortools (in `constraints` and `solver`). Every
plan `solve` returns has passed `validate_plan`, which knows nothing of the
solver.
"""

from scheduler.errors import PlanValidationError, SchedulerError
from scheduler.options import Objective, SolveOptions, SolveProgress
from scheduler.problem import PrecedenceData, SchedulingProblem, TaskData
from scheduler.result import SolveResult
from scheduler.solver import solve, solve_problem
from scheduler.validator import validate_plan

__all__ = [
    "Objective",
    "PlanValidationError",
    "PrecedenceData",
    "SchedulerError",
    "SchedulingProblem",
    "SolveOptions",
    "SolveProgress",
    "SolveResult",
    "TaskData",
    "solve",
    "solve_problem",
    "validate_plan",
]
