"""One large-neighbourhood search: one clock, one seeded generator, one
acceptance rule, for every kind of step.

A search improves an incumbent a step at a time. What a step does is its
`Moves`' business, one kind per job: sub-models of the whole model on the
makespan (`scheduler.search.lns`), re-assigning people (`assignment`),
re-planning whole projects or a window of a portfolio (`decompose`). Each
frees about `size` tasks with the generator it is handed, solves what it
freed within the limits it is handed, and answers a candidate. The driver
alone decides

- when to stop: a wall-clock deadline, a total of CP-SAT work, or a value no
  search can beat (`SearchLimits`);
- what is kept: a candidate no worse than the incumbent (an equal one too,
  which moves the search along a plateau);
- how large the next step is: one solved to optimality frees more tasks,
  one cut short fewer (`scheduler.strategy.Sizing`).

With a work limit only work cuts a step short (a step gets a share of work,
its wall time is only the deadline's), and every choice draws from one seeded
generator per worker: with one worker the same seed and work limit give the
same result on any machine and under any load. The phases before and beside
the driver (the greedy multi-start, the genetic search) take their share of
the same `SearchLimits` (`share`): its clock, its bound, its seed, and with
a work limit a fixed amount of work, never a timing of their own. `workers`
threads run steps at once (CP-SAT releases the GIL while it solves) and
share the incumbent.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

import numpy as np

from scheduler.strategy import Sizing

S = TypeVar("S")
# A step needs at least this much wall time left to be worth starting.
LEAST_STEP_SECONDS = 0.05


@dataclass(frozen=True)
class SearchLimits:
    """When to stop: a wall-clock deadline (time.perf_counter), optionally a
    total of solver work, and a value no search can beat (a lower bound)."""

    deadline: float
    lower_bound: float = -math.inf
    work: float | None = None
    workers: int = 1
    seed: int = 0

    def left(self) -> float:
        """Wall seconds to the deadline (0 once it has passed)."""
        return max(self.deadline - time.perf_counter(), 0.0)

    def share(self, fraction: float) -> SearchLimits:
        """A phase's limits: `fraction` of the work, with a work limit (the
        deadline stays the run's: only work may cut a run that repeats);
        else `fraction` of the wall time left."""
        if self.work is not None:
            return dataclasses.replace(self, work=fraction * self.work)
        deadline = time.perf_counter() + fraction * self.left()
        return dataclasses.replace(self, deadline=deadline)


@dataclass(frozen=True)
class StepLimits:
    """What one step may spend: wall seconds and CP-SAT work."""

    seconds: float
    work: float


@dataclass(frozen=True)
class Step(Generic[S]):
    """A step's answer (None: nothing found), whether its model was solved
    to optimality, and the CP-SAT work it spent."""

    candidate: S | None
    solved: bool
    work: float


class Moves(Protocol[S]):
    """One kind of step: how it values an incumbent and how it takes a step."""

    def value(self, incumbent: S) -> float: ...

    def step(
        self, incumbent: S, size: int, rng: np.random.Generator, limits: StepLimits
    ) -> Step[S]: ...


@dataclass
class SearchReport(Generic[S]):
    """The final incumbent and what the search did to reach it."""

    incumbent: S
    steps: int = 0
    improvements: int = 0
    work: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


def search(
    moves: Moves[S], first: S, limits: SearchLimits, sizing: Sizing
) -> SearchReport[S]:
    """Improve `first` until a limit is reached; returns the best incumbent."""
    report = SearchReport(first)
    seeds = np.random.SeedSequence(limits.seed).spawn(limits.workers)
    runners = [
        _Runner(moves, limits, sizing, np.random.default_rng(seed)) for seed in seeds
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


class _Runner(Generic[S]):
    """One worker's loop: step, keep, adapt; its own size and generator."""

    def __init__(
        self,
        moves: Moves[S],
        limits: SearchLimits,
        sizing: Sizing,
        rng: np.random.Generator,
    ) -> None:
        self.moves, self.limits, self.sizing, self.rng = moves, limits, sizing, rng
        self.size = sizing.bounded(sizing.first)

    def run(self, report: SearchReport[S]) -> None:
        while (incumbent := self._next(report)) is not None:
            limits = self._step_limits(report)
            step = self.moves.step(incumbent, round(self.size), self.rng, limits)
            with report.lock:
                report.steps += 1
                report.work += max(step.work, self.sizing.step_overhead)
                self._keep(report, step.candidate)
            factor = self.sizing.grow if step.solved else self.sizing.shrink
            self.size = self.sizing.bounded(self.size * factor)

    def _keep(self, report: SearchReport[S], candidate: S | None) -> None:
        """The one acceptance rule: a candidate no worse than the incumbent."""
        if candidate is None:
            return
        value, current = self.moves.value(candidate), self.moves.value(report.incumbent)
        if value < current:
            report.improvements += 1
        if value <= current:
            report.incumbent = candidate

    def _next(self, report: SearchReport[S]) -> S | None:
        """The incumbent to work on, or None once a limit is reached."""
        with report.lock:
            incumbent = report.incumbent
            work = report.work
        limits = self.limits
        if (
            (limits.work is not None and work >= limits.work)
            or time.perf_counter() + LEAST_STEP_SECONDS >= limits.deadline
            or self.moves.value(incumbent) <= limits.lower_bound
        ):
            return None
        return incumbent

    def _step_limits(self, report: SearchReport[S]) -> StepLimits:
        """The next step's share of what is left of each limit."""
        seconds = self.limits.deadline - time.perf_counter()
        work = self.sizing.step_work
        if self.limits.work is None:
            seconds = min(seconds, self.sizing.step_seconds)
        else:  # only work may cut a step short, or the search would not repeat
            work = min(work, self.limits.work - report.work)
        return StepLimits(max(seconds, 1e-3), max(work, 1e-3))
