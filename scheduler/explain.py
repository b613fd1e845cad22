"""Why no plan exists, in a planner's words.

The time constraints are rebuilt as named groups (scheduler.timing), each
enforced by a Boolean passed to CP-SAT as an assumption. When the model is
infeasible, `sufficient_assumptions_for_infeasibility` names the groups that
conflict; the set is then shrunk one group at a time while solves stay short,
and each remaining group becomes a sentence. A deadline in conflict comes with
the longest chain of dependencies behind it, e.g.

    task 'deploy' cannot finish by its deadline (day 20): the chain
    kickoff -> build (15 d) -> deploy (8 d) needs 23 days
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.constraints import build_model
from scheduler.problem import SchedulingProblem
from scheduler.timing import ConstraintGroup, GroupKind, add_time_limits

_GENERIC = "no schedule satisfies every dependency, resource limit and skill need"
_SHRINK_LIMIT = 12  # groups in a core worth shrinking one by one


def explain_infeasibility(problem: SchedulingProblem, seconds: float) -> list[str]:
    """Sentences naming the conflicting time constraints (or the general cause)."""
    if problem.critical_path_length() is None:
        return ["the dependencies form a cycle that no schedule can satisfy"]
    core = _conflicting_groups(problem, seconds)
    if not core:
        return [_GENERIC]
    return [describe(problem, group) for group in core]


def _conflicting_groups(
    problem: SchedulingProblem, seconds: float
) -> list[ConstraintGroup]:
    model, variables = build_model(problem)
    enforcers = add_time_limits(
        model, problem.windows, problem.deadline, variables, literals=True
    )
    if not enforcers:
        return []
    core = _core(model, enforcers, list(enforcers), seconds)
    if core is None or len(core) > _SHRINK_LIMIT:
        return core or []
    for group in list(core):
        if group in core:
            rest = [kept for kept in core if kept != group]
            smaller = _core(model, enforcers, rest, seconds / 4)
            core = smaller if smaller is not None else core
    return core


def _core(
    model: cp_model.CpModel,
    enforcers: dict[ConstraintGroup, cp_model.IntVar],
    assumed: list[ConstraintGroup],
    seconds: float,
) -> list[ConstraintGroup] | None:
    """The assumed groups CP-SAT blames, or None when they are not infeasible."""
    model.clear_assumptions()
    model.add_assumptions([enforcers[group] for group in assumed])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    if solver.solve(model) != cp_model.INFEASIBLE:
        return None
    blamed = set(solver.sufficient_assumptions_for_infeasibility())
    return [group for group in assumed if enforcers[group].index in blamed]


def describe(problem: SchedulingProblem, group: ConstraintGroup) -> str:
    """One group as a sentence; deadlines say which chain they cut short."""
    if group.kind is GroupKind.PROJECT_DEADLINE:
        return _deadline_sentence(problem, None, group.day)
    task = group.task
    assert task is not None
    name = f"task '{problem.task_ids[task]}'"
    window = problem.windows[task]
    match group.kind:
        case GroupKind.DEADLINE:
            return _deadline_sentence(problem, task, group.day)
        case GroupKind.RELEASE:
            return f"{name} cannot start before its release (day {group.day})"
        case GroupKind.ACTUAL:
            return f"{name} already started on day {group.day}"
    earliest, latest = window.pin_earliest, window.pin_latest
    if earliest == latest:
        return f"{name} is pinned to start on day {earliest}"
    return f"{name} is pinned to start between day {earliest or 0} and day {latest}"


def _deadline_sentence(problem: SchedulingProblem, task: int | None, day: int) -> str:
    starts, chains = earliest_chains(problem)
    finishes = [s + t.duration for s, t in zip(starts, problem.tasks, strict=True)]
    if task is None:
        task = max(range(problem.num_tasks), key=finishes.__getitem__)
        subject = f"the project cannot finish by its deadline (day {day})"
    else:
        name = problem.task_ids[task]
        subject = f"task '{name}' cannot finish by its deadline (day {day})"
    if finishes[task] <= day:
        return (
            f"{subject} with the resources available: dependencies alone "
            f"would allow day {finishes[task]}"
        )
    chain = _chain_text(problem, chains, starts, task)
    return f"{subject}: the chain {chain} needs {finishes[task]} days"


def earliest_chains(problem: SchedulingProblem) -> tuple[list[int], list[int | None]]:
    """Earliest starts from dependencies and time windows, with the task that
    sets each start (None: its own window or day 0). Assumes no positive cycle."""
    starts = [window.earliest for window in problem.windows] or [0] * problem.num_tasks
    setter: list[int | None] = [None] * problem.num_tasks
    for _ in range(problem.num_tasks + 1):
        changed = False
        for precedence in problem.precedences:
            before, after = precedence.predecessor, precedence.successor
            candidate = starts[before] + problem.start_offset(precedence)
            if candidate > starts[after]:
                starts[after], setter[after], changed = candidate, before, True
            elif candidate == starts[after] and setter[after] is None:
                setter[after] = before  # a tie: the chain reads better than day 0
        if not changed:
            break
    return starts, setter


def _chain_text(
    problem: SchedulingProblem, setter: list[int | None], starts: list[int], task: int
) -> str:
    chain, seen = [task], {task}
    while (before := setter[chain[-1]]) is not None and before not in seen:
        chain.append(before)
        seen.add(before)
    chain.reverse()
    parts = []
    for index in chain:
        duration = problem.tasks[index].duration
        parts.append(problem.task_ids[index] + (f" ({duration} d)" if duration else ""))
    if starts[chain[0]] > 0:
        parts[0] += f" (from day {starts[chain[0]]})"
    return " -> ".join(parts)
