"""The outline: summary tasks (a task others name as their `parent`) and leaves.

A summary task holds no work of its own: it spans its leaves, from the
earliest leaf start to the latest leaf finish. The scheduler and the
simulation see the `leaf_project`, where summary tasks are gone and what was
attached to one applies to each of its leaves (as MS Project does):

- a link from or to a summary task links each of its leaves;
- a summary's release, deadline, due date and SNET / FNLT constraint hold for
  each leaf
  (the summary starts no earlier / finishes no later exactly when every leaf
  does; a late summary costs tardiness on each late leaf); other constraints,
  pins and actual dates on a summary are refused by `problems`;
- risks and correlations naming a summary task name its leaves.

`rollup` gives each summary task its span in a plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache

from domain.constraint import ConstraintType
from domain.errors import Problem
from domain.model import Dependency, Project, Task
from domain.plan import Plan
from domain.timing import TaskTiming

LEAF_CONSTRAINTS = (ConstraintType.SNET, ConstraintType.FNLT, ConstraintType.ASAP)


@dataclass(frozen=True)
class SummarySpan:
    """A summary task's span in a plan: its leaves' first start, last finish;
    `elapsed` when a leaf ending there is elapsed (its work runs on through
    the night: `Project.task_finish_date`)."""

    task_id: str
    start: int
    finish: int
    elapsed: bool = False


def children(project: Project) -> dict[str, list[str]]:
    """Summary task id -> the ids of its direct subtasks, in project order."""
    found: dict[str, list[str]] = defaultdict(list)
    for task in project.tasks:
        if task.parent:
            found[task.parent].append(task.id)
    return dict(found)


def leaves(project: Project) -> dict[str, tuple[str, ...]]:
    """Every task id -> the leaf tasks under it (a leaf: itself)."""
    below = children(project)

    @cache
    def under(task_id: str) -> tuple[str, ...]:
        if task_id not in below:
            return (task_id,)
        return tuple(leaf for child in below[task_id] for leaf in under(child))

    return {task.id: under(task.id) for task in project.tasks}


def leaf_project(project: Project) -> Project:
    """The project without summary tasks (the module docstring says how)."""
    if not any(task.parent for task in project.tasks):
        return project
    below = leaves(project)
    summaries = {
        task.id: task for task in project.tasks if below[task.id] != (task.id,)
    }
    inherited = {
        task.id: _inherited_timing(project, task, summaries) for task in project.tasks
    }
    return replace(
        project,
        tasks=tuple(
            replace(task, parent="", timing=inherited[task.id])
            for task in project.tasks
            if task.id not in summaries
        ),
        dependencies=tuple(_leaf_links(project.dependencies, below)),
        risks=tuple(
            replace(risk, tasks=_spread(risk.tasks, below)) for risk in project.risks
        ),
        correlations=tuple(
            replace(group, tasks=_spread(group.tasks, below))
            for group in project.correlations
        ),
    )


def rollup(project: Project, plan: Plan) -> list[SummarySpan]:
    """Each summary task's span over its scheduled leaves, in project order."""
    placed = {scheduled.task_id: scheduled for scheduled in plan.tasks}
    spans = []
    for task_id, under in leaves(project).items():
        scheduled = [placed[leaf] for leaf in under if leaf in placed]
        if under != (task_id,) and scheduled:
            start = min(s.start for s in scheduled)
            finish = max(s.finish for s in scheduled)
            elapsed = any(
                s.finish == finish and project.task(s.task_id).elapsed
                for s in scheduled
            )
            spans.append(SummarySpan(task_id, start, finish, elapsed))
    return spans


def problems(project: Project) -> Iterator[Problem]:
    """Parents exist and form no loop; summaries hold no work of their own."""
    below = children(project)
    for task in project.tasks:
        where = f"tasks[{task.id}]"
        if task.parent and task.parent not in project.task_index:
            yield Problem(f"{where}.parent", f"unknown task {task.parent!r}")
        elif task.id in below:
            yield from _summary_problems(task, where)
        elif task.duration is None and task.estimate is None:
            yield Problem(where, "needs either a duration or an estimate")
    loop = _parent_loop(project)
    if loop:
        yield Problem("tasks", "summary tasks contain each other: " + " -> ".join(loop))


def _summary_problems(task: Task, where: str) -> Iterator[Problem]:
    said = "is a summary task (it spans its subtasks)"
    if task.duration is not None or task.estimate is not None:
        yield Problem(where, f"{said}: give it no duration or estimate")
    if task.demands or task.skills:
        yield Problem(where, f"{said}: give its resources to its subtasks")
    if task.elapsed:
        yield Problem(f"{where}.elapsed", f"{said}: mark its subtasks elapsed")
    timing = task.timing
    constraint = timing.constraint
    if timing.pin or timing.actual_start is not None:
        yield Problem(where, f"{said}: pins and actual dates go on subtasks")
    if constraint is not None and constraint.type not in LEAF_CONSTRAINTS:
        yield Problem(
            f"{where}.constraint",
            f"{said}: only SNET and FNLT constraints can apply to all its leaves",
        )


def _parent_loop(project: Project) -> list[str]:
    parent_of = {task.id: task.parent for task in project.tasks if task.parent}
    for start in parent_of:
        path, current = [start], parent_of[start]
        while current in parent_of and current not in path:
            path.append(current)
            current = parent_of[current]
        if current in path:
            return [*path[path.index(current) :], current]
    return []


def _inherited_timing(
    project: Project, task: Task, summaries: dict[str, Task]
) -> TaskTiming:
    """The task's timing tightened by every summary task above it."""
    timing = task.timing
    parent = task.parent
    while parent in summaries:
        above = summaries[parent].timing
        timing = replace(
            timing,
            release=_latest(timing.release, above.release),
            deadline=_earliest(timing.deadline, above.deadline),
            due=_earliest(timing.due, above.due),
        )
        if above.constraint is not None and above.constraint.day is not None:
            day = above.constraint.day
            if above.constraint.type is ConstraintType.SNET:
                timing = replace(timing, release=_latest(timing.release, day))
            else:
                timing = replace(timing, deadline=_earliest(timing.deadline, day))
        parent = summaries[parent].parent
    return timing


def _leaf_links(
    dependencies: tuple[Dependency, ...], below: dict[str, tuple[str, ...]]
) -> Iterator[Dependency]:
    for link in dependencies:
        pairs = [
            (first, second)
            for first in below.get(link.predecessor, (link.predecessor,))
            for second in below.get(link.successor, (link.successor,))
        ]
        if pairs == [(link.predecessor, link.successor)]:
            yield link
            continue
        for first, second in pairs:
            yield replace(
                link,
                predecessor=first,
                successor=second,
                id=f"{link.id}|{first}>{second}",
            )


def _spread(
    task_ids: tuple[str, ...], below: dict[str, tuple[str, ...]]
) -> tuple[str, ...]:
    spread = [leaf for task_id in task_ids for leaf in below.get(task_id, (task_id,))]
    return tuple(dict.fromkeys(spread))


def _latest(first: int | None, second: int | None) -> int | None:
    days = [day for day in (first, second) if day is not None]
    return max(days) if days else None


def _earliest(first: int | None, second: int | None) -> int | None:
    days = [day for day in (first, second) if day is not None]
    return min(days) if days else None
