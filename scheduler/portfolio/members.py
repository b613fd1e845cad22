"""A portfolio plan project by project: each member's own plan, to record.

The merged plan (`scheduler.portfolio.plan`) counts working days from the earliest
project start on the merged calendar (every day some project works); a
member's plan counts its own working days from its own start. On the merged
calendar, the member's tasks move back by its `release`; on another calendar
each day maps through its date (its tasks work only its days, so every day
they start or end on is one of its working days). Tasks keep their people.

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
from collections.abc import Callable, Mapping, Sequence

from domain import DeadlineMode, Plan, Project, ScheduledTask
from scheduler.plan.floats import total_floats
from scheduler.portfolio.merge import SEPARATOR
from scheduler.problem.instance import SchedulingProblem


def member_plans(
    problem: SchedulingProblem,
    plan: Plan,
    projects: Sequence[Project],
    releases: Mapping[str, int],
    merged: Project,
) -> dict[str, Plan]:
    """Each project's plan (by name), cut from the merged `plan` of `problem`
    (of the project `merged`); none when the plan has no schedule."""
    if not plan.has_schedule:
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
    own_day = {
        p.name: _own_days(merged, p, releases[p.name], finish_of.get(p.name, 0))
        for p in projects
    }
    tasks: dict[str, list[ScheduledTask]] = {p.name: [] for p in projects}
    for owner, task, slack in zip(owners, ordered, floats, strict=True):
        day = own_day[owner]
        start = day(task.start)
        tasks[owner].append(
            dataclasses.replace(
                task,
                task_id=task.task_id.split(SEPARATOR, 1)[1],
                start=start,
                finish=day(task.finish - 1) + 1 if task.finish > task.start else start,
                total_float=slack,
                critical=slack == 0,
            )
        )
    deadlines = {project.name: project.deadline for project in projects}
    return {
        name: _member_plan(plan, own, deadlines[name], len(projects))
        for name, own in tasks.items()
    }


def _own_days(
    merged: Project, project: Project, release: int, latest: int
) -> Callable[[int], int]:
    """Maps a day of the merged plan to the project's own working day."""
    own = project.time_calendar
    if own == merged.calendar or None in (project.start, merged.start):
        return lambda day: day - release
    assert project.start is not None
    assert merged.start is not None
    dates = merged.calendar.working_dates(merged.start, latest + 1)
    start = project.start
    return lambda day: own.working_days_before(start, dates[day])


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
