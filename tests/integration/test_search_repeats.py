"""Work-limited searches repeat exactly: the one LNS driver with each kind of
step (makespan sub-models, staffing, portfolio groups), and whole solves.

Same seed, same work limit, one worker => the same plan, whatever the load:
only CP-SAT's deterministic time cuts a step short, and every choice draws
from the run's seeded generator.
"""

from __future__ import annotations

import time
from datetime import date

import numpy as np

from domain import Dependency, Project, Resource, Task
from scheduler import SolveOptions, solve, validate_plan
from scheduler.portfolio import merge_projects, portfolio_problem
from scheduler.problem.generate import multiskill_project, portfolio_projects
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.assignment import Strategy, improve
from scheduler.search.decompose import improve_by_groups
from scheduler.search.greedy import serial_schedule


def counted(seed: int, work: float) -> SolveOptions:
    # A wall-clock limit far off: the work limit alone ends each run.
    return SolveOptions(
        time_limit=300.0, workers=1, seed=seed, deterministic_time_limit=work
    )


def test_a_staffing_search_repeats_itself() -> None:
    problem = SchedulingProblem.from_project(multiskill_project(64, 5, seed=2))
    options = counted(seed=3, work=0.6)

    runs = [improve(problem, options, Strategy()) for _ in range(2)]

    assert runs[0].iterations > 0
    assert runs[0].schedule == runs[1].schedule
    assert runs[0].iterations == runs[1].iterations


def test_a_portfolio_search_repeats_itself() -> None:
    projects = portfolio_projects(3, 40, 12, seed=2)
    merged, releases = merge_projects(projects)
    problem, goal = portfolio_problem(merged, projects, releases)
    start = serial_schedule(problem, weights=goal.task_weights())
    assert start is not None
    options = counted(seed=5, work=0.4)
    end = time.perf_counter() + 300

    runs = [improve_by_groups(problem, options, goal, start, end) for _ in range(2)]

    assert runs[0][1] > 1
    assert runs[0] == runs[1]


def test_a_makespan_solve_repeats_itself_and_its_plan_is_valid() -> None:
    project = _large_plain_project()
    options = counted(seed=11, work=2.0)

    plans = [solve(project, options) for _ in range(2)]

    assert [t.start for t in plans[0].tasks] == [t.start for t in plans[1].tasks]
    assert plans[0].makespan == plans[1].makespan
    assert validate_plan(project, plans[0]) == []


def _large_plain_project() -> Project:
    """60 tasks (past the whole-model size) on 3 machines, seeded chains: a
    plain RCPSP, so the first solve, the genetic search and LNS all run."""
    rng = np.random.default_rng(9)
    tasks = tuple(
        Task(
            f"t{i}",
            duration=int(rng.integers(1, 10)),
            demands={f"m{int(rng.integers(3))}": 1},
        )
        for i in range(60)
    )
    links = tuple(
        Dependency(f"t{int(rng.integers(i))}", f"t{i}", id=f"d{i}")
        for i in range(5, 60)
    )
    machines = tuple(Resource(f"m{k}", capacity=2) for k in range(3))
    return Project(
        "plain", tasks, date(2027, 1, 4), resources=machines, dependencies=links
    )
