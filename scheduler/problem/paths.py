"""Longest paths over a problem's dependencies: the one relaxation behind
earliest and latest starts, heads and tails, floats, time conflicts and the
genetic search's priorities.

A dependency is an edge (before, after, offset): start[after] - start[before]
>= offset (`SchedulingProblem.start_offset`). Forward, a start rises to the
longest path reaching it; backward, a latest start falls to the least limit
any successor leaves it. Bellman-Ford rounds, at most n + 1: a task still
moving after them lies behind a cycle no schedule satisfies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

Edge = tuple[int, int, int]  # before, after, least start(after) - start(before)
# Called once a round with the values; True when it moved one (a bound that
# is no plain edge, e.g. the order of a plan on a resource).
Extra = Callable[[list[int]], bool]


@dataclass
class Paths:
    """The relaxed values, and the task that last moved each one (its setter:
    a predecessor forward, a successor backward; None: its own start value).

    `moving` is a task still moving in the last round (behind a positive
    cycle), else None. `ties` are tasks whose setter only reaches their value
    exactly (kept when asked: a chain reads better than day 0)."""

    values: list[int]
    setters: list[int | None]
    moving: int | None = None
    ties: set[int] = field(default_factory=set)

    def setter(self, task: int) -> int:
        before = self.setters[task]
        assert before is not None, "a task on a positive cycle has a setter"
        return before


def longest_paths(
    edges: Sequence[Edge],
    values: Sequence[int],
    backward: bool = False,
    keep_ties: bool = False,
    extra: Extra | None = None,
) -> Paths:
    """Relax `values` (starts forward, latest starts backward) over `edges`."""
    count = len(values)
    paths = Paths(list(values), [None] * count)
    value, setters, ties = paths.values, paths.setters, paths.ties
    for _ in range(count + 1):
        paths.moving = None
        for before, after, offset in edges:
            if backward:
                bound = value[after] - offset
                if bound < value[before]:
                    value[before], setters[before] = bound, after
                    paths.moving = before
                continue
            candidate = value[before] + offset
            if candidate > value[after]:
                value[after], setters[after] = candidate, before
                paths.moving = after
                ties.discard(after)
            elif keep_ties and candidate == value[after] and setters[after] is None:
                setters[after] = before
                ties.add(after)
        moved = extra(value) if extra is not None else False
        if paths.moving is None and not moved:
            break
    return paths
