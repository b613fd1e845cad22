"""Stage gates: a milestone (`"gate": true`) that ends a stage; the work after
it waits until someone approves it.

- A gate is approved once every task before it (its transitive predecessors)
  has finished; the approval is recorded as the gate's actual start and
  finish at the status time, so plans and forecasts place the work behind it
  after the approval, and never before the status date while it waits (as
  all unstarted work, `domain.status`).
- No actual date may be recorded on a task behind an unapproved gate (its
  transitive successors), nor on the gate itself except by approving it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from domain.errors import GateClosed, NotFound, ValidationError
from domain.model import Project


def _reach(project: Project, start: str, forward: bool) -> set[str]:
    """Tasks reachable from `start` along dependencies (forward: successors)."""
    edges: dict[str, list[str]] = defaultdict(list)
    for d in project.dependencies:
        source, target = (
            (d.predecessor, d.successor) if forward else (d.successor, d.predecessor)
        )
        edges[source].append(target)
    seen: set[str] = set()
    stack = [start]
    while stack:
        for nxt in edges[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def closed_gates(project: Project) -> list[str]:
    return [t.id for t in project.tasks if t.gate and t.timing.actual_finish is None]


def check_new_actuals(before: Project, after: Project) -> None:
    """GateClosed when `after` dates work that `before` had not dated, behind
    a gate closed in `before` (or on such a gate itself)."""
    dated = [
        task.id
        for task in after.tasks
        if (task.timing.actual_start, task.timing.actual_finish) != (None, None)
        and (
            task.id not in before.task_index
            or before.task(task.id).timing.actual_start is None
        )
    ]
    if not dated:
        return
    for gate in closed_gates(before):
        if gate in dated:
            raise GateClosed(
                f"task {gate!r} is a stage gate: record it by approving it "
                f"(POST .../gates/{gate}/approve)"
            )
        behind = (
            _reach(after, gate, forward=True) if gate in after.task_index else set()
        )
        for task_id in dated:
            if task_id in behind:
                raise GateClosed(
                    f"task {task_id!r} is behind the stage gate {gate!r}, which is "
                    "not approved yet"
                )


def approvable(project: Project, gate_id: str) -> int:
    """The time the gate is approved at (the status time), once the checks
    pass: a known, unapproved gate whose every predecessor has finished."""
    if gate_id not in project.task_index:
        raise NotFound(f"no task {gate_id!r} in project {project.name!r}")
    gate = project.task(gate_id)
    if not gate.gate:
        raise ValidationError.at("task_id", f"task {gate_id!r} is not a stage gate")
    if gate.timing.actual_finish is not None:
        raise GateClosed(f"gate {gate_id!r} is already approved")
    unfinished = _unfinished(project, _reach(project, gate_id, forward=False))
    if unfinished:
        raise GateClosed(
            f"gate {gate_id!r} cannot be approved: its stage is unfinished "
            f"({', '.join(unfinished)})"
        )
    return project.status_time


def _unfinished(project: Project, task_ids: Iterable[str]) -> list[str]:
    return sorted(t for t in task_ids if project.task(t).timing.actual_finish is None)
