"""The textbook RCPSP model solved by CP-SAT: the yardstick for our search.

One interval per task (fixed duration), one cumulative per resource, one
`end <= start` per finish-to-start link, minimise the latest end; nothing
else (no hints, no heuristics, no LNS of our own). Reads a domain Project of
the plain kind (`formats.read_psplib`, `benchmarks.rcpsp_generator`: whole
durations and units, finish-to-start links without lag) and answers a domain
Plan, so `scheduler.validate_plan` checks it like any other.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from domain import DependencyType, Plan, Project, ScheduledTask, SolveStatus

_STATUSES = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
}


def solve_plain(
    project: Project, time_limit: float, workers: int = 2, seed: int = 0
) -> Plan:
    """Minimise the makespan with `workers` CP-SAT workers for `time_limit` s."""
    if any(d.type is not DependencyType.FS or d.lag for d in project.dependencies):
        raise ValueError("the plain model takes finish-to-start links without lag")
    durations = {task.id: int(task.duration or 0) for task in project.tasks}
    horizon = sum(durations.values())
    model = cp_model.CpModel()
    starts = {t: model.new_int_var(0, horizon, f"s{t}") for t in durations}
    ends = {t: model.new_int_var(0, horizon, f"e{t}") for t in durations}
    intervals = {
        t: model.new_interval_var(starts[t], durations[t], ends[t], f"i{t}")
        for t in durations
    }
    for resource in project.resources:
        users = [task for task in project.tasks if task.demands.get(resource.id)]
        model.add_cumulative(
            [intervals[task.id] for task in users],
            [int(task.demands[resource.id]) for task in users],
            resource.capacity,
        )
    for link in project.dependencies:
        model.add(ends[link.predecessor] <= starts[link.successor])
    makespan = model.new_int_var(0, horizon, "makespan")
    model.add_max_equality(makespan, list(ends.values()))
    model.minimize(makespan)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = _STATUSES.get(solver.solve(model), SolveStatus.UNKNOWN)
    bound = round(solver.best_objective_bound)
    if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return Plan(status, None, bound)
    tasks = tuple(
        ScheduledTask(t, solver.value(starts[t]), solver.value(ends[t]))
        for t in durations
    )
    return Plan(status, solver.value(makespan), bound, tasks)
