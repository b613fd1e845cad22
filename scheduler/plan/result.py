"""The solver's own answer, integer-indexed, and its translation into a Plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from domain import Plan, ScheduledTask, SolveStatus
from scheduler.plan.floats import total_floats
from scheduler.plan.leftshift import left_shift, stability_floors
from scheduler.plan.rightshift import right_shift
from scheduler.plan.schedule import Schedule
from scheduler.problem.instance import SchedulingProblem


@dataclass(frozen=True)
class SolveResult:
    """What a solve found: status, objective (makespan), bound and runtime.

    `starts[i]` and `assignees[i]` (resource indices) are set for every task
    when the status has a schedule, and empty otherwise. `finishes[i]` is the
    task's elapsed end (start + duration unless it pauses over days off).
    """

    status: SolveStatus
    makespan: int | None
    lower_bound: int | None
    runtime_seconds: float
    starts: tuple[int, ...] = ()
    assignees: tuple[tuple[int, ...], ...] = ()
    message: str = ""
    objective: str = "makespan"
    objective_value: int | None = None
    objective_bound: int | None = None
    conflicts: tuple[str, ...] = ()
    finishes: tuple[int, ...] = ()

    @property
    def has_schedule(self) -> bool:
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


def _left_justified(
    problem: SchedulingProblem, result: SolveResult, previous: Mapping[int, int]
) -> SolveResult:
    finishes = result.finishes or tuple(
        start + task.duration
        for start, task in zip(result.starts, problem.tasks, strict=True)
    )
    schedule = Schedule(
        result.starts, result.assignees, max(finishes, default=0), finishes
    )
    shifted = left_shift(problem, schedule, stability_floors(result.starts, previous))
    shifted = right_shift(problem, shifted)
    return replace(
        result,
        starts=shifted.starts,
        finishes=shifted.finishes,
        makespan=shifted.makespan,
    )


def to_plan(
    problem: SchedulingProblem,
    result: SolveResult,
    previous: Mapping[int, int] | None = None,
) -> Plan:
    """Map indices back to task and resource ids, with the schedule left-
    justified (scheduler.plan.leftshift; tasks of a `previous` plan keep their
    distance to it), ALAP tasks then as late as the rest allows
    (scheduler.plan.rightshift), and each task's total float in it
    (scheduler.plan.floats);
    tasks keep the project order; with soft deadlines each task says how late
    it is (scheduler.model.lateness)."""
    if result.starts:
        result = _left_justified(problem, result, previous or {})
    finishes, floats, late = result.finishes, list[int](), list[int]()
    if result.starts:
        floats = total_floats(problem, result.starts, result.assignees, finishes)
        late = late_by(problem, finishes)
    tasks = tuple(
        ScheduledTask(
            task_id=problem.task_ids[index],
            start=start,
            finish=finishes[index],
            assignees=tuple(problem.resource_ids[p] for p in result.assignees[index]),
            total_float=floats[index],
            critical=floats[index] == 0,
            late_by=late[index],
        )
        for index, start in enumerate(result.starts)
    )
    return Plan(
        status=result.status,
        makespan=result.makespan,
        lower_bound=result.lower_bound,
        tasks=tasks,
        runtime_seconds=result.runtime_seconds,
        message=result.message,
        objective=result.objective,
        objective_value=result.objective_value,
        objective_bound=result.objective_bound,
        conflicts=result.conflicts,
    )


def late_by(problem: SchedulingProblem, finishes: Sequence[int]) -> list[int]:
    """Days each task finishes after its (soft) deadline; 0 when on time
    (here, not in `scheduler.model.lateness`, so reading a plan needs no CP-SAT)."""
    late = [0] * problem.num_tasks
    for task, day, _weight in problem.soft_deadlines:
        late[task] = max(finishes[task] - day, 0)
    return late
