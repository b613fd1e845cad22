"""Seeded RCPSP instances with ProGen's parameters, as domain Projects.

ProGen (Kolisch, Sprecher and Drexl 1995, the generator behind PSPLIB) sets
an instance's hardness by three numbers, used here as it defines them:

- network complexity NC: non-redundant arcs per node, counting a dummy source
  and sink and their arcs (3 start and 3 finish jobs, at most 3 predecessors
  and 3 successors per job, as in PSPLIB);
- resource factor RF: the share of the resources a job asks for (each job
  asks for RF x 4 of the 4 renewable resources, the remainder spread at random);
- resource strength RS: where each capacity sits between the largest single
  demand (RS 0) and the peak demand of the earliest-start schedule (RS 1).

Durations and demands are uniform on 1..10. The same (tasks, NC, RF, RS,
seed) gives the same project on every machine (NumPy's PCG64). Tasks are
"1" .. "n" and resources "R1" .. "R4", as `formats.read_psplib` names them
(without the zero-duration source and sink, which change no schedule).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from domain import Dependency, Project, Resource, Task
from scheduler.problem.instance import SchedulingProblem

RESOURCES = 4
ENDS = 3  # start jobs (after the source) and finish jobs (before the sink)
MOST_ARCS = 3  # predecessors, and successors, per job
LONGEST = 10  # durations and demands are uniform on 1..LONGEST
TRIES_PER_JOB = 40  # random arcs tried per job before NC is given up on
SETS = Path(__file__).with_name("data") / "generated_rcpsp.csv"


@dataclass(frozen=True)
class Parameters:
    """One instance's recipe: size, ProGen's NC, RF, RS, and the seed."""

    tasks: int
    nc: float
    rf: float
    rs: float
    seed: int

    @property
    def name(self) -> str:
        return f"g{self.tasks}_nc{self.nc}_rf{self.rf}_rs{self.rs}_s{self.seed}"


def generate(parameters: Parameters) -> Project:
    """The instance these parameters and seed describe (module docstring)."""
    if parameters.tasks < 2 * ENDS:
        raise ValueError(f"need at least {2 * ENDS} tasks, got {parameters.tasks}")
    rng = np.random.default_rng(parameters.seed)
    n = parameters.tasks
    successors = _network(rng, n, parameters.nc)
    durations = rng.integers(1, LONGEST + 1, size=n)
    demands = _demands(rng, n, parameters.rf)
    tasks = tuple(
        Task(
            id=str(job + 1),
            duration=int(durations[job]),
            demands={f"R{k + 1}": int(units) for k, units in enumerate(row) if units},
        )
        for job, row in enumerate(demands)
    )
    dependencies = tuple(
        Dependency(str(job + 1), str(after + 1))
        for job in range(n)
        for after in sorted(successors[job])
    )
    names = tuple(f"R{k + 1}" for k in range(RESOURCES))
    unlimited = tuple(Resource(name, int(demands.sum())) for name in names)
    draft = Project(
        parameters.name, tasks, resources=unlimited, dependencies=dependencies
    )
    peaks = _earliest_start_peaks(draft, durations, demands)
    least = demands.max(axis=0)
    capacities = least + np.rint(parameters.rs * (peaks - least)).astype(int)
    resources = tuple(
        Resource(name, int(capacity))
        for name, capacity in zip(names, capacities, strict=True)
    )
    return Project(
        parameters.name, tasks, resources=resources, dependencies=dependencies
    )


def network_complexity(project: Project) -> float:
    """NC as ProGen counts it: arcs per node with a dummy source and sink."""
    firsts = {task.id for task in project.tasks} - {
        dependency.successor for dependency in project.dependencies
    }
    lasts = {task.id for task in project.tasks} - {
        dependency.predecessor for dependency in project.dependencies
    }
    arcs = len(project.dependencies) + len(firsts) + len(lasts)
    return arcs / (len(project.tasks) + 2)


def _network(rng: np.random.Generator, n: int, nc: float) -> list[set[int]]:
    """Successor sets of a non-redundant network of jobs 0..n-1 (arcs only
    from lower to higher numbers): jobs 0..ENDS-1 start it, the last ENDS
    finish it, every other job has a predecessor and a successor, and random
    arcs follow until NC is reached (or TRIES_PER_JOB x n draws failed)."""
    successors: list[set[int]] = [set() for _ in range(n)]
    predecessors: list[set[int]] = [set() for _ in range(n)]
    reach = [0] * n  # bit j set: job j follows this one, directly or not
    first_finish = n - ENDS

    def add(before: int, after: int) -> None:
        successors[before].add(after)
        predecessors[after].add(before)
        gained = reach[after] | (1 << after)
        for job in range(before + 1):
            if job == before or reach[job] >> before & 1:
                reach[job] |= gained

    def redundant(before: int, after: int) -> bool:
        if reach[before] >> after & 1:
            return True  # after already follows before
        later = reach[after] | (1 << after)
        for job in range(
            before + 1
        ):  # an arc job -> b that before -> after would imply
            if (job == before or reach[job] >> before & 1) and any(
                later >> b & 1 for b in successors[job]
            ):
                return True
        return False

    for job in range(ENDS, n):  # every non-start job gets a predecessor
        earlier = range(min(job, first_finish))
        open_ = [i for i in earlier if len(successors[i]) < MOST_ARCS]
        add(int(rng.choice(open_ or earlier)), job)
    for job in range(first_finish):  # every non-finish job gets a successor
        if not successors[job]:
            later = range(max(job + 1, ENDS), n)
            open_ = [j for j in later if len(predecessors[j]) < MOST_ARCS] or later
            candidates = [j for j in open_ if not redundant(job, j)] or open_
            add(job, int(rng.choice(candidates)))
    target = round(nc * (n + 2)) - 2 * ENDS
    arcs = sum(len(after) for after in successors)
    for _ in range(TRIES_PER_JOB * n):
        if arcs >= target:
            break
        before = int(rng.integers(0, first_finish))
        after = int(rng.integers(max(before + 1, ENDS), n))
        if (
            len(successors[before]) < MOST_ARCS
            and len(predecessors[after]) < MOST_ARCS
            and not redundant(before, after)
        ):
            add(before, after)
            arcs += 1
    return successors


def _demands(rng: np.random.Generator, n: int, rf: float) -> np.ndarray:
    """n x RESOURCES demands: RF x RESOURCES resources per job on average
    (at least one each), units uniform on 1..LONGEST."""
    total = max(round(rf * RESOURCES * n), n)
    counts = np.full(n, total // n)
    counts[rng.choice(n, size=total % n, replace=False)] += 1
    demands = np.zeros((n, RESOURCES), dtype=int)
    for job, count in enumerate(counts):
        used = rng.choice(RESOURCES, size=min(int(count), RESOURCES), replace=False)
        demands[job, used] = rng.integers(1, LONGEST + 1, size=len(used))
    return demands


def _earliest_start_peaks(
    project: Project, durations: np.ndarray, demands: np.ndarray
) -> np.ndarray:
    """Each resource's peak demand in the earliest-start schedule."""
    starts = SchedulingProblem.from_project(project).earliest_starts()
    assert starts is not None  # arcs run forward only: no cycle
    horizon = int(max(s + d for s, d in zip(starts, durations, strict=True)))
    profile = np.zeros((horizon, RESOURCES), dtype=int)
    for job, start in enumerate(starts):
        profile[start : start + int(durations[job])] += demands[job]
    return profile.max(axis=0)


def instance_set(name: str) -> list[Parameters]:
    """The committed recipes of set `name` ("held_out" or "tuning") in
    data/generated_rcpsp.csv; the held-out set is never used for tuning."""
    with SETS.open(newline="") as rows:
        return [
            Parameters(
                int(row["tasks"]),
                float(row["nc"]),
                float(row["rf"]),
                float(row["rs"]),
                int(row["seed"]),
            )
            for row in csv.DictReader(rows)
            if row["set"] == name
        ]
