"""Staffing steps of the search: re-assign the people of a neighbourhood.

Every task outside the neighbourhood keeps its people (the domains of its
presence literals are fixed in the shared model, then restored), and, when a
step re-plans whole groups, its start too; CP-SAT re-solves the model from
the incumbent within the step's limits. The loop is the driver's
(`scheduler.search.driver`).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from ortools.sat.python import cp_model

from scheduler.model.variables import Variables
from scheduler.options import SolveOptions
from scheduler.plan.schedule import Schedule
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.cpsat import solve_from
from scheduler.search.driver import Step, StepLimits
from scheduler.search.goals import Goal


class StaffingMoves:
    """Fix most tasks' people, free a neighbourhood's, re-solve the model.

    Half the steps re-plan a couple of groups (projects) whole, their starts
    free and the rest fixed, when the goal has groups; the others free the
    people of a time window's tasks or of a few people's tasks. The steps
    share one model (its domains are fixed and restored in place), so they
    run one at a time, each with the options' CP-SAT workers.
    """

    def __init__(
        self,
        problem: SchedulingProblem,
        options: SolveOptions,
        model: cp_model.CpModel,
        variables: Variables,
        goal: Goal,
    ) -> None:
        self.problem, self.options, self.goal = problem, options, goal
        self.model, self.variables = model, variables
        self.groups = [sorted(group) for group in goal.task_groups()]

    def value(self, incumbent: Schedule) -> float:
        return self.goal.value(incumbent)

    def step(
        self,
        incumbent: Schedule,
        size: int,
        rng: np.random.Generator,
        limits: StepLimits,
    ) -> Step[Schedule]:
        problem, model, variables = self.problem, self.model, self.variables
        if self.groups and rng.random() < 0.5:
            count = min(2, len(self.groups))
            chosen = rng.choice(len(self.groups), count, replace=False)
            free = {t for g in chosen for t in self.groups[int(g)]}
            saved = _fix_assignments(model, variables, problem, incumbent, free)
            saved += _fix_starts(model, variables, incumbent, free)
        else:
            free = _neighbourhood(problem, incumbent, size, rng)
            saved = _fix_assignments(model, variables, problem, incumbent, free)
        options = dataclasses.replace(
            self.options, time_limit=limits.seconds, seed=int(rng.integers(1 << 30))
        )
        solved = solve_from(
            model,
            variables,
            problem,
            options,
            incumbent,
            limits.seconds,
            False,
            limits.work,
        )
        _restore(model, saved)
        return Step(solved.schedule, solved.optimal, solved.work)


def _neighbourhood(
    problem: SchedulingProblem,
    best: Schedule,
    size: int,
    rng: np.random.Generator,
) -> set[int]:
    """Tasks whose people may change: up to twice `size` tasks of a time
    window, or the tasks of three people."""
    staffed = [t for t, task in enumerate(problem.tasks) if task.candidates]
    if rng.random() < 0.5:
        width = max(best.makespan // 6, 1)
        low = int(rng.integers(max(best.makespan - width, 1)))
        window = [
            t
            for t in staffed
            if best.starts[t] < low + width and best.finish(problem, t) > low
        ]
        return set(window[: size * 2])
    people = problem.num_resources
    chosen = {int(p) for p in rng.choice(people, min(3, people), replace=False)}
    return {t for t in staffed if chosen & set(problem.tasks[t].candidates)}


def _fix_assignments(
    model: cp_model.CpModel,
    variables: Variables,
    problem: SchedulingProblem,
    best: Schedule,
    free: set[int],
) -> list[tuple[int, tuple[int, int]]]:
    """Pin the presence literals of tasks outside `free`; return what to restore."""
    saved = []
    for (task, person), literal in variables.assigned.items():
        if task in free:
            continue
        value = 1 if person in best.assignees[task] else 0
        proto = model.proto.variables[literal.index]
        saved.append((literal.index, (proto.domain[0], proto.domain[1])))
        proto.domain[0], proto.domain[1] = value, value
    return saved


def _fix_starts(
    model: cp_model.CpModel, variables: Variables, best: Schedule, free: set[int]
) -> list[tuple[int, tuple[int, int]]]:
    """Pin the starts of tasks outside `free` to the incumbent's."""
    saved = []
    for task, start in enumerate(variables.starts):
        if task in free:
            continue
        proto = model.proto.variables[start.index]
        saved.append((start.index, (proto.domain[0], proto.domain[1])))
        proto.domain[0], proto.domain[1] = best.starts[task], best.starts[task]
    return saved


def _restore(model: cp_model.CpModel, saved: list[tuple[int, tuple[int, int]]]) -> None:
    for index, (low, high) in saved:
        proto = model.proto.variables[index]
        proto.domain[0], proto.domain[1] = low, high
