"""One CP-SAT run of a model from a hinted schedule, read back as a schedule."""

from __future__ import annotations

from typing import NamedTuple

from ortools.sat.python import cp_model

from scheduler.model.variables import Variables
from scheduler.options import SolveOptions
from scheduler.plan.schedule import Schedule
from scheduler.problem.instance import SchedulingProblem

INFEASIBLE = -1  # the proven "bound" of a model with no solution


class Solved(NamedTuple):
    """One CP-SAT run: its schedule (None: none), the proven bound, whether
    it is optimal, and the work it spent."""

    schedule: Schedule | None
    proven: int
    optimal: bool
    work: float


def solve_from(
    model: cp_model.CpModel,
    variables: Variables,
    problem: SchedulingProblem,
    options: SolveOptions,
    hint: Schedule | None,
    seconds: float,
    probing: bool = True,
    work: float | None = None,
) -> Solved:
    """One CP-SAT run from `hint` within `seconds` (and `work`, when given).

    `probing=False` skips presolve probing, which on a short neighbourhood
    solve can take most of its time (seconds of wall time for nothing found).
    """
    model.clear_hints()  # type: ignore[no-untyped-call]
    if hint is not None:
        for index, start in enumerate(hint.starts):
            model.add_hint(variables.starts[index], start)
        for (task, person), literal in variables.assigned.items():
            model.add_hint(literal, person in hint.assignees[task])
        for index, finish in enumerate(hint.finishes):
            model.add_hint(variables.ends[index], finish)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = options.num_workers
    solver.parameters.random_seed = options.seed
    if work is not None:
        solver.parameters.max_deterministic_time = work
    if not probing:
        solver.parameters.cp_model_probing_level = 0
    status = solver.solve(model)
    spent = solver.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        proven = INFEASIBLE if status == cp_model.INFEASIBLE else 0
        return Solved(None, proven, False, spent)
    starts = tuple(solver.value(start) for start in variables.starts)
    assignees = tuple(
        tuple(
            p for p in task.candidates if solver.boolean_value(variables.assigned[i, p])
        )
        for i, task in enumerate(problem.tasks)
    )
    finishes = tuple(solver.value(end) for end in variables.ends)
    proven = int(solver.best_objective_bound + 1 - 1e-6)
    schedule = Schedule(starts, assignees, max(finishes, default=0), finishes)
    return Solved(schedule, proven, status == cp_model.OPTIMAL, spent)
