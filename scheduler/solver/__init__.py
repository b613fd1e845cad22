"""Run CP-SAT on a SchedulingProblem; the only package that drives the solver.

`solve` is the public entry point: Project -> SchedulingProblem -> model ->
SolveResult -> Plan, and every plan is re-checked by the independent
validator before it is returned.

Here belong the steps of one solve, by level: a project to a validated plan
(`planning`), a problem to a result by CP-SAT and the search (`solving`),
and the whole-model CP-SAT runs around a makespan search (`phases`). The
model, the search and the explanations they call live in their own rooms.
"""

from scheduler.solver.planning import solve
from scheduler.solver.solving import solve_problem

__all__ = ["solve", "solve_problem"]
