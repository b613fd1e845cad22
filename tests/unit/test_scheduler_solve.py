"""solve() as a whole: a real instance, progress reports, internal-error guards."""

from __future__ import annotations

from pathlib import Path

import pytest

import scheduler.solver
import scheduler.solver.planning
from domain import Dependency, Plan, Project, SolveStatus, Task
from formats import read_psplib
from scheduler import (
    PlanValidationError,
    SchedulerError,
    SolveOptions,
    solve,
    validate_plan,
)

OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)


def test_psplib_instance_is_solved_to_its_optimum() -> None:
    project = read_psplib(Path(__file__).parents[1] / "data" / "j301_1.sm")

    plan = solve(project, OPTIONS)

    assert (plan.status, plan.makespan, plan.lower_bound) == (
        SolveStatus.OPTIMAL,
        43,
        43,
    )
    assert plan.runtime_seconds > 0
    assert validate_plan(project, plan) == []


def test_progress_is_reported() -> None:
    lines: list[str] = []
    project = Project(
        "test", (Task("a", 2), Task("b", 3)), dependencies=(Dependency("a", "b"),)
    )

    solve(project, SolveOptions(time_limit=5.0, workers=1, log_progress=lines.append))

    assert lines[0].startswith("solution 1: makespan 5")
    assert lines[-1].startswith("optimal: makespan 5, bound 5")


def test_invalid_plan_from_the_solver_is_an_internal_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def drop_tasks(*args: object) -> Plan:
        return Plan(SolveStatus.OPTIMAL, makespan=0, lower_bound=0)

    monkeypatch.setattr(scheduler.solver.planning, "to_plan", drop_tasks)

    with pytest.raises(PlanValidationError, match="task a is not scheduled"):
        scheduler.solver.solve(Project("test", (Task("a", 1),)), OPTIONS)


def test_model_the_solver_rejects_is_an_internal_error() -> None:
    options = SolveOptions(workers=1)
    object.__setattr__(options, "time_limit", -1.0)  # bypass the options check

    # CP-SAT itself (`solve` needs no solver for a task without resources).
    with pytest.raises(SchedulerError, match="MODEL_INVALID"):
        scheduler.solver.solve(Project("test", (Task("a", 1),)), options)
