"""Elapsed spans of work that pauses over people's days off.

Solver time is organisation working days. A person's own days off (calendar,
absences) are `Workforce.blocked` spans. A task done by that person works only
on the person's working days, so `duration` working days started at day s end
at `ends(team, duration)[s]` (exclusive), later than s + duration when days off
fall inside; a start on a day off gets an end past every horizon (it never
fits). A team works only on the days every member works (the intersection of
their calendars). `teams_of` lists the teams a task may get: each candidate
for a one-person task, each pair for a two-person task (up to
`MAX_PAIR_CANDIDATES` candidates); for other tasks of several people it is
empty, and such a task never pauses: its people all work every day of its span
(pairs among many candidates would make too many teams to tell apart).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Span = tuple[int, int]  # working days [start, end)
Ends = npt.NDArray[np.int64]
MAX_PAIR_CANDIDATES = 10


def teams_of(people: int, candidates: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The teams whose common days the solver tells apart (see the docstring);
    empty when the task may not pause."""
    if people <= 1:
        return [(p,) for p in candidates]
    if people == 2 and len(candidates) <= MAX_PAIR_CANDIDATES:
        return [(a, b) for i, a in enumerate(candidates) for b in candidates[i + 1 :]]
    return []


def work_ends(blocked: list[tuple[Span, ...]], duration: int, length: int) -> Ends:
    """End of `duration` days of work started at each day 0 .. length-1 by a
    team whose members' blocked spans are `blocked` (days after the last span
    are working days); more than `length` for a start on a day off."""
    ends, works = _ends_and_workdays(blocked, duration, length)
    # Work starts on a day the team works: a start on a day off never fits.
    return np.where(works, ends, 2 * length + duration + 1)


def longest_pause(blocked: list[tuple[Span, ...]], duration: int, length: int) -> int:
    """The most days off `duration` days of work started on a working day in
    0 .. length-1 may pause over."""
    ends, works = _ends_and_workdays(blocked, duration, length)
    spans = (ends - np.arange(length))[works]
    return max(int(spans.max(initial=duration)) - duration, 0)


def _ends_and_workdays(
    blocked: list[tuple[Span, ...]], duration: int, length: int
) -> tuple[Ends, npt.NDArray[np.bool_]]:
    last = max((end for spans in blocked for _, end in spans), default=0)
    size = max(length, last) + duration + 1
    works = np.ones(size, dtype=bool)
    for spans in blocked:
        for low, high in spans:
            works[low:high] = False
    if duration == 0:
        return np.arange(length, dtype=np.int64), works[:length]
    positions = np.flatnonzero(works)
    before = np.concatenate(([0], np.cumsum(works)))[:length]
    return positions[before + duration - 1] + 1, works[:length]
