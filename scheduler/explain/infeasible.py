"""Why no plan exists, in a planner's words.

Three steps, cheapest first, all within the time left of the solve:
1. a cycle of dependencies no schedule satisfies is named task by task;
2. a limit that dependencies and windows alone make impossible (a deadline
   the chain behind it cannot meet, a pin or actual start its predecessors
   push past) is found by longest paths, with its chain (scheduler.problem.chains);
3. otherwise resources or people are in the way: the time constraints are
   rebuilt as named groups (scheduler.model.timing), each enforced by a Boolean
   passed to CP-SAT as an assumption; `sufficient_assumptions_for_infeasibility`
   names the groups that conflict, the set is shrunk one group at a time while
   time allows, and energy reasoning names the resource or pool of people that
   cannot do the work in time (scheduler.explain.overload).
"""

from __future__ import annotations

import time
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler.explain.overload import overload_sentences
from scheduler.model.constraints import build_model
from scheduler.model.timing import add_time_limits
from scheduler.plan.result import SolveResult
from scheduler.problem.chains import Chains, describe, positive_cycle, time_conflicts
from scheduler.problem.groups import ConstraintGroup, GroupKind
from scheduler.problem.instance import SchedulingProblem

# Seconds an explanation may take even when the solve that proved infeasibility
# used the whole time limit (its solves are short).
EXPLAIN_FLOOR = 0.25
_GENERIC = "no schedule satisfies every dependency, resource limit and skill need"
_SHRINK_LIMIT = 12  # groups in a core worth shrinking one by one
_LIMITS = (
    GroupKind.DEADLINE,
    GroupKind.PROJECT_DEADLINE,
    GroupKind.PIN,
    GroupKind.ACTUAL,
)


def explained(
    problem: SchedulingProblem, result: SolveResult, seconds_left: float
) -> SolveResult:
    """An infeasible result with its conflicts (the first is its message)."""
    conflicts = explain_infeasibility(problem, max(seconds_left, EXPLAIN_FLOOR))
    return replace(result, message=conflicts[0], conflicts=tuple(conflicts))


def explain_infeasibility(problem: SchedulingProblem, seconds: float) -> list[str]:
    """Sentences naming the conflicting constraints, found within `seconds`."""
    chains = Chains.of(problem)
    if chains is None:
        cycle = positive_cycle(problem) or []
        names = " -> ".join(problem.task_ids[t] for t in [*cycle, *cycle[:1]])
        return [f"the dependencies form a cycle that no schedule can satisfy: {names}"]
    conflicts = time_conflicts(problem, chains)
    if conflicts:
        return conflicts
    core = _conflicting_groups(problem, time.perf_counter() + seconds)
    if not core:
        return [_GENERIC, *overload_sentences(problem, chains, [])]
    sentences = [describe(problem, group, chains) for group in core]
    limits = [group for group in core if group.kind in _LIMITS]
    return sentences + overload_sentences(problem, chains, limits)


def _conflicting_groups(
    problem: SchedulingProblem, deadline: float
) -> list[ConstraintGroup]:
    model, variables = build_model(problem)
    enforcers = add_time_limits(
        model, problem.windows, problem.deadline, variables, literals=True
    )
    if not enforcers:
        return []
    core = _core(model, enforcers, list(enforcers), deadline)
    if core is None or len(core) > _SHRINK_LIMIT:
        return core or []
    for group in list(core):
        if time.perf_counter() >= deadline:
            break
        if group not in core:
            continue
        rest = [kept for kept in core if kept != group]
        smaller = _core(model, enforcers, rest, deadline)
        core = smaller if smaller is not None else core
    return core


def _core(
    model: cp_model.CpModel,
    enforcers: dict[ConstraintGroup, cp_model.IntVar],
    assumed: list[ConstraintGroup],
    deadline: float,
) -> list[ConstraintGroup] | None:
    """The assumed groups CP-SAT blames, or None when they are not shown
    infeasible before the deadline."""
    model.clear_assumptions()
    model.add_assumptions([enforcers[group] for group in assumed])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(deadline - time.perf_counter(), 0.01)
    if solver.solve(model) != cp_model.INFEASIBLE:
        return None
    blamed = set(solver.sufficient_assumptions_for_infeasibility())
    return [group for group in assumed if enforcers[group].index in blamed]
