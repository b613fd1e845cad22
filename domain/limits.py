"""How large a number may be: what the solver, the calendar and the store hold.

A value past these bounds is refused where it comes in (422 naming the
field), so it can never break a later plan, scenario or forecast:
- days (durations, estimates, lags, deadlines, impacts, pins, windows,
  actual days): within +-MAX_DAYS; 100,000 working days are ~380 years, and
  the largest sums the solver forms stay far inside 64 bits;
- dates: 1900-01-01 to 2200-12-31 (day numbers past them still fit a date);
- seeds: 0 to 2^31 - 1 (CP-SAT's `random_seed` is a 32-bit signed integer);
- weights and priorities: 0 to MAX_WEIGHT; capacities, people and skill
  levels: up to MAX_COUNT; money per day: up to MAX_RATE, sums: MAX_MONEY;
- versions and log positions: within a signed 64-bit integer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from domain.errors import Problem, ValidationError
from domain.model import Estimate, Project, Task

MAX_DAYS = 100_000
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)
MAX_SEED = 2**31 - 1
MAX_WEIGHT = 1_000
MAX_COUNT = 100_000
MAX_RATE = 1_000_000
MAX_MONEY = 10**12
MAX_VERSION = 2**63 - 1


def check_seed(seed: int, where: str = "seed") -> None:
    if not 0 <= seed <= MAX_SEED:
        raise ValidationError.at(where, f"must be within 0..{MAX_SEED}, got {seed}")


def bound_problems(project: Project) -> Iterable[Problem]:
    """Every number and date of the project that is out of bounds (times:
    MAX_DAYS working days, in periods where the project counts them)."""
    per_day = project.calendar.periods_per_day
    yield from _days(project.deadline, "deadline", per_day)
    yield from _count(project.priority, "priority", MAX_WEIGHT)
    yield from _dates(project.start, "start")
    yield from _day_or_date(project.status_date, "status_date", per_day)
    yield from _days(project.stale_after, "stale_after", per_day)
    for holiday in sorted(project.calendar.holidays):
        yield from _dates(holiday, "calendar.holidays")
    for task in project.tasks:
        yield from _task(task, f"tasks[{task.id}]", per_day)
    for resource in project.resources:
        where = f"resources[{resource.id}]"
        yield from _count(resource.capacity, f"{where}.capacity", MAX_COUNT)
        yield from _count(resource.cost_rate, f"{where}.cost_rate", MAX_RATE)
        for skill, level in resource.skills.items():
            yield from _count(level, f"{where}.skills.{skill}", MAX_COUNT)
        for absence in resource.absences:
            yield from _dates(absence.start, f"{where}.absences")
            yield from _dates(absence.end, f"{where}.absences")
        if resource.calendar is not None:
            for holiday in sorted(resource.calendar.holidays):
                yield from _dates(holiday, f"{where}.calendar.holidays")
    for link in project.dependencies:
        where = f"dependencies[{link.id or link.predecessor + '->' + link.successor}]"
        yield from _days(link.lag, f"{where}.lag", per_day)
    for risk in project.risks:
        where = f"risks[{risk.id}].impact"
        if isinstance(risk.impact, Estimate):
            yield from _estimate(risk.impact, where, per_day)
        else:
            yield from _days(risk.impact, where, per_day)


def _task(task: Task, where: str, per_day: int) -> Iterable[Problem]:
    yield from _days(task.duration, f"{where}.duration", per_day)
    if task.estimate is not None:
        yield from _estimate(task.estimate, f"{where}.estimate", per_day)
    yield from _count(task.people, f"{where}.people", MAX_COUNT)
    for resource_id, units in task.demands.items():
        yield from _count(units, f"{where}.demands.{resource_id}", MAX_COUNT)
    for skill, level in task.skills.items():
        yield from _count(level, f"{where}.skills.{skill}", MAX_COUNT)
    yield from _count(task.fixed_cost, f"{where}.fixed_cost", MAX_MONEY)
    progress = task.progress
    yield from _days(
        progress.remaining_duration, f"{where}.remaining_duration", per_day
    )
    yield from _days(progress.expected_finish, f"{where}.expected_finish", per_day)
    yield from _day_or_date(progress.reported_on, f"{where}.reported_on", per_day)
    if progress.actual_cost is not None:
        yield from _count(progress.actual_cost, f"{where}.actual_cost", MAX_MONEY)
    timing = task.timing
    for name in ("release", "deadline", "due", "actual_start", "actual_finish"):
        yield from _days(getattr(timing, name), f"{where}.{name}", per_day)
    yield from _count(timing.tardiness_weight, f"{where}.tardiness_weight", MAX_WEIGHT)
    if timing.pin is not None:
        for day in {timing.pin.earliest, timing.pin.latest}:
            yield from _days(day, f"{where}.pin", per_day)
    if timing.constraint is not None:
        yield from _days(timing.constraint.day, f"{where}.constraint", per_day)


def _estimate(estimate: Estimate, where: str, per_day: int) -> Iterable[Problem]:
    for name in ("optimistic", "most_likely", "pessimistic"):
        yield from _days(getattr(estimate, name), f"{where}.{name}", per_day)
    for value in estimate.values:
        yield from _days(value, f"{where}.values", per_day)
    for weight in estimate.weights:
        yield from _count(weight, f"{where}.weights", MAX_RATE)


def _days(value: float | None, where: str, per_day: int) -> Iterable[Problem]:
    """A time: at most MAX_DAYS working days (of `per_day` periods) either way."""
    limit = MAX_DAYS * per_day
    if value is not None and not -limit <= value <= limit:
        unit = "days" if per_day == 1 else f"days ({limit:,} periods)"
        yield Problem(where, f"must be within +-{MAX_DAYS:,} {unit}, got {value:g}")


def _count(value: float, where: str, largest: int) -> Iterable[Problem]:
    if not -largest <= value <= largest:
        yield Problem(where, f"must be at most {largest:,}, got {value:g}")


def _day_or_date(
    value: date | int | None, where: str, per_day: int
) -> Iterable[Problem]:
    if isinstance(value, date):
        yield from _dates(value, where)
    else:
        yield from _days(value, where, per_day)


def _dates(value: date | None, where: str) -> Iterable[Problem]:
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        yield Problem(
            where,
            f"must be within {EARLIEST_DATE.isoformat()}..{LATEST_DATE.isoformat()}, "
            f"got {value.isoformat()}",
        )
