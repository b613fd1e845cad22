"""Makespan steps of the search: sub-models of the whole model.

Each step frees a set of tasks (scheduler.search.neighbourhoods), copies the
base model, keeps every other task in the incumbent's order on each binding
resource (scheduler.search.order) and in its people, caps the makespan at the
incumbent's, hints the incumbent and solves with one worker within the step's
limits. The incumbent is a solution of every sub-model, so a step never loses
feasibility and never worsens the makespan. The loop, its limits and what it
keeps are the driver's (scheduler.search.driver).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from scheduler.model.variables import Variables
from scheduler.plan.floats import binding_users
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.driver import SearchLimits, SearchReport, Step, StepLimits, search
from scheduler.search.neighbourhoods import CHOOSERS, Structure
from scheduler.search.order import order_arcs
from scheduler.strategy import Sizing, makespan_sizing


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


def improve(
    base: BaseModel,
    first: Incumbent,
    limits: SearchLimits,
    sizing: Sizing | None = None,
) -> SearchReport[Incumbent]:
    """Improve `first` until a limit is reached; returns the best incumbent."""
    moves = MakespanMoves(base)
    return search(moves, first, limits, sizing or makespan_sizing(moves.tasks))


class MakespanMoves:
    """Free a neighbourhood of a shape the generator draws, solve its sub-model."""

    def __init__(self, base: BaseModel) -> None:
        self.base = base
        self.structure = Structure.of(base.problem, binding_users(base.problem, ()))
        self.tasks = base.problem.num_tasks

    def value(self, incumbent: Incumbent) -> float:
        return incumbent.makespan

    def step(
        self,
        incumbent: Incumbent,
        size: int,
        rng: np.random.Generator,
        limits: StepLimits,
    ) -> Step[Incumbent]:
        starts = _values(incumbent, self.base.variables.starts)
        chooser = CHOOSERS[int(rng.integers(len(CHOOSERS)))]
        free = chooser(self.structure, starts, size, rng)
        return _step(self.base, incumbent, free, limits, rng)


def _step(
    base: BaseModel,
    incumbent: Incumbent,
    free: set[int],
    limits: StepLimits,
    rng: np.random.Generator,
) -> Step[Incumbent]:
    """Solve one sub-model: its answer, whether solved to optimality, work."""
    model = _sub_model(base, incumbent, free)
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.num_workers = 1
    parameters.random_seed = int(rng.integers(1 << 30))
    parameters.max_time_in_seconds = limits.seconds
    parameters.max_deterministic_time = limits.work
    # Small steps pay for no LP relaxation and no presolve: the propagation of
    # the cumulatives finds the short schedules, and the model is already tight.
    parameters.linearization_level = 0
    parameters.cp_model_presolve = False
    status = solver.solve(model)
    work = solver.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Step(None, False, work)
    solution = tuple(solver.response_proto.solution)
    makespan = solution[base.variables.makespan.index]
    return Step(Incumbent(solution, makespan), status == cp_model.OPTIMAL, work)


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
