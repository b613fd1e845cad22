"""Date constraints honoured over links, as MS Project does by default.

In a project with `constraints_over_links` (an MS Project file whose
`HonorConstraints` is on: "tasks will always honor their constraint dates"),
a task's must-start-on, must-finish-on, start-no-later-than and
finish-no-later-than date wins over the links into it. Planforge's own
documents keep both hard: a plan that cannot keep a link and a constraint
has no plan, and the answer names the chain.

`link_relaxations` finds, by a forward pass on working days (durations,
links and lags, every earliest date; no resources), each link that would
push its successor past such a date, and keeps it short by the days it
overshoots: the link's relaxation, which is the negative slack of the chain
behind it (MS Project's total slack there). The plan is made for the
`relaxed` links, warns about each (`Relaxation.sentence`), and the validator
accepts a link broken by no more than its relaxation, and only with its
warning. Resources can only push a chain later, so a relaxation never
exceeds what the constraint needs; when resources push it further still,
there is no plan, as for any hard date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from domain.constraint import Constraint, ConstraintType
from domain.model import Dependency, DependencyType, Project, Task
from domain.outline import leaf_project

_HONOURED = (
    ConstraintType.MSO,
    ConstraintType.MFO,
    ConstraintType.SNLT,
    ConstraintType.FNLT,
)


@dataclass(frozen=True)
class Relaxation:
    """A link kept short by `days` so its successor keeps its date."""

    dependency: Dependency
    days: int
    constraint: Constraint  # the successor's, which wins
    chain: tuple[str, ...]  # the tasks whose links set the predecessor's start

    @property
    def sentence(self) -> str:
        """The plan's warning: the link, the constraint, the negative slack."""
        link, constraint = self.dependency, self.constraint
        days = f"{self.days} day{'s' if self.days != 1 else ''}"
        return (
            f"link {link.id} ({link.type}, lag {link.lag}) is not kept by {days}: "
            f"task '{link.successor}' keeps its {constraint.type} day "
            f"{constraint.day} (constraints are honoured over links, as in MS "
            f"Project), {days} of negative slack on "
            f"{' -> '.join((*self.chain, link.successor))}"
        )


def link_relaxations(project: Project) -> tuple[Relaxation, ...]:
    """Each link of a status view (`domain.status.as_of_status`) that would
    push its successor past an honoured date, with the days it overshoots
    (module docstring); none unless `constraints_over_links`."""
    if not project.constraints_over_links:
        return ()
    leaves = leaf_project(project)
    if all(_latest(task) is None for task in leaves.tasks):
        return ()
    starts, setters = _forward_pass(leaves)
    relaxations = []
    for link in leaves.dependencies:
        overshoot = _bound(leaves, link, starts) - starts[link.successor]
        constraint = leaves.task(link.successor).timing.constraint
        if overshoot > 0 and constraint is not None:
            chain = _chain(setters, link.predecessor)
            relaxations.append(Relaxation(link, overshoot, constraint, chain))
    return tuple(relaxations)


def relaxed(project: Project, relaxations: Sequence[Relaxation]) -> Project:
    """The leaf project with each relaxed link (by id) shorter by its days;
    the project itself when there is none."""
    if not relaxations:
        return project
    days = {relaxation.dependency.id: relaxation.days for relaxation in relaxations}
    leaves = leaf_project(project)
    links = tuple(
        replace(d, lag=d.lag - days[d.id]) if d.id in days else d
        for d in leaves.dependencies
    )
    return replace(leaves, dependencies=links)


def _forward_pass(project: Project) -> tuple[dict[str, int], dict[str, str]]:
    """Earliest starts under links and earliest dates, each honoured latest
    start capping its task (Bellman-Ford rounds: lags may be negative), and
    the predecessor that set each start."""
    starts = {task.id: _earliest(task) for task in project.tasks}
    latest = {task.id: _latest(task) for task in project.tasks}
    setters: dict[str, str] = {}
    links = _in_order(project)
    for _ in range(len(project.tasks) + 1):
        moved = False
        for dependency in links:
            task = dependency.successor
            bound = _bound(project, dependency, starts)
            if (cap := latest[task]) is not None:
                bound = min(bound, max(cap, starts[task]))
            if bound > starts[task]:
                starts[task], setters[task], moved = bound, dependency.predecessor, True
        if not moved:
            break
    return starts, setters


def _in_order(project: Project) -> list[Dependency]:
    """The links by their predecessor's place in a topological order (tasks
    on a cycle last), so a pass mostly settles in one round."""
    after: dict[str, list[str]] = {task.id: [] for task in project.tasks}
    waiting = dict.fromkeys(after, 0)
    for dependency in project.dependencies:
        after[dependency.predecessor].append(dependency.successor)
        waiting[dependency.successor] += 1
    ready = [task for task, count in waiting.items() if count == 0]
    rank: dict[str, int] = {}
    while ready:
        task = ready.pop()
        rank[task] = len(rank)
        for successor in after[task]:
            waiting[successor] -= 1
            if waiting[successor] == 0:
                ready.append(successor)
    last = len(rank)
    return sorted(project.dependencies, key=lambda d: rank.get(d.predecessor, last))


def _earliest(task: Task) -> int:
    timing = task.timing
    if timing.actual_start is not None:
        return timing.actual_start
    constraint = timing.constraint
    bounds = constraint.bounds(task.planned_duration) if constraint else None
    days = (
        timing.release,
        timing.pin.earliest if timing.pin else None,
        bounds.earliest_start if bounds else None,
    )
    return max((day for day in days if day is not None), default=0)


def _latest(task: Task) -> int | None:
    """The latest start an honoured constraint gives an unstarted task."""
    constraint = task.timing.constraint
    if task.timing.actual_start is not None or constraint is None:
        return None
    if constraint.type not in _HONOURED or constraint.day is None:
        return None
    duration = task.planned_duration
    return constraint.day - duration if constraint.type.on_finish else constraint.day


def _bound(project: Project, dependency: Dependency, starts: dict[str, int]) -> int:
    """The earliest start `dependency` allows its successor."""
    before = project.task(dependency.predecessor)
    after = project.task(dependency.successor)
    from_start = dependency.type in (DependencyType.SS, DependencyType.SF)
    reference = starts[before.id] + (0 if from_start else before.planned_duration)
    to_finish = dependency.type in (DependencyType.FF, DependencyType.SF)
    return reference + dependency.lag - (after.planned_duration if to_finish else 0)


def _chain(setters: dict[str, str], task: str) -> tuple[str, ...]:
    chain = [task]
    while (before := setters.get(chain[-1])) is not None and before not in chain:
        chain.append(before)
    return tuple(reversed(chain))
