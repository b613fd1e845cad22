"""After the first CP-SAT solve: genetic search, then LNS, on the makespan.

For a plain RCPSP (scheduler.search.genetic.Network applies) one genetic
search per worker thread runs for GENETIC_SHARE of the time left; its best
schedule, if shorter, replaces CP-SAT's, completed into a full model solution
by a solve with every start fixed. LNS (scheduler.search.lns) improves the
incumbent for the rest. Other problems (people, windows, general
dependencies) go to LNS directly.

The kernels compile on first use (about 10 s, then cached on disk). A
wall-clock solve never waits for that: it starts compiling in the background
and searches by LNS alone until they are ready. A work-limited (reproducible)
solve waits, and runs a fixed number of generations per unit of work; its
population is then POPULATION, not sized by timing the kernels.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.search.driver import SearchLimits
from scheduler.search.genetic import (
    POPULATION,
    Found,
    Network,
    affordable,
    genetic_search,
    population_for,
)
from scheduler.search.lns import BaseModel, Incumbent, improve
from scheduler.strategy import EVALUATIONS_PER_WORK, GENETIC_SHARE


@dataclass(frozen=True)
class Outcome:
    """The best incumbent and a line on how it was found."""

    incumbent: Incumbent
    summary: str


def improve_makespan(
    base: BaseModel, first: Incumbent, limits: SearchLimits
) -> Outcome:
    """Improve CP-SAT's first schedule within `limits`."""
    network = Network.of(base.problem)
    incumbent, notes = first, []
    if network is not None and _kernels_ready(wait=limits.work is not None):
        found = _genetic(network, limits)
        notes.append(f"genetic search {found.makespan} in {found.generations} gens")
        if found.makespan < incumbent.makespan:
            incumbent = complete(base, found.starts) or incumbent
    report = improve(base, incumbent, limits)
    notes.append(f"LNS {report.incumbent.makespan} after {report.steps} steps")
    return Outcome(report.incumbent, "; ".join(notes))


def _genetic(network: Network, limits: SearchLimits) -> Found:
    """Independent seeded runs (seeds `limits.seed` + k), one per worker
    thread, on GENETIC_SHARE of the limits; the shortest wins. A wall-clock
    run sizes its population to the schedules the time affords; a
    work-limited one (which repeats) takes POPULATION."""
    phase = limits.share(GENETIC_SHARE)
    size = POPULATION
    if phase.work is None:
        size = population_for(affordable(network, phase.left(), limits.seed))
    results: list[Found] = []

    def run(seed: int) -> None:
        own = dataclasses.replace(phase, seed=seed, workers=1)
        results.append(genetic_search(network, own, size))  # atomic under the GIL

    seeds = [limits.seed + k for k in range(limits.workers)]
    threads = [threading.Thread(target=run, args=(seed,)) for seed in seeds[1:]]
    for thread in threads:
        thread.start()
    run(seeds[0])
    for thread in threads:
        thread.join()
    return min(results, key=lambda found: (found.makespan, found.starts))


def complete(base: BaseModel, starts: tuple[int, ...]) -> Incumbent | None:
    """A full model solution with these starts (None if the model rejects it)."""
    model = base.model.clone()
    model.proto.clear_solution_hint()
    for index, start in enumerate(starts):
        model.add(
            model.get_int_var_from_proto_index(base.variables.starts[index].index)
            == start
        )
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5.0
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    solution = tuple(solver.response_proto.solution)
    return Incumbent(solution, solution[base.variables.makespan.index])


_compiled = threading.Event()
_compiling = threading.Lock()


def _kernels_ready(wait: bool) -> bool:
    """Whether the kernels are compiled; starts compiling them if not."""
    if _compiled.is_set():
        return True
    if _compiling.acquire(blocking=False):
        threading.Thread(target=_compile, daemon=True).start()
    if wait:
        _compiled.wait()
    return _compiled.is_set()


def _compile() -> None:
    """Run the kernels once on a two-task problem (numba compiles on first call)."""
    from scheduler.problem.data import TaskData
    from scheduler.problem.instance import SchedulingProblem

    tiny = SchedulingProblem(("a", "b"), ("r",), (TaskData(1, ((0, 1),)),) * 2, (1,))
    network = Network.of(tiny)
    assert network is not None
    one_generation = SearchLimits(math.inf, 0, work=2 / EVALUATIONS_PER_WORK)
    genetic_search(network, one_generation, size=2)
    _compiled.set()


def warm_up() -> None:
    """Compile the kernels now (for services and benchmarks before timing)."""
    _kernels_ready(wait=True)
