"""Calibrated estimates: how long work of each kind really takes, learnt from
the actuals recorded across projects.

A reference class is a task's `group` and the skills it needs (`frontend /
backend,ux`). Each finished task with a most likely value m > 0 is one
observation of the ratio r = actual duration / m. A class's factor is the
geometric mean of its ratios shrunk toward 1 by the evidence it has (the
normal-normal empirical Bayes estimate of its log factor):

    factor = exp(n / (n + k) x mean(log r)),   k = (s / PRIOR_SPREAD)^2

with n observations, s the spread of log ratios within classes (pooled over
all classes, at least MIN_SPREAD) and PRIOR_SPREAD the spread of log factors
between classes we expect before seeing any (0.3: most classes within a
factor 1.35 of their estimates). A class seen k times moves halfway to its
own mean; one seen once moves little when ratios are noisy. Log ratios,
since durations err by multiples: twice and half as long balance out.

`calibrated` scales every unfinished task's estimate (all its points, or its
fixed duration) by its class's factor; finished tasks keep their actuals.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from domain.model import Estimate, Project, Task

PRIOR_SPREAD = 0.3
MIN_SPREAD = 0.2  # a handful of identical ratios is not proof of no noise


@dataclass(frozen=True)
class Factor:
    reference_class: str
    factor: float
    observations: int
    mean_ratio: float  # the geometric mean before shrinking


def reference_class(task: Task) -> str:
    return f"{task.group or '-'} / {','.join(sorted(task.skills)) or '-'}"


def _most_likely(task: Task) -> float:
    if task.estimate is not None:
        return task.estimate.most_likely
    return task.duration or 0.0


def observations(projects: Iterable[Project]) -> dict[str, list[float]]:
    """Reference class -> ratios actual / most likely of finished tasks."""
    ratios: dict[str, list[float]] = defaultdict(list)
    for project in projects:
        for task in project.tasks:
            actual, planned = task.timing.actual_duration, _most_likely(task)
            if actual is not None and actual > 0 and planned > 0:
                ratios[reference_class(task)].append(actual / planned)
    return dict(ratios)


def prior_observations(by_class: Mapping[str, list[float]]) -> float:
    """k = (s / PRIOR_SPREAD)^2, s the pooled within-class spread of log ratios."""
    squares, degrees = 0.0, 0
    for ratios in by_class.values():
        logs = [math.log(r) for r in ratios]
        mean = sum(logs) / len(logs)
        squares += sum((v - mean) ** 2 for v in logs)
        degrees += len(logs) - 1
    spread = math.sqrt(squares / degrees) if degrees else 0.0
    return (max(spread, MIN_SPREAD) / PRIOR_SPREAD) ** 2


def learn(projects: Iterable[Project]) -> dict[str, Factor]:
    """Each reference class's shrunk factor (module docstring)."""
    by_class = observations(projects)
    prior = prior_observations(by_class)
    factors = {}
    for key, ratios in sorted(by_class.items()):
        mean_log = sum(math.log(r) for r in ratios) / len(ratios)
        weight = len(ratios) / (len(ratios) + prior)
        factors[key] = Factor(
            key, math.exp(weight * mean_log), len(ratios), math.exp(mean_log)
        )
    return factors


def task_factors(project: Project, factors: Mapping[str, Factor]) -> dict[str, float]:
    """Task id -> the factor its unfinished work is scaled by (1 when its
    class has no history)."""
    return {
        task.id: factors[key].factor
        if (key := reference_class(task)) in factors
        else 1.0
        for task in project.tasks
        if task.timing.actual_finish is None
    }


def calibrated(project: Project, by_task: Mapping[str, float]) -> Project:
    """The project with each listed unfinished task's estimate scaled."""
    tasks = tuple(
        _scaled(task, by_task[task.id])
        if task.id in by_task and task.timing.actual_finish is None
        else task
        for task in project.tasks
    )
    return replace(project, tasks=tasks)


def _scaled(task: Task, factor: float) -> Task:
    if factor == 1.0:
        return task
    if task.estimate is None:
        return replace(task, duration=(task.duration or 0.0) * factor)
    estimate = task.estimate
    return replace(
        task,
        estimate=Estimate(
            estimate.optimistic * factor,
            estimate.most_likely * factor,
            estimate.pessimistic * factor,
            estimate.distribution,
            tuple(v * factor for v in estimate.values),
            estimate.weights,
        ),
    )


def as_of(project: Project, time: int) -> Project:
    """The project as it stood at `time` (for replaying history): actual
    dates after it are forgotten, a task running at it is started, and the
    status date is `time`."""
    tasks = []
    for task in project.tasks:
        timing = task.timing
        start = timing.actual_start
        if start is not None and start >= time:
            start = None
        finish = timing.actual_finish
        if start is None or finish is None or finish > time:
            finish = None
        tasks.append(
            replace(
                task,
                timing=replace(timing, actual_start=start, actual_finish=finish),
                progress=type(task.progress)(),
            )
        )
    return replace(project, tasks=tuple(tasks), status_date=time)
