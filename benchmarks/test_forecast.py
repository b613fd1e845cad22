"""Benchmarks: forecasts of generated 1,000- and 5,000-task plans, both engines
(the committed one with each kernel: NumPy passes, compiled passes).

The plans come from a simple serial schedule built here (no solver), on a
random layered DAG with a few shared resources and people. Each benchmark
also checks that the answer is sane. `--benchmark-disable` runs them once, as
tests. `python -m benchmarks.forecast_engine` prints the figures of the README.
"""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from domain import (
    Dependency,
    Distribution,
    Estimate,
    Forecast,
    Plan,
    Project,
    Resource,
    Risk,
    ScheduledTask,
    SolveStatus,
    Task,
)
from simulation import forecast

TASKS = 1_000
LAYERS = 25
SAMPLES = 10_000
CAPACITIES = {"crane": 2, "lab": 3, "rig": 1, "team": 4}
PEOPLE = ("ana", "ben", "chi", "dev", "eli")
THREE_POINT = [Distribution.TRIANGULAR, Distribution.PERT, Distribution.UNIFORM]


def generated_project(seed: int = 7, size: int = TASKS) -> Project:
    """A layered DAG: each task depends on 1-3 tasks of earlier layers."""
    rng = random.Random(seed)
    per_layer = size // LAYERS
    tasks, dependencies = [], []
    for index in range(size):
        layer = index // per_layer
        tasks.append(_random_task(rng, f"t{index}"))
        if layer == 0:
            continue
        earlier = range(max(0, (layer - 2) * per_layer), layer * per_layer)
        for predecessor in rng.sample(earlier, rng.randint(1, 3)):
            dependencies.append(Dependency(f"t{predecessor}", f"t{index}"))
    resources = [Resource(name, capacity) for name, capacity in CAPACITIES.items()]
    resources += [Resource(name, 1, skills={"audit": 2}) for name in PEOPLE]
    risks = [
        Risk(
            f"r{number}",
            rng.uniform(0.05, 0.3),
            tuple(f"t{rng.randrange(size)}" for _ in range(rng.randint(1, 4))),
            rng.choice([3.0, Estimate(1, 2, 6, Distribution.TRIANGULAR)]),
        )
        for number in range(20)
    ]
    return Project(
        "generated",
        tasks=tuple(tasks),
        resources=tuple(resources),
        dependencies=tuple(dependencies),
        risks=tuple(risks),
        deadline=700,
    )


def _random_task(rng: random.Random, task_id: str) -> Task:
    demands = {}
    if rng.random() < 0.5:
        resource = rng.choice(sorted(CAPACITIES))
        demands[resource] = rng.randint(1, CAPACITIES[resource])
    skills = {"audit": 1} if rng.random() < 0.1 else {}
    mode = rng.randint(1, 8)
    if rng.random() < 0.2:
        return Task(task_id, duration=mode, demands=demands, skills=skills)
    distribution = rng.choice(THREE_POINT)
    estimate = Estimate(0.7 * mode, mode, mode * rng.uniform(1.2, 2.5), distribution)
    return Task(task_id, estimate=estimate, demands=demands, skills=skills)


def serial_schedule(project: Project) -> Plan:
    """Serial schedule generation in index order (a topological order here)."""
    usage: dict[str, defaultdict[int, int]] = defaultdict(lambda: defaultdict(int))
    finish: dict[str, int] = {}
    predecessors = defaultdict(list)
    for dependency in project.dependencies:
        predecessors[dependency.successor].append(dependency.predecessor)
    scheduled = []
    for task in project.tasks:
        duration = task.planned_duration
        start = max((finish[p] for p in predecessors[task.id]), default=0)
        while True:
            person = _free_person(usage, task, start, duration)
            if person is not None and _fits(project, usage, task, start, duration):
                break
            start += 1
        assignees = (person,) if person else ()
        for resource_id, units in [*task.demands.items(), *((a, 1) for a in assignees)]:
            for day in range(start, start + duration):
                usage[resource_id][day] += units
        finish[task.id] = start + duration
        scheduled.append(ScheduledTask(task.id, start, start + duration, assignees))
    makespan = max(finish.values())
    return Plan(SolveStatus.FEASIBLE, makespan, None, tuple(scheduled), id="sgs")


