"""What recorded progress does to each sample's durations (`domain.progress`).

- A finished task lasts its actual duration in every sample; no risk on it
  fires (`finished`).
- A started task lasts e + what it has left, e the working days from its
  actual start to the status time:
  - rule 3 (nothing reported but the start): D conditioned on D > e. Its
    uniform u becomes F(e) + u (1 - F(e)) before the inverse CDF, F the
    estimate's CDF, so D - e is the remaining work exactly (and rank
    correlation, applied to the uniforms first, is kept). If F(e) = 1 the
    estimate is spent and the task gets MIN_REMAINING more days, fixed.
  - rules 1-2 (a reported remaining or percent): e + scale x D + offset,
    lifted to e + MIN_REMAINING when an old report has run out.
  A started task with a fixed duration follows the same rules with D fixed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from domain import Project, Task
from domain.progress import MIN_REMAINING, RemainingWork
from domain.status import remaining_work
from simulation.distributions import Uniforms, cdf

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]


@dataclass(frozen=True)
class Scaled:
    """Started tasks under rules 1-2: task rows and each one's terms."""

    tasks: IndexArray
    elapsed: FloatArray
    scale: FloatArray
    offset: FloatArray
    floor: FloatArray  # MIN_REMAINING where an old report may run out, else -inf

    def apply(self, durations: NDArray[np.float32]) -> None:
        """Sampled total durations D of these rows -> e + remaining."""
        if not self.tasks.size:
            return
        rows = durations[self.tasks].astype(np.float64)
        left = self.scale[:, None] * rows + self.offset[:, None]
        np.maximum(left, self.floor[:, None], out=left)
        durations[self.tasks] = (self.elapsed[:, None] + left).astype(np.float32)


@dataclass(frozen=True)
class Actuals:
    """Progress folded into the duration model of a status-view project."""

    fixed: dict[int, float]  # task -> duration the same in every sample
    finished: frozenset[int]  # tasks no risk hits
    conditioned: dict[int, float]  # task -> F(e), its uniform's new floor
    scaled: Scaled

    @classmethod
    def of(cls, project: Project) -> Actuals:
        fixed: dict[int, float] = {}
        conditioned: dict[int, float] = {}
        scaled: list[tuple[int, RemainingWork]] = []
        finished = set()
        for index, task in enumerate(project.tasks):
            duration = task.timing.actual_duration
            if duration is not None:
                fixed[index] = float(duration)
                finished.add(index)
                continue
            remaining = remaining_work(project, task)
            if remaining is None:
                continue
            if remaining.scale is not None:
                scaled.append((index, remaining))
            elif task.estimate is None:
                fixed[index] = _conditioned_fixed(task, remaining.elapsed)
            else:
                floor = cdf(task.estimate, remaining.elapsed)
                if floor >= 1.0:
                    fixed[index] = float(remaining.elapsed + MIN_REMAINING)
                else:
                    conditioned[index] = floor
        return cls(fixed, frozenset(finished), conditioned, _scaled(scaled))

    def conditioned_rows(self, estimated: IndexArray) -> tuple[IndexArray, FloatArray]:
        """Rule 3's rows among the uniform rows of `estimated` tasks, and each
        one's floor F(e)."""
        rows = [k for k, task in enumerate(estimated) if int(task) in self.conditioned]
        floors = [self.conditioned[int(estimated[k])] for k in rows]
        return np.array(rows, dtype=np.intp), np.array(floors, dtype=np.float64)


def raise_uniforms(uniforms: Uniforms, rows: IndexArray, floors: FloatArray) -> None:
    """Rule 3: u -> F(e) + u (1 - F(e)) on `rows`, so the inverse CDF draws D
    conditioned on D > e."""
    if rows.size:
        uniforms[rows] = floors[:, None] + uniforms[rows] * (1 - floors[:, None])


def _conditioned_fixed(task: Task, elapsed: int) -> float:
    duration = task.duration or 0.0
    return duration if duration > elapsed else float(elapsed + MIN_REMAINING)


def _scaled(rows: list[tuple[int, RemainingWork]]) -> Scaled:
    def column(values: list[float]) -> FloatArray:
        return np.array(values, dtype=np.float64)

    return Scaled(
        tasks=np.array([index for index, _ in rows], dtype=np.intp),
        elapsed=column([float(r.elapsed) for _, r in rows]),
        scale=column([r.scale or 0.0 for _, r in rows]),
        offset=column([r.offset for _, r in rows]),
        floor=column([MIN_REMAINING if r.offset < 0 else -np.inf for _, r in rows]),
    )
