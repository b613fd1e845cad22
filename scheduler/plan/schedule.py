"""A schedule: what every search, term and check of the scheduler passes
around, by task index (no solver, no domain object)."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.problem.instance import SchedulingProblem


@dataclass(frozen=True)
class Schedule:
    """Starts, assigned people (resource indices) and elapsed finishes per
    task (empty: start + duration), and makespan."""

    starts: tuple[int, ...]
    assignees: tuple[tuple[int, ...], ...]
    makespan: int
    finishes: tuple[int, ...] = ()

    def finish(self, problem: SchedulingProblem, task: int) -> int:
        if self.finishes:
            return self.finishes[task]
        return self.starts[task] + problem.tasks[task].duration