def _fits(project: Project, usage, task: Task, start: int, duration: int) -> bool:
    return all(
        usage[resource_id][day] + units <= project.resource(resource_id).capacity
        for resource_id, units in task.demands.items()
        for day in range(start, start + duration)
    )


def _free_person(usage, task: Task, start: int, duration: int) -> str | None:
    """'' when the task needs nobody, a free person, or None when all are busy."""
    if not task.skills:
        return ""
    for person in PEOPLE:
        if all(usage[person][day] == 0 for day in range(start, start + duration)):
            return person
    return None


def optimistic_critical_path(project: Project) -> float:
    """Longest dependency path with optimistic durations: below every sample."""
    finish: dict[str, float] = {}
    predecessors = defaultdict(list)
    for dependency in project.dependencies:
        predecessors[dependency.successor].append(dependency.predecessor)
    for task in project.tasks:
        low = task.estimate.optimistic if task.estimate else task.duration or 0.0
        start = max((finish[p] for p in predecessors[task.id]), default=0.0)
        finish[task.id] = start + low
    return max(finish.values())


@pytest.fixture(scope="module", params=[TASKS, 5 * TASKS], ids=["1000", "5000"])
def project_and_plan(request: pytest.FixtureRequest) -> tuple[Project, Plan]:
    project = generated_project(size=request.param)
    return project, serial_schedule(project)


@pytest.mark.parametrize("kernel", ["numpy", "numba"])
def test_forecast_10000_samples(benchmark, project_and_plan, kernel: str) -> None:
    project, plan = project_and_plan
    forecast(project, plan, 100, 11, kernel=kernel)  # numba: import and load
    result: Forecast = benchmark.pedantic(
        forecast,
        (project, plan, SAMPLES, 11),
        {"kernel": kernel},
        rounds=1,
        iterations=1,
    )
    assert result.kernel == kernel
    check_forecast(project, result, SAMPLES)


def check_forecast(project: Project, result: Forecast, samples: int) -> None:
    """What every forecast of these plans must satisfy."""
    duration = result.duration
    assert result.samples == samples
    assert len(result.tasks) == len(project.tasks)
    assert result.precision is not None
    error = result.precision.task_finish_error
    assert error is not None
    assert duration.p10 >= optimistic_critical_path(project) - 1e-6
    assert duration.p10 <= duration.p50 <= duration.p80 <= duration.p90
    assert duration.p90 <= duration.p95
    assert all(0.0 <= task.criticality <= 1.0 for task in result.tasks)
    # Every sample has a critical path, so at least one critical task on average.
    assert sum(task.criticality for task in result.tasks) >= 1.0
    # Task percentiles come from histograms, within `error` days of exact.
    assert all(
        task.finish.p10 <= task.finish.p50 <= task.finish.p95 <= duration.p95 + error
        for task in result.tasks
    )
    assert result.deadline_probability is not None
    assert 0.0 <= result.deadline_probability <= 1.0
    # Drivers: SSI = criticality x std(task) / std(project), every task.
    for task in result.tasks:
        expected = task.criticality * task.duration_std / duration.std
        assert abs(task.sensitivity - expected) < 1e-9
        assert -1.0 <= task.cruciality <= 1.0
    assert len(result.s_curve) == 101
    assert result.precision is not None
    assert result.precision.intervals["p80"].low <= duration.p80
    assert duration.p80 <= result.precision.intervals["p80"].high
    assert len(result.risks) == 20
    assert all(risk.p80_days >= -1.0 for risk in result.risks)


def test_dynamic_engine(benchmark, project_and_plan) -> None:
    """SimPy dispatch is far slower: a few samples, checked for sanity."""
    project, plan = project_and_plan
    samples = 8 if len(project.tasks) <= TASKS else 2
    result: Forecast = benchmark.pedantic(
        forecast,
        (project, plan, samples, 11),
        {"engine": "dynamic", "risk_drivers": False},
        rounds=1,
        iterations=1,
    )
    assert result.engine == "dynamic"
    assert result.samples == samples
    assert result.duration.p10 >= optimistic_critical_path(project) - 1e-3
