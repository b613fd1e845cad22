"""Time conflicts found from dependencies and time windows alone, with no solver.

Dependencies and each task's earliest start (release, pin, actual start) fix
an earliest start for every task, by longest paths; the task that sets each
one is kept, so the chain of dependencies behind a start can be read back.
That earliest schedule meets every latest limit (pins, actual starts, task and
project deadlines) unless some limit is impossible whatever the resources, so
comparing the two finds every pure time conflict, each with its chain:

    task 'deploy' cannot finish by its deadline (day 20): the chain
    kickoff -> build (15 d) -> deploy (8 d) needs 23 days
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.problem.groups import ConstraintGroup, GroupKind, groups
from scheduler.problem.instance import SchedulingProblem


@dataclass(frozen=True)
class Chains:
    """Earliest starts under dependencies and windows, each with the task that
    sets it (None: its own window or day 0)."""

    starts: list[int]
    setters: list[int | None]
    ties: frozenset[int]  # tasks whose setter only equals their own earliest

    @classmethod
    def of(cls, problem: SchedulingProblem) -> Chains | None:
        """The earliest starts, or None when dependencies form a positive cycle."""
        starts = [w.earliest for w in problem.windows] or [0] * problem.num_tasks
        paths = problem.longest_paths(starts, keep_ties=True)
        if paths.moving is not None:
            return None
        return cls(paths.values, paths.setters, frozenset(paths.ties))

    def chain(self, task: int) -> list[int]:
        """The tasks whose dependencies set `task`'s earliest start, first to last.

        Ties can close a loop (a sets b, b ties a); the chain then ends at its
        first tie, whose start its own window or day 0 sets as well."""
        chain, seen = [task], {task}
        while (before := self.setters[chain[-1]]) is not None:
            if before in seen:
                first_tie = next(i for i, t in enumerate(chain) if t in self.ties)
                chain = chain[: first_tie + 1]
                break
            chain.append(before)
            seen.add(before)
        return chain[::-1]

    def text(
        self, problem: SchedulingProblem, task: int, to_start: bool = False
    ) -> str:
        """The chain as 'a (5 d) (from day 3) -> b (2 d)'; `to_start` leaves out
        the last task's duration (the chain then ends where that task starts)."""
        chain = self.chain(task)
        parts = []
        for position, index in enumerate(chain):
            duration = problem.tasks[index].duration
            last = position == len(chain) - 1
            shown = duration and not (to_start and last)
            parts.append(
                problem.task_ids[index] + (f" ({duration} d)" if shown else "")
            )
        if self.starts[chain[0]] > 0:
            parts[0] += f" (from day {self.starts[chain[0]]})"
        return " -> ".join(parts)

    def finish(self, problem: SchedulingProblem, task: int) -> int:
        return self.starts[task] + problem.tasks[task].duration


def positive_cycle(problem: SchedulingProblem) -> list[int] | None:
    """Tasks on a cycle of dependencies that no schedule satisfies, or None.

    Bellman-Ford from every task at once: after n rounds a task whose start
    still moves has a positive cycle behind it; walking its setters n times
    lands on the cycle, which is then read back once around.
    """
    relaxed = problem.longest_paths([0] * problem.num_tasks)
    task = relaxed.moving
    if task is None:
        return None
    for _ in range(problem.num_tasks):
        task = relaxed.setter(task)
    cycle, current = [task], relaxed.setter(task)
    while current != task:
        cycle.append(current)
        current = relaxed.setter(current)
    cycle.reverse()
    first = cycle.index(min(cycle))
    return cycle[first:] + cycle[:first]


def time_conflicts(problem: SchedulingProblem, chains: Chains) -> list[str]:
    """Sentences for every latest limit the earliest schedule breaks, each with
    the window that starts its chain; empty when time alone is no obstacle."""
    sentences: list[str] = []
    for group in groups(problem.windows, problem.deadline):
        task = _breaking_task(problem, chains, group)
        if task is None:
            continue
        origin = _origin(problem, chains.chain(task)[0])
        if origin is not None and origin != group:
            sentence = describe(problem, origin)
            if sentence not in sentences:
                sentences.append(sentence)
        sentences.append(describe(problem, group, chains))
    return sentences


