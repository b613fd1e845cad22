"""Real solves with people's time, load limits and the multi-skill search.

Each rule gets a feasible, a tight and an infeasible case; every plan is
re-checked by the validator inside `solve` / `solve_people`.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from domain import (
    Absence,
    Calendar,
    Dependency,
    Project,
    Resource,
    SolveStatus,
    Task,
)
from scheduler import SolveOptions, solve, validate_plan
from scheduler.bounds import assignment_lower_bound
from scheduler.generate import multiskill_project
from scheduler.greedy import serial_schedule
from scheduler.lns import Strategy
from scheduler.people import solve_people
from scheduler.problem import SchedulingProblem
from scheduler.staffing import StaffingWeights

OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)
MONDAY = date(2027, 1, 4)
BE = {"be": 1}


def project(tasks: tuple[Task, ...], *resources: Resource) -> Project:
    return Project(name="people", start=MONDAY, tasks=tasks, resources=resources)


def test_work_waits_for_the_only_qualified_person_to_return() -> None:
    away = Absence(MONDAY, date(2027, 1, 8), "vacation")  # the whole first week
    plan = solve(
        project(
            (Task("a", duration=2, skills=BE),),
            Resource("alice", skills=BE, absences=(away,)),
        ),
        OPTIONS,
    )
    assert (plan.status, plan.scheduled("a").start) == (SolveStatus.OPTIMAL, 5)


def test_the_solver_picks_whoever_is_present() -> None:
    away = Absence(MONDAY, date(2027, 1, 8))
    plan = solve(
        project(
            (Task("a", duration=2, skills=BE),),
            Resource("alice", skills=BE, absences=(away,)),
            Resource("bob", skills=BE),
        ),
        OPTIONS,
    )
    assert plan.makespan == 2
    assert plan.assignments == {"a": ["bob"]}


def test_a_task_fits_exactly_between_two_absences() -> None:
    before = Absence(MONDAY, date(2027, 1, 5))  # days 0-1
    after = Absence(date(2027, 1, 8), date(2027, 1, 29))  # day 4 onwards
    alice = Resource("alice", skills=BE, absences=(before, after))
    plan = solve(project((Task("a", duration=2, skills=BE),), alice), OPTIONS)
    assert plan.scheduled("a").start == 2  # Wed, Thu: the only gap


def test_an_unsplittable_task_starts_on_monday() -> None:
    tasks = (Task("lead", duration=1), Task("a", duration=5, splittable=False))
    plan = solve(
        Project(
            name="week",
            start=date(2027, 1, 6),  # a Wednesday
            tasks=tasks,
            dependencies=(),
        ),
        OPTIONS,
    )
    assert plan.scheduled("a").start == 3  # the next Monday, day 3
    splittable = solve(
        Project(name="week", start=date(2027, 1, 6), tasks=(Task("a", duration=5),)),
        OPTIONS,
    )
    assert splittable.scheduled("a").start == 0


def test_an_unsplittable_task_longer_than_any_week_is_infeasible() -> None:
    tasks = (Task("a", duration=6, splittable=False),)
    plan = solve(Project(name="week", start=MONDAY, tasks=tasks), OPTIONS)
    assert plan.status is SolveStatus.INFEASIBLE


def test_a_part_timer_never_works_a_day_off() -> None:
    part_time = Resource("pat", skills=BE, calendar=Calendar(("Mon", "Tue", "Wed")))
    tasks = tuple(Task(f"t{i}", duration=2, skills=BE) for i in range(3))
    plan = solve(project(tasks, part_time), OPTIONS)
    assert plan.makespan == 12  # one 2-day task per 3-day week, Mon-Tue
    too_long = project((Task("a", duration=4, skills=BE),), part_time)
    assert solve(too_long, OPTIONS).status is SolveStatus.INFEASIBLE


def test_max_load_caps_a_persons_share_of_the_span() -> None:
    tasks = (
        Task("a", duration=4, skills=BE),
        Task("b", duration=4, skills=BE),
        Task("c", duration=8),
    )
    alice = Resource("alice", skills=BE, max_load=0.5)
    plan = solve(project(tasks, alice, Resource("bob", skills=BE)), OPTIONS)
    assert plan.makespan == 8  # alice may work 4 of the 8 days
    alone = solve(project(tasks, alice), OPTIONS)
    assert alone.makespan == 16  # her 8 days of work are half of 16
    assert (
        solve(project(tasks[:2], Resource("alice", skills=BE)), OPTIONS).makespan == 8
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_greedy_plans_are_valid_and_above_the_bound(seed: int) -> None:
    generated = multiskill_project(120, 12, seed=seed, absences=True)
    problem = SchedulingProblem.from_project(generated)
    schedule = serial_schedule(problem, noise=0.2, seed=seed)
    assert schedule is not None
    assert schedule.makespan >= assignment_lower_bound(problem)
    plan = solve_people(generated, SolveOptions(time_limit=3.0, workers=1, seed=seed))
    assert validate_plan(generated, plan) == []
    assert plan.lower_bound == max(
        plan.lower_bound or 0, assignment_lower_bound(problem)
    )
    assert plan.makespan is not None
    assert plan.makespan <= schedule.makespan


def test_search_beats_the_plain_model_on_a_generated_project() -> None:
    generated = multiskill_project(200, 10, seed=7)
    options = SolveOptions(time_limit=4.0, workers=1, seed=0)
    plain = solve_people(generated, options, Strategy.plain())
    searched = solve_people(generated, options)
    assert searched.makespan is not None
    assert plain.makespan is None or searched.makespan < plain.makespan


def staffing_project() -> Project:
    """Two chained 3-day tasks; cheap carol or pricey alice and bob can do them."""
    return project(
        (Task("a", duration=3, skills=BE), Task("b", duration=3, skills=BE)),
        Resource("alice", skills=BE, cost_rate=100.0),
        Resource("bob", skills=BE, cost_rate=100.0),
        Resource("carol", skills=BE, cost_rate=10.0),
    )


def test_cost_weight_prefers_the_cheaper_person_at_equal_makespan() -> None:
    chained = dataclasses.replace(
        staffing_project(), dependencies=(Dependency("a", "b"),)
    )
    plan = solve_people(chained, OPTIONS, weights=StaffingWeights(cost=1.0))
    assert plan.makespan == 6
    assert plan.assignments == {"a": ["carol"], "b": ["carol"]}


def test_makespan_still_wins_over_cost_with_default_weights() -> None:
    parallel = staffing_project()
    plan = solve_people(parallel, OPTIONS, weights=StaffingWeights(cost=1.0))
    assert plan.makespan == 3  # carol alone would take 6 days
    assert "carol" in {p for people in plan.assignments.values() for p in people}


def test_balance_weight_spreads_work() -> None:
    tasks = tuple(Task(f"t{i}", duration=2, skills=BE) for i in range(4))
    chain = tuple(Dependency(f"t{i}", f"t{i + 1}") for i in range(3))
    both = dataclasses.replace(
        project(tasks, Resource("alice", skills=BE), Resource("bob", skills=BE)),
        dependencies=chain,
    )
    plan = solve_people(both, OPTIONS, weights=StaffingWeights(balance=10))
    counts = sorted(
        sum(person in people for people in plan.assignments.values())
        for person in ("alice", "bob")
    )
    assert counts == [2, 2]


def test_continuity_weight_keeps_related_tasks_with_one_person() -> None:
    chained = dataclasses.replace(
        staffing_project(), dependencies=(Dependency("a", "b"),)
    )
    plan = solve_people(
        chained, OPTIONS, weights=StaffingWeights(balance=10, continuity=100)
    )
    assert plan.assignments["a"] == plan.assignments["b"]
    split = solve_people(chained, OPTIONS, weights=StaffingWeights(balance=10))
    assert split.assignments["a"] != split.assignments["b"]
