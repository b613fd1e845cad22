"""The sample engine: a project and its plan, run chunk by chunk.

Samples are drawn in chunks of `CHUNK_SIZE`, chunk k with its own generator
seeded by the k-th child of `SeedSequence(seed)`. A chunk's draws therefore
depend only on (seed, k), never on how many chunks there are or who runs
them, and memory stays bounded by one chunk's (tasks x CHUNK_SIZE) arrays.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from domain import Plan, Problem, Project, ValidationError
from domain.validation import validate_project
from simulation.network import Constraint, FloatArray, Network
from simulation.sampling import DurationModel
from simulation.sequencing import sequence_edges

CHUNK_SIZE = 4096
CRITICAL_TOLERANCE = 1e-9  # days of total float, scaled by the project duration


@dataclass(frozen=True)
class ChunkResult:
    """One chunk of samples: arrays of shape (tasks, size) and (size,)."""

    durations: FloatArray
    starts: FloatArray
    finishes: FloatArray
    project_duration: FloatArray
    critical: NDArray[np.bool_]


@dataclass(frozen=True)
class Simulation:
    """A validated project and plan, ready to be sampled."""

    network: Network
    model: DurationModel

    @classmethod
    def prepare(cls, project: Project, plan: Plan) -> Simulation:
        """Validate the inputs and build the network and the duration model."""
        validate_project(project)
        check_plan_covers(project, plan)
        constraints = [
            Constraint(
                project.task_index[dep.predecessor],
                project.task_index[dep.successor],
                dep.type,
                float(dep.lag),
            )
            for dep in project.dependencies
        ]
        constraints += [Constraint(i, j) for i, j in sequence_edges(project, plan)]
        names = [task.id for task in project.tasks]
        return cls(Network.build(names, constraints), DurationModel.of(project))

    def chunks(self, samples: int, seed: int) -> Iterator[ChunkResult]:
        """Run `samples` samples in chunks; the same (samples, seed), the same run."""
        sizes = chunk_sizes(samples)
        children = np.random.SeedSequence(seed).spawn(len(sizes))
        for size, child in zip(sizes, children, strict=True):
            yield self.run_chunk(np.random.Generator(np.random.PCG64(child)), size)

    def run_chunk(self, rng: np.random.Generator, size: int) -> ChunkResult:
        """Sample durations, then schedule every sample at its earliest times."""
        count = self.network.task_count
        durations = self.model.sample(rng, size)
        earliest = self.network.earliest_times(durations)
        finishes = earliest[count:]
        project_duration = finishes.max(axis=0, initial=0.0)
        latest = self.network.latest_times(durations, project_duration)
        # Round-off grows with the size of the numbers added up, hence the scale.
        tolerance = CRITICAL_TOLERANCE * np.maximum(project_duration, 1.0)
        critical = latest[:count] - earliest[:count] <= tolerance
        return ChunkResult(
            durations=durations,
            starts=earliest[:count],
            finishes=finishes,
            project_duration=project_duration,
            critical=critical,
        )


def chunk_sizes(samples: int) -> list[int]:
    """Full chunks of CHUNK_SIZE followed by the remainder, if any."""
    full, rest = divmod(samples, CHUNK_SIZE)
    return [CHUNK_SIZE] * full + ([rest] if rest else [])


def check_plan_covers(project: Project, plan: Plan) -> None:
    """Raise ValidationError unless the plan has a schedule for exactly the tasks."""
    if not plan.has_schedule:
        raise ValidationError.at(
            "plan", f"the plan has no schedule (status {plan.status.value})"
        )
    planned = [scheduled.task_id for scheduled in plan.tasks]
    unique = set(planned)
    problems = [
        Problem("plan.tasks", f"task {task.id!r} is not scheduled")
        for task in project.tasks
        if task.id not in unique
    ]
    problems += [
        Problem("plan.tasks", f"unknown task {task_id!r}")
        for task_id in planned
        if task_id not in project.task_index
    ]
    if len(unique) < len(planned):
        problems.append(Problem("plan.tasks", "a task is scheduled more than once"))
    problems += [
        Problem(f"plan.tasks[{s.task_id}]", f"finish {s.finish} < start {s.start}")
        for s in plan.tasks
        if s.finish < s.start
    ]
    if problems:
        raise ValidationError(problems)