def _breaking_task(
    problem: SchedulingProblem, chains: Chains, group: ConstraintGroup
) -> int | None:
    """The task whose earliest schedule breaks the group's latest limit."""
    if group.kind is GroupKind.PROJECT_DEADLINE:
        task = max(range(problem.num_tasks), key=lambda t: chains.finish(problem, t))
        return task if chains.finish(problem, task) > group.day else None
    assert group.task is not None
    task, window = group.task, problem.windows[group.task]
    match group.kind:
        case GroupKind.DEADLINE:
            late = chains.finish(problem, task) > group.day
        case GroupKind.ACTUAL:
            late = chains.starts[task] > group.day
        case GroupKind.PIN:
            latest = window.pin_latest
            late = latest is not None and chains.starts[task] > latest
        case _:
            late = False
    return task if late else None


def _origin(problem: SchedulingProblem, task: int) -> ConstraintGroup | None:
    """The window group that sets a chain's first start (None: day 0)."""
    window = problem.windows[task] if problem.windows else None
    if window is None or window.earliest == 0:
        return None
    kinds = (
        (GroupKind.ACTUAL, window.actual_start),
        (GroupKind.PIN, window.pin_earliest),
        (GroupKind.RELEASE, window.release),
    )
    for kind, day in kinds:
        if day == window.earliest:
            return ConstraintGroup(kind, task, day)
    return None


def describe(
    problem: SchedulingProblem, group: ConstraintGroup, chains: Chains | None = None
) -> str:
    """One group as a sentence; given the earliest starts, a latest limit also
    names the chain that makes it impossible or, when dependencies alone would
    meet it, says the resources are what stand in the way."""
    if group.kind is GroupKind.PROJECT_DEADLINE:
        subject = f"the project cannot finish by its deadline (day {group.day})"
        return _finish_sentence(problem, subject, group.day, chains)
    task = group.task
    assert task is not None
    name = f"task '{problem.task_ids[task]}'"
    window = problem.windows[task]
    match group.kind:
        case GroupKind.DEADLINE:
            subject = f"{name} cannot finish by its deadline (day {group.day})"
            return _finish_sentence(problem, subject, group.day, chains, task)
        case GroupKind.RELEASE:
            return f"{name} cannot start before its release (day {group.day})"
        case GroupKind.ACTUAL:
            subject = f"{name} already started on day {group.day}"
            return subject + _start_clause(problem, task, group.day, chains)
    earliest, latest = window.pin_earliest, window.pin_latest
    if earliest == latest:
        subject = f"{name} is pinned to start on day {earliest}"
    elif latest is None:
        return f"{name} is pinned to start on or after day {earliest}"
    elif earliest is None:
        subject = f"{name} is pinned to start by day {latest}"
    else:
        subject = f"{name} is pinned to start between day {earliest} and day {latest}"
    return subject + _start_clause(problem, task, latest, chains)


def _start_clause(
    problem: SchedulingProblem, task: int, latest: int | None, chains: Chains | None
) -> str:
    """', but the chain ... lets it start on day N at the earliest' when the
    dependencies push the start past `latest`."""
    if chains is None or latest is None or chains.starts[task] <= latest:
        return ""
    chain = chains.text(problem, task, to_start=True)
    return (
        f", but the chain {chain} lets it start on day "
        f"{chains.starts[task]} at the earliest"
    )


def _finish_sentence(
    problem: SchedulingProblem,
    subject: str,
    day: int,
    chains: Chains | None,
    task: int | None = None,
) -> str:
    if chains is None:
        return subject
    if task is None:
        task = max(range(problem.num_tasks), key=lambda t: chains.finish(problem, t))
    finish = chains.finish(problem, task)
    if finish <= day:
        return (
            f"{subject} with the resources available: dependencies alone "
            f"would allow day {finish}"
        )
    return f"{subject}: the chain {chains.text(problem, task)} needs {finish} days"
