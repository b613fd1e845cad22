"""A solve that finds no schedule within its limit falls back on the greedy
plan: valid (the validator passes it, bookings elsewhere kept), and labelled
as a fallback, never as the solver's answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from benchmarks.pmo import portfolio
from domain import Project, SolveStatus
from domain.bookings import BusySpan
from domain.document import project_from_document
from domain.objectives import Objective
from scheduler import SolveOptions, solve, validate_plan

# A deterministic limit far too small for CP-SAT's first schedule. The
# objective is not the makespan alone, so no search follows the first solve
# (a makespan search starts from the greedy plan when CP-SAT found none, and
# whether its first step runs within 1 s depends on the machine's load).
STARVED = SolveOptions(
    time_limit=1,
    workers=1,
    deterministic_time_limit=1e-6,
    objective=Objective.TARDINESS,
)


def tight_project() -> Project:
    """100 tasks, 60 % of them for one of a few people."""
    document = portfolio(5, tasks=100, people=6, seed=3)[0]
    assert document["name"].endswith("-tight")
    return project_from_document(document)


def test_no_schedule_in_time_gives_the_labelled_greedy_plan() -> None:
    project = tight_project()
    person = project.resources[0].id
    busy = (BusySpan(person, date(2027, 1, 4), date(2027, 1, 25), project="other"),)
    plan = solve(project, replace(STARVED, busy=busy))
    assert plan.has_schedule
    assert plan.message.startswith("fallback plan (serial schedule generation)")
    assert plan.warnings[0] == plan.message
    assert validate_plan(project, plan, busy) == []
    # The booking elsewhere (15 working days from the start) is kept.
    assert all(task.start >= 15 for task in plan.tasks if person in task.assignees)
    assert plan.lower_bound is not None
    assert plan.makespan is not None
    assert plan.status is SolveStatus.FEASIBLE or plan.makespan == plan.lower_bound


def test_a_solve_in_time_is_not_labelled_a_fallback() -> None:
    plan = solve(tight_project(), SolveOptions(time_limit=5, workers=1))
    assert plan.has_schedule
    assert "fallback" not in plan.message
    assert not any("fallback" in warning for warning in plan.warnings)
