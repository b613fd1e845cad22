"""Large neighbourhood search on the makespan, driving CP-SAT on sub-models.

Each step frees a set of tasks (scheduler.search.neighbourhoods), copies the
base model, keeps every other task in the incumbent's order on each binding
resource (scheduler.search.order) and in its people, caps the makespan at the
incumbent's, hints the incumbent and solves with one worker and a small limit.
The incumbent is a solution of every sub-model, so a step never loses
feasibility and never worsens the makespan; an answer of equal makespan is
taken too, which moves the search along a plateau.

`workers` threads run steps at once (CP-SAT releases the GIL while it
solves) and share the incumbent. With one worker and a work limit
(`SearchLimits.work`, CP-SAT's deterministic time) a seeded search repeats
itself exactly; wall-clock limits stop it at the deadline in any case.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from scheduler.model.variables import Variables
from scheduler.plan.floats import binding_users
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.neighbourhoods import CHOOSERS, Structure
from scheduler.search.order import order_arcs


@dataclass(frozen=True)
class BaseModel:
    """The full model (constraints and makespan objective) and its variables."""

    model: cp_model.CpModel
    variables: Variables
    problem: SchedulingProblem


@dataclass(frozen=True)
class Incumbent:
    """A full solution of the base model: one value per model variable."""

    solution: tuple[int, ...]
    makespan: int


@dataclass(frozen=True)
class SearchLimits:
    """When to stop: a wall-clock deadline (time.perf_counter), optionally a
    total of solver work, and a makespan no search can beat (a lower bound)."""

    deadline: float
    lower_bound: int
    work: float | None = None
    workers: int = 1
    seed: int = 0


@dataclass(frozen=True)
class Tuning:
    """Step sizes: freed tasks (a share of all, adapted per thread), the
    solver work and wall time one step may take, and the least work a step is
    charged (its model building, which CP-SAT does not count)."""

    share: float = 0.2
    min_size: int = 5
    step_work: float = 0.05
    step_seconds: float = 1.0
    step_overhead: float = 0.005
    grow: float = 1.05
    shrink: float = 0.95


@dataclass
class SearchReport:
    """The final incumbent and what the search did to reach it."""

    incumbent: Incumbent
    steps: int = 0
    improvements: int = 0
    work: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


def improve(
    base: BaseModel,
    first: Incumbent,
    limits: SearchLimits,
    tuning: Tuning = Tuning(),
) -> SearchReport:
    """Improve `first` until a limit is reached; returns the best incumbent."""
    report = SearchReport(first)
    structure = Structure.of(base.problem, binding_users(base.problem, ()))
    seeds = np.random.SeedSequence(limits.seed).spawn(limits.workers)
    runners = [
        _Runner(base, structure, limits, tuning, np.random.default_rng(seed))
        for seed in seeds
    ]
    if len(runners) == 1:
        runners[0].run(report)
        return report
    threads = [threading.Thread(target=r.run, args=(report,)) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return report


class _Runner:
    """One thread's loop: choose, solve, share; its own size and generator."""

    def __init__(
        self,
        base: BaseModel,
        structure: Structure,
        limits: SearchLimits,
        tuning: Tuning,
        rng: np.random.Generator,
    ) -> None:
        self.base, self.structure, self.limits = base, structure, limits
        self.tuning, self.rng = tuning, rng
        tasks = base.problem.num_tasks
        self.size = max(tuning.share * tasks, min(tuning.min_size, tasks))

    def run(self, report: SearchReport) -> None:
        while (incumbent := self._next(report)) is not None:
            starts = _values(incumbent, self.base.variables.starts)
            chooser = CHOOSERS[int(self.rng.integers(len(CHOOSERS)))]
            free = chooser(self.structure, starts, round(self.size), self.rng)
            solved, answer, work = _step(
                self.base, incumbent, free, self._step_limits(report), self.rng
            )
            with report.lock:
                report.steps += 1
                # CP-SAT counts no work for loading a model: charge some per step.
                report.work += max(work, self.tuning.step_overhead)
                if answer is not None and answer.makespan <= report.incumbent.makespan:
                    if answer.makespan < report.incumbent.makespan:
                        report.improvements += 1
                    report.incumbent = answer
            self._adapt(solved)

    def _next(self, report: SearchReport) -> Incumbent | None:
        """The incumbent to work on, or None once a limit is reached."""
        with report.lock:
            incumbent = report.incumbent
            out_of_work = self.limits.work is not None and report.work >= (
                self.limits.work
            )
        if (
            out_of_work
            or time.perf_counter() >= self.limits.deadline
            or incumbent.makespan <= self.limits.lower_bound
        ):
            return None
        return incumbent

    def _step_limits(self, report: SearchReport) -> tuple[float, float]:
        """(seconds, work) for the next step, within what is left of each."""
        seconds = self.limits.deadline - time.perf_counter()
        work = self.tuning.step_work
        if self.limits.work is None:
            seconds = min(seconds, self.tuning.step_seconds)
        else:  # only work may cut a step short, or the search would not repeat
            work = min(work, self.limits.work - report.work)
        return max(seconds, 1e-3), max(work, 1e-3)

    def _adapt(self, solved: bool) -> None:
        """A step solved to optimality may free more tasks; one cut short fewer."""
        tasks = self.base.problem.num_tasks
        factor = self.tuning.grow if solved else self.tuning.shrink
        self.size = min(
            max(self.size * factor, min(self.tuning.min_size, tasks)), tasks
        )


