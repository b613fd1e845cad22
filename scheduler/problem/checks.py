"""The checks a problem's input passes on construction, each fault a
`Problem(field, message)` naming the task, resource or dependency."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from domain import Problem
from scheduler.problem.data import PrecedenceData, TaskData


class ProblemInput(Protocol):
    """The fields of a `SchedulingProblem` the checks read."""

    @property
    def task_ids(self) -> Sequence[str]: ...
    @property
    def resource_ids(self) -> Sequence[str]: ...
    @property
    def tasks(self) -> Sequence[TaskData]: ...
    @property
    def capacities(self) -> Sequence[int]: ...
    @property
    def precedences(self) -> Sequence[PrecedenceData]: ...
    @property
    def windows(self) -> Sequence[object]: ...


def input_problems(problem: ProblemInput) -> Iterator[Problem]:
    """Every fault of the input: ids one per item and unique, capacities,
    each task's demands and people, each dependency's ends, the windows."""
    if len(problem.task_ids) != len(problem.tasks):
        yield Problem("tasks", "one id per task is required")
        return
    if len(problem.resource_ids) != len(problem.capacities):
        yield Problem("resources", "one id per resource is required")
        return
    if len(set(problem.task_ids)) != len(problem.task_ids):
        yield Problem("tasks", "task ids must be unique")
    if len(set(problem.resource_ids)) != len(problem.resource_ids):
        yield Problem("resources", "resource ids must be unique")
    for index, capacity in enumerate(problem.capacities):
        if capacity < 0:
            where = f"resources.{problem.resource_ids[index]}.capacity"
            yield Problem(where, "must not be negative")
    for index, task in enumerate(problem.tasks):
        yield from _task_problems(problem, index, task)
    for index, precedence in enumerate(problem.precedences):
        yield from _precedence_problems(len(problem.tasks), index, precedence)
    if problem.windows and len(problem.windows) != len(problem.tasks):
        yield Problem("windows", "one window per task, or none")


def _task_problems(
    problem: ProblemInput, index: int, task: TaskData
) -> Iterator[Problem]:
    where = f"tasks.{problem.task_ids[index]}"
    capacities = problem.capacities
    if task.duration < 0:
        yield Problem(f"{where}.duration", "must not be negative")
    for resource, units in task.demands:
        if not 0 <= resource < len(capacities):
            yield Problem(f"{where}.demands", f"unknown resource {resource}")
        elif units <= 0:
            yield Problem(f"{where}.demands", "units must be positive")
        elif units > capacities[resource]:
            yield Problem(
                f"{where}.demands.{problem.resource_ids[resource]}",
                f"needs {units} units, capacity is {capacities[resource]}",
            )
    if any(not 0 <= c < len(capacities) for c in task.candidates):
        yield Problem(f"{where}.candidates", "unknown resource")
    if len(set(task.candidates)) != len(task.candidates):
        yield Problem(f"{where}.candidates", "candidates must be distinct")
    if task.people < 0 or (task.candidates and task.people == 0):
        yield Problem(f"{where}.people", "must be at least 1 when skills are set")
    if task.people > len(task.candidates):
        yield Problem(
            f"{where}.people",
            f"needs {task.people} qualified people, "
            f"only {len(task.candidates)} available",
        )


def _precedence_problems(
    num_tasks: int, index: int, precedence: PrecedenceData
) -> Iterator[Problem]:
    where = f"dependencies[{index}]"
    ends = (precedence.predecessor, precedence.successor)
    if any(not 0 <= end < num_tasks for end in ends):
        yield Problem(where, "refers to an unknown task")
    elif precedence.predecessor == precedence.successor:
        yield Problem(where, "a task cannot depend on itself")
