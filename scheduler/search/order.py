"""The incumbent's order on each binding resource, as few finish-to-start arcs.

An LNS step keeps every task outside its neighbourhood in the incumbent's
order: on each resource that can bind, a task that finished before another
started still does. Within one resource the users form an interval order, so
it is enough to keep the arcs no third user fits between: i -> j is implied by
i -> k -> j whenever k starts at or after i's finish and finishes by j's start.
For j, let `latest` be the latest start among users finishing by j's start;
the arcs into j are then exactly the users finishing in (latest, start of j].
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

Arc = tuple[int, int]  # finish(before) <= start(after)


def order_arcs(
    users: Iterable[Sequence[int]],
    starts: Sequence[int],
    finishes: Sequence[int],
    free: frozenset[int] | set[int],
) -> set[Arc]:
    """Arcs keeping the incumbent's order among the users outside `free`.

    `users` lists, per binding resource, the tasks of positive length using it.
    """
    arcs: set[Arc] = set()
    for tasks in users:
        kept = [task for task in tasks if task not in free]
        arcs.update(_resource_arcs(kept, starts, finishes))
    return arcs


def _resource_arcs(
    tasks: list[int], starts: Sequence[int], finishes: Sequence[int]
) -> list[Arc]:
    """The transitive reduction of one resource's incumbent order."""
    by_finish = sorted(tasks, key=finishes.__getitem__)
    finish_times = [finishes[task] for task in by_finish]
    # prefix_latest[k]: the latest start among the first k users by finish.
    prefix_latest = [-1]
    for task in by_finish:
        prefix_latest.append(max(prefix_latest[-1], starts[task]))
    arcs: list[Arc] = []
    for after in tasks:
        done = bisect.bisect_right(finish_times, starts[after])
        latest = prefix_latest[done]
        first = bisect.bisect_right(finish_times, latest)
        arcs.extend((before, after) for before in by_finish[first:done])
    return arcs