def _step(
    base: BaseModel,
    incumbent: Incumbent,
    free: set[int],
    limits: tuple[float, float],
    rng: np.random.Generator,
) -> tuple[bool, Incumbent | None, float]:
    """Solve one sub-model: (solved to optimality, its answer, work spent)."""
    model = _sub_model(base, incumbent, free)
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.num_workers = 1
    parameters.random_seed = int(rng.integers(1 << 30))
    parameters.max_time_in_seconds, parameters.max_deterministic_time = limits
    # Small steps pay for no LP relaxation and no presolve: the propagation of
    # the cumulatives finds the short schedules, and the model is already tight.
    parameters.linearization_level = 0
    parameters.cp_model_presolve = False
    status = solver.solve(model)
    work = solver.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False, None, work
    solution = tuple(solver.response_proto.solution)
    makespan = solution[base.variables.makespan.index]
    return status == cp_model.OPTIMAL, Incumbent(solution, makespan), work


def _sub_model(
    base: BaseModel, incumbent: Incumbent, free: set[int]
) -> cp_model.CpModel:
    """The base model with the tasks outside `free` kept in the incumbent's
    order and people, the makespan capped, and the incumbent as the hint."""
    variables, problem = base.variables, base.problem
    model = base.model.clone()
    proto = model.proto
    starts = _values(incumbent, variables.starts)
    finishes = _values(incumbent, variables.ends)
    assignees = tuple(
        tuple(
            p
            for p in task.candidates
            if incumbent.solution[variables.assigned[index, p].index]
        )
        for index, task in enumerate(problem.tasks)
    )
    users = binding_users(problem, assignees)
    for before, after in order_arcs(users, starts, finishes, free):
        _add_linear(proto, variables.ends[before].index, variables.starts[after].index)
    for (task, _person), literal in variables.assigned.items():
        if task not in free:
            value = incumbent.solution[literal.index]
            _add_linear(proto, literal.index, None, (value, value))
    _add_linear(proto, variables.makespan.index, None, (0, incumbent.makespan))
    proto.clear_solution_hint()
    proto.solution_hint.vars.extend(range(len(incumbent.solution)))
    proto.solution_hint.values.extend(incumbent.solution)
    return model


def _add_linear(
    proto: Any,
    first: int,
    second: int | None,
    domain: tuple[int, int] = (-(1 << 50), 0),
) -> None:
    """first - second in domain (first alone when `second` is None)."""
    linear = proto.constraints.add().linear
    linear.vars.append(first)
    linear.coeffs.append(1)
    if second is not None:
        linear.vars.append(second)
        linear.coeffs.append(-1)
    linear.domain.extend(domain)


def _values(incumbent: Incumbent, variables: list[cp_model.IntVar]) -> list[int]:
    return [incumbent.solution[variable.index] for variable in variables]
