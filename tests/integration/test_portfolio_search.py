"""The portfolio search over sub-models (`scheduler.search.decompose`): the fixed
rest of a plan as reserved time and windows, and whole runs validated."""

from __future__ import annotations

import dataclasses
import math
import time
from datetime import date

from domain import Dependency, Project, Resource, SolveStatus, Task
from scheduler import SolveOptions, validate_plan
from scheduler.model.constraints import build_model
from scheduler.model.timing import add_time_limits
from scheduler.plan.result import SolveResult, to_plan
from scheduler.plan.schedule import Schedule
from scheduler.portfolio import merge_projects, portfolio_problem
from scheduler.problem.generate import portfolio_projects
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.assignment import Strategy, greedy_start
from scheduler.search.cpsat import solve_from
from scheduler.search.decompose import improve_by_groups
from scheduler.search.driver import SearchLimits
from scheduler.search.greedy import serial_schedule
from scheduler.search.ordering import improve_order
from scheduler.search.subproblem import sub_problem
from scheduler.strategy import ORDER_SIZING

BE = {"be": 1}
OPTIONS = SolveOptions(time_limit=2.0, workers=1, seed=0)
# A work-limited greedy multi-start tries every start, whatever the clock.
ALL_STARTS = SearchLimits(math.inf, work=1.0)


def chain() -> SchedulingProblem:
    """a -> b -> c (FS, lag 2 into b), all for alice; bob can do b too."""
    tasks = (
        Task("a", duration=5, skills=BE),
        Task("b", duration=3, skills=BE),
        Task("c", duration=2, skills=BE),
    )
    project = Project(
        name="chain",
        tasks=tasks,
        start=date(2027, 1, 4),
        resources=(Resource("alice", skills=BE), Resource("bob", skills=BE)),
        dependencies=(Dependency("a", "b", lag=2), Dependency("b", "c")),
    )
    return SchedulingProblem.from_project(project)


def test_fixed_neighbours_become_windows_and_reserved_time() -> None:
    incumbent = Schedule((0, 7, 12), ((0,), (0,), (0,)), 14, (5, 10, 14))
    sub = sub_problem(chain(), incumbent, [1])
    assert sub.task_ids == ("b",)
    assert sub.precedences == ()
    assert (sub.windows[0].release, sub.windows[0].deadline) == (7, 12)
    assert sub.reserved == ((0, 0, 5, 1), (0, 12, 14, 1))


def test_a_sub_plan_keeps_out_of_reserved_time() -> None:
    # b is free; a and c keep alice busy on [0, 5) and [12, 14).
    incumbent = Schedule((0, 7, 12), ((0,), (0,), (0,)), 14, (5, 10, 14))
    sub = sub_problem(chain(), incumbent, [1])
    model, variables = build_model(sub)
    add_time_limits(model, sub.windows, sub.deadline, variables)
    hint = Schedule((7,), ((0,),), 14, (10,))
    found = solve_from(model, variables, sub, OPTIONS, hint, 2.0).schedule
    assert found is not None
    assert found.starts[0] >= 7
    assert found.finishes[0] <= 12
    # Infeasible: no room between the fixed neighbours for a 6-day task.
    longer = dataclasses.replace(
        sub, tasks=(dataclasses.replace(sub.tasks[0], duration=6),)
    )
    model, variables = build_model(longer)
    add_time_limits(model, longer.windows, longer.deadline, variables)
    assert solve_from(model, variables, longer, OPTIONS, None, 2.0).schedule is None


def test_rounds_improve_a_poor_plan_and_stay_valid() -> None:
    projects = portfolio_projects(3, 40, 12, seed=1)
    merged, releases = merge_projects(projects)
    problem, goal = portfolio_problem(merged, projects, releases)
    # Start from the greedy plan with the priorities turned upside down.
    upside_down = [6 - weight for weight in goal.task_weights()]
    poor = serial_schedule(problem, weights=upside_down)
    assert poor is not None
    # Counted by work, not timed: the same steps under any load.
    counted = dataclasses.replace(OPTIONS, deterministic_time_limit=4.0)
    end = time.perf_counter() + 120
    best, rounds = improve_by_groups(problem, counted, goal, poor, end)
    assert rounds >= 2
    assert goal.value(best) < goal.value(poor)
    result = SolveResult(
        SolveStatus.FEASIBLE,
        best.makespan,
        0,
        0.0,
        best.starts,
        best.assignees,
        finishes=best.finishes,
    )
    assert validate_plan(merged, to_plan(problem, result)) == []


def test_re_ranking_lets_a_near_deadline_go_before_a_higher_priority() -> None:
    alice = Resource("alice", skills=BE)
    work = (Task("x", duration=5, skills=BE),)
    high = Project("high", work, date(2027, 1, 4), 20, resources=(alice,), priority=2)
    low = Project("low", work, date(2027, 1, 4), 5, resources=(alice,), priority=1)
    merged, releases = merge_projects([high, low])
    problem, goal = portfolio_problem(merged, [high, low], releases)
    greedy = greedy_start(problem, Strategy(), goal, ALL_STARTS)
    assert greedy is not None
    assert goal.value(greedy) == 2 * 5 + (100 * 5 + 10)  # high first: low is late
    limits = SearchLimits(time.perf_counter() + 60, work=50 * ORDER_SIZING.step_work)
    best, tried = improve_order(problem, goal, greedy, limits)
    assert tried > 0
    assert goal.value(best) == 1 * 5 + 2 * 10  # low first, both on time


def test_re_ranking_is_a_step_of_the_one_driver() -> None:
    """A work-limited re-ranking tries as many rankings as its work buys
    (each step's share, `ORDER_SIZING`), however long the clock allows, and
    repeats exactly: the driver's clock, generator and limits, none of its own."""
    alice, bob = Resource("alice", skills=BE), Resource("bob", skills=BE)
    projects = [
        Project(
            f"p{k}",
            tuple(Task(f"t{i}", duration=2 + (i + k) % 4, skills=BE) for i in range(4)),
            date(2027, 1, 4),
            8 + 3 * k,
            resources=(alice, bob),
            priority=1 + k % 3,
        )
        for k in range(5)
    ]
    merged, releases = merge_projects(projects)
    problem, goal = portfolio_problem(merged, projects, releases)
    greedy = greedy_start(problem, Strategy(), goal, ALL_STARTS)
    assert greedy is not None
    limits = SearchLimits(time.perf_counter() + 600, work=0.5, seed=3)

    runs = [improve_order(problem, goal, greedy, limits) for _ in range(2)]

    assert [tried for _, tried in runs] == [8, 8]  # 0.5 / (1 / 16)
    assert runs[0][0] == runs[1][0]
    assert goal.value(runs[0][0]) <= goal.value(greedy)
