"""What an MSPDI document numbers and dates, before any XML is written (the
writer's plan of `formats.mspdi_write`): tasks in outline order with their
UIDs and outline numbers, which tasks are summaries, each task's incoming
links, the calendar UIDs of resources and tasks with their own time, and with
a plan each task's and summary's span (summaries rolled up from their leaves).
"""

from __future__ import annotations

from dataclasses import dataclass

from domain import Calendar, Plan, Project, Task
from domain.outline import children, rollup
from formats.mspdi_xml import LINK_CODES


@dataclass(frozen=True)
class Layout:
    """UIDs, outline and spans of one project (and plan) as MSPDI writes them.

    `links_to` maps a successor to its (predecessor, MSPDI link code, lag);
    `spans` maps a task to its planned (start, finish) in working days, empty
    without a scheduled plan; `elapsed_ends` are the tasks (and summaries
    ending with one) whose work ends by the clock.
    """

    order: list[Task]
    uids: dict[str, str]
    outline_numbers: dict[str, str]
    summaries: set[str]
    links_to: dict[str, list[tuple[str, str, int]]]
    spans: dict[str, tuple[int, int]]
    elapsed_ends: set[str]
    calendar_uids: dict[str, str]
    task_calendars: dict[Calendar, str]


def layout_of(project: Project, plan: Plan | None) -> Layout:
    """The layout of `project`; task ids that are whole numbers (as imported)
    stay the UIDs, else tasks are numbered in outline order. Calendar UID 1 is
    the project's; resources' own follow, then tasks'."""
    below = children(project)
    order = _outline_order(project, below)
    numeric = all(task.id.isdigit() and task.id != "0" for task in project.tasks)
    links_to: dict[str, list[tuple[str, str, int]]] = {}
    for link in project.dependencies:
        links_to.setdefault(link.successor, []).append(
            (link.predecessor, LINK_CODES[link.type], link.lag)
        )
    spans, elapsed_ends = _spans(project, plan)
    return Layout(
        order=order,
        uids={
            task.id: task.id if numeric else str(k + 1) for k, task in enumerate(order)
        },
        outline_numbers=_outline_numbers(project, below),
        summaries=set(below),
        links_to=links_to,
        spans=spans,
        elapsed_ends=elapsed_ends,
        calendar_uids={
            r.id: str(k + 2) for k, r in enumerate(project.resources) if r.has_own_time
        },
        task_calendars=_task_calendars(project),
    )


def _task_calendars(project: Project) -> dict[Calendar, str]:
    """A UID for each distinct task calendar, after the resources' UIDs."""
    uids: dict[Calendar, str] = {}
    for task in project.tasks:
        if task.calendar is not None and task.calendar not in uids:
            uids[task.calendar] = str(len(project.resources) + len(uids) + 2)
    return uids


def _spans(
    project: Project, plan: Plan | None
) -> tuple[dict[str, tuple[int, int]], set[str]]:
    """Planned spans of tasks and summaries, and those that end by the clock."""
    if plan is None or not plan.has_schedule:
        return {}, set()
    spans = {t.task_id: (t.start, t.finish) for t in plan.tasks}
    ends = {task.id for task in project.tasks if task.elapsed}
    for span in rollup(project, plan):
        spans[span.task_id] = (span.start, span.finish)
        ends |= {span.task_id} if span.elapsed else set()
    return spans, ends


def _outline_order(project: Project, below: dict[str, list[str]]) -> list[Task]:
    """Each summary task followed by its subtasks, depth first."""
    ordered: list[Task] = []

    def visit(task: Task) -> None:
        ordered.append(task)
        for child in below.get(task.id, []):
            visit(project.task(child))

    for task in project.tasks:
        if not task.parent:
            visit(task)
    return ordered


def _outline_numbers(project: Project, below: dict[str, list[str]]) -> dict[str, str]:
    numbers: dict[str, str] = {}

    def number(task_ids: list[str], prefix: str) -> None:
        for k, task_id in enumerate(task_ids, start=1):
            numbers[task_id] = f"{prefix}{k}"
            number(below.get(task_id, []), f"{prefix}{k}.")

    number([task.id for task in project.tasks if not task.parent], "")
    return numbers
