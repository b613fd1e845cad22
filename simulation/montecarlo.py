"""The sample engine: a project and its plan, run chunk by chunk.

Samples are drawn in chunks of `CHUNK_SIZE`, chunk k with its own generator
seeded by the k-th child of `SeedSequence(seed)`. A chunk's draws therefore
depend only on (seed, k), never on how many chunks there are or which
process runs them. The committed engine schedules a chunk with the passes of
`network` (a few NumPy calls per task and edge over all its samples) or,
`compiled`, with the same passes compiled by numba (`simulation.kernels`:
the same bits, several times faster, but ~0.5 s to load); the dynamic engine
dispatches the same durations with SimPy. What a forecast
keeps of a chunk is its `ChunkStats` (`tally`); `chunks` gives every number
of every sample, for tests and inspection.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from domain import Dependency, Plan, Problem, Project, ValidationError
from domain.calibration import calibrated
from domain.status import as_of_status
from domain.validation import validate_project
from simulation import threads
from simulation.network import Constraint, Float32Array, Network, start_floors
from simulation.sampling import Draws, DurationModel
from simulation.sequencing import sequence_edges
from simulation.tally import SUBSAMPLE, ChunkStats, Tracking

if TYPE_CHECKING:
    from simulation.dynamic import Dispatch
    from simulation.kernels import CompiledNetwork

CHUNK_SIZE = 4096
RERUN_COLUMNS = 4096  # samples re-scheduled at once for the risk drivers
CRITICAL_TOLERANCE = 1e-5  # days of total float per day of project duration
CRITICAL_BLOCK = 16  # tasks whose float is counted at once (in cache)


class Engine(StrEnum):
    """COMMITTED keeps the plan's order on shared resources (longest path);
    DYNAMIC dispatches tasks to free resources by plan priority (SimPy)."""

    COMMITTED = "committed"
    DYNAMIC = "dynamic"


@dataclass(frozen=True)
class ChunkResult:
    """Every number of one chunk: arrays of shape (tasks, size), (size,),
    (risks, size)."""

    durations: Float32Array
    starts: Float32Array
    finishes: Float32Array
    project_duration: Float32Array
    critical_counts: NDArray[np.int64]
    without_risk: Float32Array  # project duration with each risk switched off
    risk_counts: NDArray[np.int64]  # samples in which each risk occurred


def forward_dependencies(project: Project, plan: Plan) -> list[Dependency]:
    """The dependencies a sample can keep by pushing tasks later: all but the
    links back against the plan's order (a successor the plan starts before
    its predecessor: a maximum time lag, as in c -> a SS -5, which no forward
    pass can hold; samples leave it out)."""
    starts = plan.starts
    return [
        dep
        for dep in project.dependencies
        if starts.get(dep.predecessor, 0) <= starts.get(dep.successor, 0)
        or dep.predecessor not in starts
    ]


@dataclass(frozen=True)
class Simulation:
    """A validated project and plan, ready to be sampled."""

    network: Network
    model: DurationModel
    tracking: Tracking
    dispatch: Dispatch | None = None
    risk_drivers: bool = True
    stretch: Float32Array | None = None  # see `pause_stretch`; None: no pauses
    compiled: CompiledNetwork | None = None  # the committed passes, compiled

    @classmethod
    def prepare(
        cls,
        project: Project,
        plan: Plan,
        engine: Engine = Engine.COMMITTED,
        risk_drivers: bool = True,
        calibration: Mapping[str, float] | None = None,
        compiled: bool = False,
    ) -> Simulation:
        """Validate the inputs and build the network and the duration model,
        the project as it stands at its status date (`domain.status`), its
        unfinished estimates scaled by `calibration` (task id -> factor,
        domain.calibration; the plan's pauses stay as planned); `compiled`:
        the committed engine runs the numba passes (importing numba)."""
        validate_project(project)
        project = as_of_status(project)
        check_plan_covers(project, plan)
        constraints = [
            Constraint(
                project.task_index[dep.predecessor],
                project.task_index[dep.successor],
                dep.type,
                float(dep.lag),
            )
            for dep in forward_dependencies(project, plan)
        ]
        names = [task.id for task in project.tasks]
        dispatch = None
        if engine is Engine.DYNAMIC:
            from simulation.dynamic import Dispatch  # SimPy only when asked for

            dispatch = Dispatch.of(project, plan, constraints)
        else:
            constraints += [Constraint(i, j) for i, j in sequence_edges(project, plan)]
        network = Network.build(names, constraints, start_floors(project))
        model = DurationModel.of(calibrated(project, calibration or {}))
        stretch = pause_stretch(project, plan)
        planned = {s.task_id: s.finish for s in plan.tasks}
        tracking = _tracking(
            network, model, stretch, [planned[name] for name in names], dispatch
        )
        kernels = None
        if compiled and dispatch is None:
            from simulation.kernels import CompiledNetwork  # numba when asked for

            kernels = CompiledNetwork.of(network, model.risk_tasks, stretch)
        return cls(network, model, tracking, dispatch, risk_drivers, stretch, kernels)

    @property
    def engine(self) -> Engine:
        return Engine.COMMITTED if self.dispatch is None else Engine.DYNAMIC

    def chunk_stats(
        self, number: int, size: int, seed: int, lhs: bool = False
    ) -> ChunkStats:
        """What a forecast keeps of chunk `number` (of `size` samples)."""
        return self.tally(number, *self.draw(number, size, seed, lhs))

    def tally(self, number: int, durations: Float32Array, draws: Draws) -> ChunkStats:
        """What a forecast keeps of chunk `number`, from its `draw`."""
        size = durations.shape[1]
        _, finishes, ends, critical, without = self._passes(durations, draws, False)
        risks = (ends, without, draws.occurs.sum(axis=1))
        kept = min(size, max(0, SUBSAMPLE - number * CHUNK_SIZE))
        return ChunkStats.of(self.tracking, durations, finishes, critical, risks, kept)

    def chunks(
        self, samples: int, seed: int, lhs: bool = False
    ) -> Iterator[ChunkResult]:
        """Every number of `samples` samples, chunk by chunk; the same
        (samples, seed), the same run."""
        for number, size in enumerate(chunk_sizes(samples)):
            durations, draws = self.draw(number, size, seed, lhs)
            starts, finishes, ends, critical, without = self._passes(durations, draws)
            occurrences = draws.occurs.sum(axis=1)
            yield ChunkResult(
                durations, starts, finishes, ends, critical, without, occurrences
            )

    def _passes(
        self, durations: Float32Array, draws: Draws, fresh: bool = True
    ) -> tuple[
        Float32Array, Float32Array, Float32Array, NDArray[np.int64], Float32Array
    ]:
        """Starts, finishes, project durations, critical counts (`schedule`)
        and the project durations with each risk off (`without_risks`): by
        the compiled passes when there are, in one call (not `fresh`: times
        in scratch space, valid until this thread's next chunk)."""
        if self.compiled is None:
            starts, finishes, ends, critical = self.schedule(durations)
            without = self.without_risks(durations, draws.occurs, draws.impact, ends)
            return starts, finishes, ends, critical, without
        occurs = draws.occurs if self.risk_drivers else np.zeros_like(draws.occurs)
        times, ends, critical, without = self.compiled.run(
            durations, CRITICAL_TOLERANCE, occurs, draws.impact, fresh
        )
        count = self.network.task_count
        return times[:count], times[count:], ends, critical, without

    def draw(
        self, number: int, size: int, seed: int, lhs: bool = False
    ) -> tuple[Float32Array, Draws]:
        """Chunk `number`'s durations (pauses included) and risk draws."""
        draws = self.model.sample(chunk_rng(seed, number), size, lhs)
        durations = draws.durations
        if self.stretch is not None:
            durations *= self.stretch[:, None]
        return durations, draws

    def schedule(
        self, durations: Float32Array
    ) -> tuple[Float32Array, Float32Array, Float32Array, NDArray[np.int64]]:
        """Starts and finishes (tasks, samples), each sample's project
        duration, and how many samples each task is critical in."""
        if self.dispatch is not None:
            starts, finishes, ends, critical = self.dispatch.run(durations)
            return starts, finishes, ends, critical.sum(axis=1)
        network, count = self.network, self.network.task_count
        earliest = network.forward_pass(durations)
        ends = earliest[count:].max(axis=0, initial=np.float32(0))
        # float32 round-off grows with the size of the numbers, hence the scale.
        tolerance = CRITICAL_TOLERANCE * np.maximum(ends, np.float32(1))
        latest = network.backward_pass(durations, ends)
        counts = np.zeros(count, dtype=np.int64)

        def count_critical(rows: slice) -> None:
            slack = latest[rows] - earliest[rows]
            counts[rows] = np.count_nonzero(slack <= tolerance, axis=1)

        threads.each(count_critical, threads.row_blocks(count, CRITICAL_BLOCK))
        return earliest[:count], earliest[count:], ends, counts

    def without_risks(
        self,
        durations: Float32Array,
        occurs: NDArray[np.bool_],
        impact: Float32Array,
        project_duration: Float32Array,
    ) -> Float32Array:
        """Project duration per sample with each risk switched off: only the
        samples where it occurred are re-scheduled, a few risks per pass of at
        most `RERUN_COLUMNS` samples into one reused buffer."""
        risks = len(self.model.risk_tasks)
        without = np.repeat(project_duration[None, :], risks, axis=0)
        if not self.risk_drivers or not occurs.any():
            return without
        network, committed = self.network, self.dispatch is None
        columns = [np.flatnonzero(occurs[r]) for r in range(risks)]
        buffer = None
        if committed:
            width = min(RERUN_COLUMNS, sum(c.size for c in columns))
            buffer = np.empty((2 * network.task_count, width), dtype=np.float32)
        for pieces in _column_groups(columns, RERUN_COLUMNS):
            part = durations[:, np.concatenate([cols for _, cols in pieces])]
            offset = 0
            for risk, cols in pieces:
                rows = self.model.risk_tasks[risk]
                span = slice(offset, offset + cols.size)
                stretch = 1 if self.stretch is None else self.stretch[rows, None]
                part[rows, span] -= impact[risk, cols] * stretch
                offset += cols.size
            rerun = self._project_duration(part, buffer)
            offset = 0
            for risk, cols in pieces:
                without[risk, cols] = rerun[offset : offset + cols.size]
                offset += cols.size
        return without

    def _project_duration(
        self, durations: Float32Array, buffer: Float32Array | None
    ) -> Float32Array:
        """Each sample's project duration alone: a forward pass into `buffer`
        or, for the dynamic engine, a dispatch."""
        if self.dispatch is not None:
            return self.dispatch.run(durations)[2]
        network = self.network
        assert buffer is not None
        times = network.forward_pass(durations, buffer[:, : durations.shape[1]])
        ends: Float32Array = times[network.task_count :].max(
            axis=0, initial=np.float32(0)
        )
        return ends


def _tracking(
    network: Network,
    model: DurationModel,
    stretch: Float32Array | None,
    planned: Sequence[int],
    dispatch: Dispatch | None,
) -> Tracking:
    """Histogram edges: each task's finish with every duration at its
    shortest and at its longest; the committed engine never leaves them. A
    dispatch may reorder work and finish later, so the dynamic engine's upper
    edge adds every task's longest duration (later samples are counted in the
    last bin)."""
    low, high = model.extremes()
    if stretch is not None:
        low, high = low * stretch, high * stretch
    times = network.earliest_times(np.stack([low, high], axis=1).astype(np.float32))
    finish_low, finish_high = times[network.task_count :].T.astype(np.float64)
    if dispatch is not None:
        finish_high = finish_high + high.sum()
    return Tracking.of(np.array(planned, np.float64), finish_low, finish_high, low)


def pause_stretch(project: Project, plan: Plan) -> Float32Array | None:
    """Elapsed days over worked days of each task in the plan, or None if no
    task pauses. A task whose people are off for part of its span (part-time
    calendars, absences) takes that much longer in every sample too: a 5-day
    task that the plan spreads over 7 days lasts 7/5 of its sampled duration."""
    factors = np.ones(len(project.tasks), dtype=np.float32)
    for scheduled in plan.tasks:
        work = project.task(scheduled.task_id).planned_duration
        span = scheduled.finish - scheduled.start
        if 0 < work < span:
            factors[project.task_index[scheduled.task_id]] = span / work
    return None if bool((factors == 1).all()) else factors


def _column_groups(
    columns: Sequence[NDArray[np.intp]], limit: int
) -> Iterator[list[tuple[int, NDArray[np.intp]]]]:
    """(risk, columns) pieces of at most `limit` columns in all, in risk order."""
    group: list[tuple[int, NDArray[np.intp]]] = []
    used = 0
    for risk, cols in enumerate(columns):
        for first in range(0, cols.size, limit):
            piece = cols[first : first + limit]
            if used + piece.size > limit:
                yield group
                group, used = [], 0
            group.append((risk, piece))
            used += piece.size
    if group:
        yield group


def chunk_rng(seed: int, number: int) -> np.random.Generator:
    """Chunk `number`'s generator: the number-th child of SeedSequence(seed)."""
    child = np.random.SeedSequence(seed, spawn_key=(number,))
    return np.random.Generator(np.random.PCG64(child))


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
