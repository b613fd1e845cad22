"""How a solve is run: time limit, parallelism, seed and progress reporting."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from domain import DeadlineMode, Problem, ValidationError
from domain.bookings import BusySpan
from domain.objectives import STAFFING_SCALE, Objective, StaffingWeights


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity), never the machine total."""
    return max(len(os.sched_getaffinity(0)), 1)


@dataclass(frozen=True)
class SolveProgress:
    """An improving solution as CP-SAT finds it: objective, proven bound,
    seconds since the solve began, solutions so far."""

    objective: float
    bound: float
    seconds: float
    solutions: int

    @property
    def gap(self) -> float:
        """Relative distance from the bound (0 when proven optimal)."""
        if self.objective == 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / abs(self.objective))

    def __str__(self) -> str:
        return (
            f"solution {self.solutions}: makespan {self.objective:.0f}, "
            f"bound {self.bound:.0f}, {self.seconds:.2f}s"
        )


@dataclass(frozen=True)
class SolveOptions:
    """Limits and knobs for one solve.

    `workers=None` uses every core available to this process. For reproducible
    runs use one worker, a fixed `seed` and a `deterministic_time_limit` (the
    solver's own work-based clock), since wall-clock limits depend on load.
    `log_progress` receives one line per improving solution, `on_progress`
    the same as a `SolveProgress` (jobs stream it).
    `previous_starts` (task id -> start of a previous plan) warm-starts the
    solve and, weighted by `stability_weight`, penalises moving tasks.
    Staffing terms join any objective (`scheduler.model.staffing`): `cost_weight` x
    (cost_rate x days assigned), `balance_weight` x (days of the busiest
    person), minus `continuity_weight` per dependent pair done by one person;
    the objective's own terms then count 1000 per unit. Qualifications stay hard.
    `busy` is the people's committed work in other projects (`domain.bookings`):
    the plan leaves it free, and the validator re-checks that it does.
    `deadlines`: SOFT plans anyway when only deadlines stand in the way, as
    little late as possible (`scheduler.model.lateness`); HARD answers infeasible.
    """

    time_limit: float = 10.0
    workers: int | None = None
    seed: int = 0
    log_progress: Callable[[str], None] | None = None
    on_progress: Callable[[SolveProgress], None] | None = None
    deterministic_time_limit: float | None = None
    objective: Objective = Objective.MAKESPAN
    previous_starts: Mapping[str, int] = field(default_factory=dict)
    stability_weight: int = 0
    cost_weight: float = 0.0
    balance_weight: int = 0
    continuity_weight: int = 0
    busy: tuple[BusySpan, ...] = ()
    deadlines: DeadlineMode = DeadlineMode.SOFT

    def __post_init__(self) -> None:
        problems = []
        if not self.time_limit > 0:
            problems.append(Problem("time_limit", "must be a positive number"))
        if self.workers is not None and self.workers < 1:
            problems.append(Problem("workers", "must be at least 1"))
        limit = self.deterministic_time_limit
        if limit is not None and not limit > 0:
            problems.append(
                Problem("deterministic_time_limit", "must be a positive number")
            )
        for name in (
            "stability_weight",
            "cost_weight",
            "balance_weight",
            "continuity_weight",
        ):
            if getattr(self, name) < 0:
                problems.append(Problem(name, "must not be negative"))
        if problems:
            raise ValidationError(problems)

    @property
    def reports(self) -> bool:
        """Whether anyone listens to the solver's progress."""
        return self.log_progress is not None or self.on_progress is not None

    @property
    def staffing(self) -> StaffingWeights:
        """The staffing terms' weights (`domain.objectives`)."""
        return StaffingWeights(
            self.cost_weight, self.balance_weight, self.continuity_weight
        )

    @property
    def staffs(self) -> bool:
        """Whether any staffing term (cost, balance, continuity) is weighted."""
        return bool(self.staffing)

    def term_weights(
        self, previous: bool, first_scale: int | None = None
    ) -> dict[str, float]:
        """Term -> weight of this solve's objective (`domain.objectives`):
        its weighting with the stability weight when a `previous` plan is
        given, and the staffing terms. `first_scale` weighs a lexicographic
        objective's first term; None gives the terms the plan states (that
        first term alone)."""
        own: dict[str, float] = {
            **self.objective.weighting.terms(
                self.stability_weight, previous, first_scale
            )
        }
        staffing = self.staffing.terms()
        if not staffing:
            return own
        return {
            **{name: STAFFING_SCALE * weight for name, weight in own.items()},
            **staffing,
        }

    def plans_makespan(self, previous: bool) -> bool:
        """Whether the objective is the makespan alone (no previous plan
        weighed, no staffing term)."""
        return self.term_weights(previous, first_scale=1) == {"makespan": 1}

    @property
    def num_workers(self) -> int:
        """The number of search workers to use (resolves `None` to the cores)."""
        return self.workers if self.workers is not None else available_cores()
