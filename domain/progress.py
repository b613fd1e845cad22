"""Progress on a task and what is left of it at the status date.

A report says, as of `reported_on` (default: the project's status date), how
far a task has got: `actual_start`, `actual_finish`, `percent_complete`
(0-100), `remaining_duration` (working days) and `actual_cost`. Dates are ISO
dates or working-day times like every other time in a project document: a
date is read as the end of that day, so a status date of Friday counts Friday
as worked (`Project.time_of`).

The rule for the work a started, unfinished task has left after the status
time T (the one definition both the plan and the forecasts use):

1. `remaining_duration` r reported at time R: remaining = r x D / m, the
   reported figure scaled like the estimate (D the sampled duration, m its
   most likely value), as Primavera Risk Analysis scales in-progress ranges.
2. else `percent_complete` p reported at R: remaining = (1 - p/100) x D.
3. else nothing but the actual start a: remaining = D - e with D conditioned
   on D > e, e = T - a the working days already spent (an estimate that has
   already run e days is one of its longer outcomes).

A report older than the status date has run T - R days since: they come off
the remaining work, and overdue work (nothing left, yet unfinished) is given
`MIN_REMAINING` more day; so is a task whose time spent is past its
pessimistic value (the conditional of rule 3 is then empty). The plan takes
the rule at D = m, rounded up to whole days, at least `MIN_REMAINING`.

Where remaining work goes is the project's `remaining_after`:

- `status_date` (planforge's own tracking): the status time T above is the
  status date, or without one the latest actual date recorded (time has
  passed at least that far); no unstarted work is planned before it.
- `actual_work` (MS Project without a status date, kept for imported files):
  no "now" holds work back. Unstarted tasks sit where their links and
  constraints put them; a started task's remaining work resumes right where
  its actual work ends, so T is the task's own: its actual start plus the
  days done, (p/100) x m under rule 2, m - r under rule 1, none under rule 3
  (the report is read as of that moment; `reported_on` is not used).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from domain.errors import Problem, ValidationError
from domain.readers import as_number

PROGRESS_FIELDS = {
    "percent_complete",
    "remaining_duration",
    "reported_on",
    "actual_cost",
}
MIN_REMAINING = 1  # working days an unfinished task needs at least, once overdue

DayRef = date | int  # an ISO date (read as the end of that day) or a time


class RemainingAfter(StrEnum):
    """Where unstarted and remaining work is planned (module docstring)."""

    STATUS_DATE = "status_date"
    ACTUAL_WORK = "actual_work"


@dataclass(frozen=True)
class TaskProgress:
    """A task's latest report (see the module docstring). `expected_finish` is
    derived by `domain.status.as_of_status` for the plan, never read from a
    document."""

    percent_complete: float | None = None
    remaining_duration: float | None = None
    reported_on: DayRef | None = None
    actual_cost: float | None = None
    expected_finish: int | None = None


@dataclass(frozen=True)
class RemainingWork:
    """What a started, unfinished task has left after the status time.

    Remaining = `scale` x D + `offset` for rules 1 and 2 (offset = R - T: <= 0
    for a report older than the status time; in [0, 1) under `actual_work`,
    the part of day T already worked);
    rule 3 (`scale` None): D - `elapsed`, D conditioned on D > `elapsed`.
    An old report (offset < 0) whose work has run out is lifted to
    MIN_REMAINING.
    """

    elapsed: int  # working days from the actual start to the status time
    scale: float | None
    offset: float = 0.0

    def planned(self, most_likely: float) -> int:
        """Whole days left in the plan: the rule at D = most likely."""
        if self.scale is None:
            left = most_likely - self.elapsed
        else:
            left = self.scale * most_likely + self.offset
        return max(math.ceil(left - 1e-9), MIN_REMAINING)


def parse_day_ref(value: Any, where: str) -> DayRef | None:
    """An ISO date or a whole working-day time >= 0 (None: not given)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError.at(
                where, f"expected an ISO date or a working day, got {value!r}"
            ) from None
    number = as_number(value, where)
    if number != int(number) or number < 0:
        raise ValidationError.at(
            where, f"expected an ISO date or a working day >= 0, got {value!r}"
        )
    return int(number)


def parse_remaining_after(value: Any, where: str) -> RemainingAfter:
    """`status_date` (the default) or `actual_work`."""
    allowed = [rule.value for rule in RemainingAfter]
    if value is None:
        return RemainingAfter.STATUS_DATE
    if value not in allowed:
        raise ValidationError.at(where, f"must be one of {', '.join(allowed)}")
    return RemainingAfter(value)


def day_ref_to_document(value: DayRef) -> str | int:
    return value.isoformat() if isinstance(value, date) else value


def parse_progress(doc: Mapping[str, Any], where: str) -> TaskProgress:
    """Read the optional progress fields of one task document."""

    def number(key: str) -> float | None:
        value = doc.get(key)
        return None if value is None else as_number(value, f"{where}.{key}")

    return TaskProgress(
        percent_complete=number("percent_complete"),
        remaining_duration=number("remaining_duration"),
        reported_on=parse_day_ref(doc.get("reported_on"), f"{where}.reported_on"),
        actual_cost=number("actual_cost"),
    )


def progress_to_document(progress: TaskProgress) -> dict[str, Any]:
    """The fields `parse_progress` reads, leaving out those not given."""
    doc: dict[str, Any] = {}
    for key in ("percent_complete", "remaining_duration", "actual_cost"):
        if (value := getattr(progress, key)) is not None:
            doc[key] = value
    if progress.reported_on is not None:
        doc["reported_on"] = day_ref_to_document(progress.reported_on)
    return doc


def progress_problems(
    progress: TaskProgress,
    actual_start: int | None,
    actual_finish: int | None,
    where: str,
) -> Iterator[Problem]:
    """Rules within one report: ranges, and percent, remaining and finish
    telling the same story."""
    percent, remaining = progress.percent_complete, progress.remaining_duration
    if percent is not None and not 0 <= percent <= 100:
        yield Problem(f"{where}.percent_complete", f"must be within 0..100: {percent}")
    for key in ("remaining_duration", "actual_cost"):
        value = getattr(progress, key)
        if value is not None and value < 0:
            yield Problem(f"{where}.{key}", f"must be >= 0, got {value}")
    if actual_finish is not None:
        if percent is not None and percent != 100:
            yield Problem(
                f"{where}.percent_complete",
                f"a finished task is 100 % complete, got {percent}",
            )
        if remaining:
            yield Problem(
                f"{where}.remaining_duration",
                f"a finished task has nothing remaining, got {remaining}",
            )
        return
    if actual_start is None:
        for key, value in (
            ("percent_complete", percent),
            ("remaining_duration", remaining),
        ):
            if value:
                yield Problem(f"{where}.{key}", "progress needs an actual_start")
        return
    if percent == 100 or remaining == 0:
        field = "percent_complete" if percent == 100 else "remaining_duration"
        yield Problem(
            f"{where}.{field}", "work is complete: give the task its actual_finish"
        )
