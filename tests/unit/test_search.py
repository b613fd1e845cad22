"""The makespan search: incumbent-order arcs, the genetic search, LNS steps."""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pytest
from ortools.sat.python import cp_model

from benchmarks.rcpsp_generator import Parameters, generate
from domain import SolveStatus
from formats import read_psplib
from scheduler import SchedulingProblem, SolveOptions, solve, validate_plan
from scheduler.model.constraints import build_model
from scheduler.plan.result import SolveResult, to_plan
from scheduler.search import (
    BaseModel,
    Incumbent,
    SearchLimits,
    improve,
    kernels,
    warm_up,
)
from scheduler.search.genetic import (
    POPULATION,
    Network,
    affordable,
    genetic_search,
    population_for,
)
from scheduler.search.greedy import serial_schedule
from scheduler.search.order import order_arcs
from scheduler.strategy import EVALUATIONS_PER_WORK

J301_1 = Path(__file__).parents[1] / "data" / "j301_1.sm"


def counted(generations: int, size: int, seed: int = 0) -> SearchLimits:
    """Limits that buy a genetic search of `size` lists `generations`."""
    work = generations * size / EVALUATIONS_PER_WORK
    return SearchLimits(math.inf, 0, work=work, seed=seed)


@pytest.fixture(scope="module")
def problem() -> SchedulingProblem:
    return SchedulingProblem.from_project(read_psplib(J301_1))


def test_order_arcs_keep_only_the_arcs_no_third_task_fits_between() -> None:
    #  0: [0, 2)   1: [2, 4)   2: [2, 3)   3: [4, 6)
    starts, finishes = [0, 2, 2, 4], [2, 4, 3, 6]

    arcs = order_arcs([[0, 1, 2, 3]], starts, finishes, frozenset())

    # 0 -> 3 follows from 0 -> 1 -> 3; 2 -> 3 is needed (nothing fits between).
    assert arcs == {(0, 1), (0, 2), (1, 3), (2, 3)}


def test_order_arcs_leave_free_tasks_out() -> None:
    arcs = order_arcs([[0, 1, 2, 3]], [0, 2, 2, 4], [2, 4, 3, 6], frozenset({1, 2}))

    assert arcs == {(0, 3)}


def _check(problem: SchedulingProblem, starts: tuple[int, ...]) -> None:
    """Precedences and capacities hold (independently of the kernels)."""
    for p in problem.precedences:
        assert starts[p.successor] >= starts[p.predecessor] + problem.start_offset(p)
    for resource, capacity in enumerate(problem.capacities):
        for day in range(max(starts) + 1):
            load = sum(
                units
                for task, units in problem.uses_of(resource)
                if starts[task] <= day < starts[task] + problem.tasks[task].duration
            )
            assert load <= capacity


def test_genetic_search_finds_a_feasible_schedule_and_repeats_with_a_seed(
    problem: SchedulingProblem,
) -> None:
    network = Network.of(problem)
    assert network is not None
    warm_up()

    runs = [
        genetic_search(network, counted(generations=20, size=POPULATION, seed=3))
        for _ in range(2)
    ]

    assert runs[0] == runs[1]
    _check(problem, runs[0].starts)
    assert runs[0].makespan == max(
        s + t.duration for s, t in zip(runs[0].starts, problem.tasks, strict=True)
    )
    assert runs[0].makespan >= 43  # the proven optimum of j301_1


def _first(problem: SchedulingProblem) -> tuple[BaseModel, Incumbent]:
    """A deliberately poor first schedule: CP-SAT stopped at its first solution."""
    model, variables = build_model(problem)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.stop_after_first_solution = True
    solver.solve(model)
    solution = tuple(solver.response_proto.solution)
    return BaseModel(model, variables, problem), Incumbent(
        solution, solution[variables.makespan.index]
    )


def _starts(base: BaseModel, incumbent: Incumbent) -> tuple[int, ...]:
    return tuple(incumbent.solution[v.index] for v in base.variables.starts)


def test_lns_keeps_feasibility_and_never_worsens(problem: SchedulingProblem) -> None:
    base, first = _first(problem)
    limits = SearchLimits(time.perf_counter() + 30, lower_bound=43, work=0.5)

    report = improve(base, first, limits)

    assert report.incumbent.makespan <= first.makespan
    assert report.steps > 0
    starts = _starts(base, report.incumbent)
    _check(problem, starts)
    finishes = (s + t.duration for s, t in zip(starts, problem.tasks, strict=True))
    assert report.incumbent.makespan == max(finishes)


def test_lns_repeats_itself_with_one_worker_and_a_work_limit(
    problem: SchedulingProblem,
) -> None:
    base, first = _first(problem)
    limits = SearchLimits(time.perf_counter() + 60, lower_bound=0, work=0.3, seed=7)

    runs = [improve(base, first, limits) for _ in range(2)]

    assert runs[0].incumbent == runs[1].incumbent
    assert runs[0].steps == runs[1].steps


