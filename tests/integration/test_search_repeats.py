"""Work-limited searches repeat exactly: the one LNS driver with each kind of
step (makespan sub-models, staffing, portfolio groups), and whole solves.

Same seed, same work limit, one worker => the same plan, whatever the load:
only CP-SAT's deterministic time cuts a step short, and every choice draws
from the run's seed. The phases beside the driver take its limits too: the
genetic search runs the generations its share of the work buys, never sized
by timing the kernels, and the greedy multi-start's perturbations follow
the run's seed.
"""

from __future__ import annotations

import dataclasses
import time
from datetime import date
from pathlib import Path

import numpy as np
import pytest

import scheduler.search.assignment
import scheduler.search.makespan
from domain import Dependency, Project, Resource, Task
from formats import read_psplib
from scheduler import SolveOptions, solve, validate_plan
from scheduler.portfolio import merge_projects, portfolio_problem
from scheduler.problem.generate import multiskill_project, portfolio_projects
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.assignment import Strategy, greedy_start, improve
from scheduler.search.decompose import improve_by_groups
from scheduler.search.driver import SearchLimits
from scheduler.search.goals import Makespan
from scheduler.search.greedy import serial_schedule

PSPLIB = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "psplib"


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


@pytest.mark.skipif(
    not PSPLIB.is_dir(), reason=f"shared PSPLIB data not found at {PSPLIB}"
)
def test_a_psplib_j60_solve_repeats_itself_through_every_phase() -> None:
    """The full search on a hard j60 instance (first solve, genetic search,
    LNS, final solve), run twice with one seed and work limit."""
    project = read_psplib(PSPLIB / "j60" / "j6013_1.sm")
    notes: list[str] = []
    options = dataclasses.replace(counted(seed=0, work=1.0), log_progress=notes.append)

    plans = [solve(project, options) for _ in range(2)]

    assert [t.start for t in plans[0].tasks] == [t.start for t in plans[1].tasks]
    searched = [note for note in notes if note.startswith("search:")]
    assert len(searched) == 2
    assert searched[0] == searched[1]
    assert "genetic search" in searched[0]
    assert "LNS" in searched[0]
    assert validate_plan(project, plans[0]) == []


def test_a_work_limited_solve_never_times_its_genetic_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its population and length come from the work alone: the timing probe
    that sizes a wall-clock run's population is not consulted."""
    project = _large_plain_project()
    options = counted(seed=11, work=2.0)
    expected = solve(project, options)

    def timed(*args: object) -> float:
        raise AssertionError("a work-limited run timed the genetic search")

    monkeypatch.setattr(scheduler.search.makespan, "affordable", timed)
    plan = solve(project, options)

    assert [t.start for t in plan.tasks] == [t.start for t in expected.tasks]


def test_the_greedy_multi_start_draws_from_the_runs_seed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = SchedulingProblem.from_project(multiskill_project(64, 5, seed=2))
    drawn: list[int] = []

    def recorded(*args: object, seed: int = 0, **kwargs: object) -> object:
        drawn.append(seed)
        return serial_schedule(*args, seed=seed, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(scheduler.search.assignment, "serial_schedule", recorded)
    goal, far = Makespan(problem), time.perf_counter() + 300
    seeds = []
    for seed in (0, 0, 1):
        drawn.clear()
        greedy_start(problem, Strategy(), goal, SearchLimits(far, work=1.0, seed=seed))
        seeds.append(list(drawn))

    assert seeds[0] == seeds[1] == [0, 1, 2, 3, 4, 5, 6, 7]
    assert seeds[2] == [0, 9, 10, 11, 12, 13, 14, 15]


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
