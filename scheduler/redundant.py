"""Redundant constraints: implied by the model, added to make CP-SAT prune earlier.

None changes the set of feasible schedules; each tightens propagation or the
LP relaxation, so the makespan bound rises and bad partial schedules die sooner.

1. `add_makespan_blocks` — in each cumulative resource, the time after the
   makespan is filled by a block of full capacity: the resource pushes the
   makespan directly instead of through every task's finish.
2. `add_energy_tails`    — everything that must follow a task (its successors
   through finish-to-start links with non-negative lags) needs, on each
   resource, its energy divided by the capacity between the task's finish and
   the makespan; the same for what must precede a task, before its start.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from domain import DependencyType
from scheduler.constraints import Variables
from scheduler.problem import SchedulingProblem


def add_makespan_blocks(
    model: cp_model.CpModel, problem: SchedulingProblem, variables: Variables
) -> None:
    """Each cumulative also holds an interval [makespan, horizon) at full capacity."""
    horizon = problem.horizon
    for resource, capacity in enumerate(problem.capacities):
        uses = list(problem.uses_of(resource))
        if capacity <= 1 or not uses:
            continue
        size = model.new_int_var(0, horizon, f"after_makespan_{resource}")
        end = model.new_constant(horizon)
        block = model.new_interval_var(
            variables.makespan, size, end, f"tail_{resource}"
        )
        intervals = [variables.intervals[task] for task, _ in uses] + [block]
        demands = [units for _, units in uses] + [capacity]
        model.add_cumulative(intervals, demands, capacity)


def add_energy_tails(
    model: cp_model.CpModel, problem: SchedulingProblem, variables: Variables
) -> None:
    """Makespan >= finish + successors' energy / capacity, per task and resource.

    Symmetrically a task starts no earlier than its predecessors' energy over
    the capacity. Only non-trivial cuts (beyond the plain precedence) are added.
    """
    successors = _strict_successors(problem)
    predecessors = _strict_successors(problem, reverse=True)
    for task in range(problem.num_tasks):
        after = _energy_days(problem, successors[task])
        if after > 0:
            model.add(variables.makespan >= variables.ends[task] + after)
        before = _energy_days(problem, predecessors[task])
        if before > 0:
            model.add(variables.starts[task] >= before)


def _energy_days(problem: SchedulingProblem, tasks: set[int]) -> int:
    """Days the tasks need at least, judged by their heaviest resource's energy."""
    best = 0
    for resource, capacity in enumerate(problem.capacities):
        if capacity <= 0:
            continue
        energy = sum(
            problem.tasks[task].duration * units
            for task, units in problem.uses_of(resource)
            if task in tasks
        )
        best = max(best, -(-energy // capacity))
    return best


def _strict_successors(
    problem: SchedulingProblem, reverse: bool = False
) -> list[set[int]]:
    """Tasks that must start after each task finishes (reverse: finish before it
    starts), following finish-to-start links with non-negative lags."""
    direct: list[set[int]] = [set() for _ in range(problem.num_tasks)]
    for precedence in problem.precedences:
        if precedence.type is DependencyType.FS and precedence.lag >= 0:
            before, after = precedence.predecessor, precedence.successor
            if reverse:
                before, after = after, before
            direct[before].add(after)
    return [_reachable(direct, task) for task in range(problem.num_tasks)]


def _reachable(direct: list[set[int]], source: int) -> set[int]:
    """Tasks reachable from `source` by one or more links (cycles tolerated)."""
    found: set[int] = set()
    frontier = list(direct[source])
    while frontier:
        task = frontier.pop()
        if task not in found:
            found.add(task)
            frontier.extend(direct[task])
    return found
