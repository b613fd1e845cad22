"""A task's stated pauses: work split into parts with gaps between them.

MS Project's split task: after some of its work is done the work stops for
a while and resumes later, the parts keeping their gaps when the task moves.
A `Pause(after, days)` says: once `after` working days of the task's work are
done (counted from its start, the same count for every pause), it stops for
`days` days it would otherwise work (days all its resources and its calendar
work, `domain.worktime`). A task with pauses spans its duration plus their
days; its resources are free during them. Pauses at or beyond the end of the
task's work (a forecast drew it shorter) never happen. A started task keeps
the pauses still ahead of its status time (`pauses_ahead`): MS Project's
Resume, where work that stopped resumes later, is such a pause.

In the document: `"pauses": [{"after": 4, "days": 3}]`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from domain.errors import Problem
from domain.readers import as_integer, as_list, as_mapping

PAUSE_FIELDS = {"after", "days"}


@dataclass(frozen=True)
class Pause:
    """After `after` working days of work, `days` days without work."""

    after: int
    days: int


def paused_days(pauses: Iterable[Pause], duration: int) -> int:
    """Days the pauses of work lasting `duration` days add to its span."""
    return sum(pause.days for pause in pauses if pause.after < duration)


def skipped(pauses: Sequence[Pause], duration: int) -> Iterator[int]:
    """For each of the span's days the task would work, in order, 1 when it
    pauses that day and 0 when it works: `duration` zeros in all."""
    done = 0
    for pause in pauses:
        if pause.after >= duration:
            break
        yield from (0 for _ in range(pause.after - done))
        yield from (1 for _ in range(pause.days))
        done = pause.after
    yield from (0 for _ in range(duration - done))


def pauses_ahead(pauses: Iterable[Pause], done: int) -> tuple[Pause, ...]:
    """The pauses still to come once `done` days of a started task's span lie
    behind it: later ones whole, the days left of one under way from `done`
    on (MS Project's Stop and Resume: work stopped, to resume later)."""
    ahead = []
    for pause in pauses:
        if pause.after >= done:
            ahead.append(pause)
        elif pause.after + pause.days > done:
            ahead.append(Pause(done, pause.after + pause.days - done))
    return tuple(ahead)


def parse_pauses(value: Any, where: str) -> tuple[Pause, ...]:
    """The document's `pauses` list (shapes and types; `pause_problems`
    checks them against the task)."""
    pauses = []
    for index, item in enumerate(as_list(value, where)):
        at = f"{where}[{index}]"
        doc = as_mapping(item, at, PAUSE_FIELDS)
        after = as_integer(doc.get("after"), f"{at}.after", minimum=1)
        days = as_integer(doc.get("days"), f"{at}.days", minimum=1)
        pauses.append(Pause(after, days))
    return tuple(pauses)


def pauses_to_document(pauses: Sequence[Pause]) -> list[dict[str, int]]:
    return [{"after": pause.after, "days": pause.days} for pause in pauses]


def pause_problems(
    pauses: Sequence[Pause],
    work: float | None,
    estimated: bool,
    splittable: bool,
    where: str,
) -> Iterator[Problem]:
    """Pauses in order, of a splittable task with work; inside its work when
    that is a fixed duration (`work`; an estimate's shorter draws skip the
    pauses beyond their end)."""
    if not pauses:
        return
    if work is None and not estimated:
        yield Problem(where, "a summary task cannot pause (its subtasks can)")
        return
    if not splittable:
        yield Problem(where, "a task that is not splittable cannot pause")
    previous = 0
    for index, pause in enumerate(pauses):
        if pause.after <= previous:
            yield Problem(
                f"{where}[{index}].after",
                f"must be after the previous pause (day {previous}), got {pause.after}",
            )
        if work is not None and pause.after >= work:
            yield Problem(
                f"{where}[{index}].after",
                f"must be before the end of the work ({work:g} days), "
                f"got {pause.after}",
            )
        previous = pause.after