def test_lns_stops_at_its_deadline(problem: SchedulingProblem) -> None:
    base, first = _first(problem)
    started = time.perf_counter()

    improve(base, first, SearchLimits(started + 0.5, lower_bound=0, workers=2))

    assert time.perf_counter() - started < 0.5 + 0.3


def test_solve_respects_its_time_limit_on_a_hard_instance() -> None:
    psplib = Path(__file__).resolve().parents[3] / "shared" / "data" / "psplib"
    path = psplib / "j120" / "j12016_1.sm"
    if not path.exists():
        pytest.skip(f"shared PSPLIB data not found at {psplib}")
    project = read_psplib(path)
    warm_up()
    started = time.perf_counter()

    plan = solve(project, SolveOptions(time_limit=2.0, workers=2))

    assert time.perf_counter() - started < 2.0 + 0.5
    assert plan.status is SolveStatus.FEASIBLE
    assert validate_plan(project, plan) == []


def test_a_first_solve_with_no_schedule_in_its_share_still_gets_the_search() -> None:
    # 60 tasks, each asking for all four scarce resources: in the first share
    # of this work limit CP-SAT finds no schedule; the greedy plan then starts
    # the search (before, the solve stopped there with it as a fallback plan).
    project = generate(Parameters(60, 1.8, 1.0, 0.1, seed=3))
    greedy = serial_schedule(SchedulingProblem.from_project(project))
    assert greedy is not None

    plan = solve(
        project, SolveOptions(time_limit=60, workers=1, deterministic_time_limit=0.005)
    )

    assert plan.status is SolveStatus.FEASIBLE
    assert not any("fallback" in warning for warning in plan.warnings)
    assert plan.makespan is not None
    assert plan.makespan < greedy.makespan


def test_result_of_a_search_is_a_valid_plan(problem: SchedulingProblem) -> None:
    base, first = _first(problem)
    report = improve(
        base, first, SearchLimits(time.perf_counter() + 30, lower_bound=43, work=0.3)
    )
    starts = _starts(base, report.incumbent)
    result = SolveResult(
        SolveStatus.FEASIBLE,
        report.incumbent.makespan,
        43,
        0.1,
        starts,
        ((),) * problem.num_tasks,
    )

    assert validate_plan(read_psplib(J301_1), to_plan(problem, result)) == []


@pytest.mark.parametrize(
    ("evaluations", "lists"), [(1_000, 40), (60_000, 200), (120_000, 400), (1e6, 600)]
)
def test_population_grows_with_the_schedules_affordable_up_to_a_cap(
    evaluations: float, lists: int
) -> None:
    assert population_for(evaluations) == lists


def test_affordable_schedules_grow_with_the_time() -> None:
    network = Network.of(SchedulingProblem.from_project(read_psplib(J301_1)))
    assert network is not None

    assert 0 < affordable(network, 0.1) < affordable(network, 10.0)


def test_a_generation_keeps_no_clone_of_a_list_it_holds() -> None:
    network = Network.of(SchedulingProblem.from_project(read_psplib(J301_1)))
    assert network is not None
    best = genetic_search(network, counted(generations=20, size=20), size=20)
    order = np.argsort(np.array(best.starts) * 1000 + network.rank, kind="stable")
    sampled = genetic_search(network, SearchLimits(-math.inf, 0, seed=1), size=1)
    worse = np.argsort(np.array(sampled.starts) * 1000 + network.rank, kind="stable")
    # Half the population is the best list, half one worse list: crossing
    # two copies of the best (mutation off) gives the best again.
    population = np.array([order] * 10 + [worse] * 10, np.int64)
    makespans = np.array([best.makespan] * 10 + [sampled.makespan] * 10, np.int64)
    usage = np.zeros((network.horizon, network.capacities.shape[0]), np.int64)
    kernels.seed_generator(0)

    kernels.generation(
        population,
        makespans,
        network.rank,
        network.durations,
        network.demands,
        network.capacities,
        network.forward,
        network.backward,
        usage,
        network.related,
        0.0,
        0.0,
    )

    assert sum((row == order).all() for row in population) <= 10


def test_a_shift_moves_activities_and_keeps_the_list_precedence_feasible() -> None:
    network = Network.of(SchedulingProblem.from_project(read_psplib(J301_1)))
    assert network is not None
    kernels.seed_generator(0)
    n = network.durations.shape[0]
    order = kernels.random_list(
        network.latest_starts.astype(np.float64),
        0.0,
        network.backward,
        np.diff(network.forward[0]),
    )
    shifted = order.copy()

    kernels.shift(shifted, network.forward, network.backward, 1.0)

    assert sorted(shifted.tolist()) == list(range(n))
    assert (shifted != order).any()
    position = np.empty(n, np.int64)
    position[shifted] = np.arange(n)
    pointer, predecessors = network.forward[0], network.forward[1]
    for task in range(n):
        for p in range(pointer[task], pointer[task + 1]):
            assert position[predecessors[p]] < position[task]
