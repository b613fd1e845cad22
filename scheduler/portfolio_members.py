"""A portfolio plan project by project: each member's own plan, to record.

The merged plan (`scheduler.portfolio`) counts working days from the earliest
project start on the first project's calendar; a member's plan counts from
its own start, `release` working days later, so its tasks move back by that
much and keep their people. This holds only when the projects share one
calendar (`own_calendars` names those that do not).

A member's floats are its own: the days each task may slip without moving
its project's finish (not the latest finish of all), keeping every
dependency and cross-project link and the order of every task using the same
people, in whichever project (`scheduler.plan.floats.total_floats` with each
task's project finish as its limit). Status, objective, value and bound are
the portfolio's: that is what the plan was made for. A project's deadline
is soft there (its tardiness is weighed), so a member plan is a soft one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from domain import DeadlineMode, Plan, Project, ScheduledTask
from scheduler.plan.floats import total_floats
from scheduler.problem.instance import SchedulingProblem

SEPARATOR = "/"


def own_calendars(projects: Sequence[Project]) -> list[str]:
    """The projects whose calendar differs from the first one's."""
    return [p.name for p in projects[1:] if p.calendar != projects[0].calendar]


def member_plans(
    problem: SchedulingProblem,
    plan: Plan,
    projects: Sequence[Project],
    releases: Mapping[str, int],
) -> dict[str, Plan]:
    """Each project's plan (by name), cut from the merged `plan` of `problem`;
    none when the plan has no schedule or the projects' calendars differ."""
    if not plan.has_schedule or own_calendars(projects):
        return {}
    placed = {task.task_id: task for task in plan.tasks}
    ordered = [placed[task_id] for task_id in problem.task_ids]
    owners = [task_id.split(SEPARATOR, 1)[0] for task_id in problem.task_ids]
    finish_of: dict[str, int] = {}
    for owner, task in zip(owners, ordered, strict=True):
        finish_of[owner] = max(finish_of.get(owner, 0), task.finish)
    resource = {rid: index for index, rid in enumerate(problem.resource_ids)}
    floats = total_floats(
        problem,
        tuple(task.start for task in ordered),
        tuple(tuple(resource[r] for r in task.assignees) for task in ordered),
        tuple(task.finish for task in ordered),
        tuple(finish_of[owner] for owner in owners),
    )
    tasks: dict[str, list[ScheduledTask]] = {p.name: [] for p in projects}
    for owner, task, slack in zip(owners, ordered, floats, strict=True):
        shift = releases[owner]
        tasks[owner].append(
            dataclasses.replace(
                task,
                task_id=task.task_id.split(SEPARATOR, 1)[1],
                start=task.start - shift,
                finish=task.finish - shift,
                total_float=slack,
                critical=slack == 0,
            )
        )
    deadlines = {project.name: project.deadline for project in projects}
    return {
        name: _member_plan(plan, own, deadlines[name], len(projects))
        for name, own in tasks.items()
    }


def _member_plan(
    plan: Plan, tasks: list[ScheduledTask], deadline: int | None, together: int
) -> Plan:
    """One project's part of the plan. A project's deadline is soft in a
    portfolio (its tardiness is weighed, `scheduler.portfolio`), so the plan
    says "soft" and warns when the project finishes late; task deadlines
    stay hard (no task is late)."""
    finish = max((task.finish for task in tasks), default=0)
    late = []
    if deadline is not None and finish > deadline:
        late.append(
            f"the project finishes on day {finish}, {finish - deadline} days "
            f"after its deadline (day {deadline})"
        )
    return dataclasses.replace(
        plan,
        makespan=finish,
        lower_bound=None,
        tasks=tuple(tasks),
        message=f"planned with {together - 1} other project(s) as a portfolio",
        deadlines=DeadlineMode.SOFT.value,
        warnings=tuple(late),
    )
