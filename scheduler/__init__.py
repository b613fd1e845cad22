"""How a plan is found: domain.Project -> solver input -> CP-SAT -> domain.Plan.

The only package that imports ortools (its model, search and solver), and
only when a solve needs it: a plan without resources or people needs no
search (`scheduler.precedence`), and `solve_problem` loads the solver on first
use. Every plan `solve` returns has passed `validate_plan`, which knows
nothing of the solver.
"""

from typing import TYPE_CHECKING, Any

from domain.objectives import Objective
from scheduler.errors import PlanValidationError, SchedulerError
from scheduler.options import SolveOptions, SolveProgress
from scheduler.plan.fallback import is_fallback
from scheduler.plan.result import SolveResult
from scheduler.plan.validator import validate_plan
from scheduler.precedence import retimed, solve
from scheduler.problem.data import PrecedenceData, TaskData
from scheduler.problem.instance import SchedulingProblem

if TYPE_CHECKING:
    from scheduler.solver import solve_problem

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
    "is_fallback",
    "retimed",
    "solve",
    "solve_problem",
    "validate_plan",
]


def __getattr__(name: str) -> Any:
    """`solve_problem` imports CP-SAT (ortools) when first asked for."""
    if name == "solve_problem":
        from scheduler.solver import solve_problem

        return solve_problem
    raise AttributeError(f"module 'scheduler' has no attribute {name!r}")
