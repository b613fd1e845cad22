"""Plan several projects together: shared people and equipment, priorities,
cross-project dependencies.

The projects are merged into one (task ids become "project/task"; resources
are shared by id and must be defined alike), each project's tasks released at
its own start. The objective weighs each project by its `priority`:

    minimise  sum_p priority_p * (100 * tardiness_p + finish_p)

(tardiness against the project's `deadline`, in working days): the terms
`project_tardiness` and `project_finish` of the one registry, weighted as
`domain.objectives.PORTFOLIO` (`scheduler.model.projects`), stated on the
plan as `PORTFOLIO_NAME` with their value on the validated plan; `optimal`
only when the search proved it. The search is
`decompose.search_by_groups`: a priority-weighted greedy plan first (feasible
in seconds, even for 2,000 tasks), then rounds that re-plan one or two whole
projects in a sub-model of their own (the rest fixed) while time remains.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from domain import (
    Calendar,
    Dependency,
    DependencyType,
    Plan,
    Project,
    Resource,
    SolveStatus,
    Task,
    ValidationError,
)
from domain.bookings import BusySpan
from domain.objectives import PORTFOLIO, PORTFOLIO_NAME
from domain.status import as_of_status
from scheduler.errors import PlanValidationError
from scheduler.model.objectives import WeightedTerms
from scheduler.model.projects import project_finish, project_tardiness
from scheduler.options import SolveOptions
from scheduler.people import result_of
from scheduler.plan.placement import Schedule
from scheduler.plan.result import to_plan
from scheduler.plan.validator import validate_plan
from scheduler.portfolio_members import SEPARATOR, member_plans
from scheduler.problem.data import ProjectGroup
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.decompose import search_by_groups


@dataclass(frozen=True)
class CrossDependency:
    """`to_task` of `to_project` depends on `from_task` of `from_project`."""

    from_project: str
    from_task: str
    to_project: str
    to_task: str
    type: DependencyType = DependencyType.FS
    lag: int = 0


@dataclass(frozen=True)
class PortfolioPlan:
    """The merged project, its validated plan, per project finish/tardiness,
    and each project's own plan (`scheduler.portfolio_members`; none when
    the projects' calendars differ)."""

    project: Project
    plan: Plan
    finishes: dict[str, int]
    tardiness: dict[str, int]
    members: dict[str, Plan] = dataclasses.field(default_factory=dict)

    def project_of(self, task_id: str) -> str:
        return task_id.split(SEPARATOR, 1)[0]


def plan_portfolio(
    projects: Sequence[Project],
    links: Sequence[CrossDependency] = (),
    options: SolveOptions | None = None,
) -> PortfolioPlan:
    """Schedule the projects together, leaving the people's work in other
    projects (`options.busy`) free; raises ValidationError for bad input."""
    options = options or SolveOptions()
    originals = projects
    projects = [as_of_status(project) for project in projects]
    merged, releases = merge_projects(projects, links)
    problem, goal = portfolio_problem(merged, projects, releases, options.busy)
    outcome = search_by_groups(problem, options, goal)
    plan = _stated(to_plan(problem, result_of(problem, options, outcome)), goal)
    violations = validate_plan(merged, plan, options.busy)
    violations += _release_violations(plan, releases)
    members = member_plans(problem, plan, projects, releases, merged)
    for project in originals:
        if project.name in members:
            violations += validate_plan(project, members[project.name], options.busy)
    if violations:
        raise PlanValidationError(violations)
    ends = _schedule(problem, plan).finishes
    finishes = {g.name: project_finish(g, ends) for g in problem.projects}
    tardiness = {
        g.name: project_tardiness(g, finishes[g.name]) for g in problem.projects
    }
    return PortfolioPlan(merged, plan, finishes, tardiness, members)


def _stated(plan: Plan, goal: WeightedTerms) -> Plan:
    """The plan with the portfolio objective's name, its terms' value on the
    plan (the member plans cut from it state the same), and a bound
    only when the search proved it optimal; 'optimal' only then."""
    if not plan.has_schedule:
        return dataclasses.replace(plan, objective=PORTFOLIO_NAME)
    value = goal.value(_schedule(goal.problem, plan))
    proven = plan.status is SolveStatus.OPTIMAL
    return dataclasses.replace(
        plan,
        objective=PORTFOLIO_NAME,
        objective_value=value,
        objective_bound=value if proven else None,
    )


def _schedule(problem: SchedulingProblem, plan: Plan) -> Schedule:
    """The plan's starts and finishes by the problem's task index."""
    placed = {task.task_id: task for task in plan.tasks}
    tasks = [placed[task_id] for task_id in problem.task_ids]
    finishes = tuple(task.finish for task in tasks)
    starts = tuple(task.start for task in tasks)
    return Schedule(starts, (), max(finishes, default=0), finishes)


def portfolio_problem(
    merged: Project,
    projects: Sequence[Project],
    releases: dict[str, int],
    busy: Sequence[BusySpan] = (),
) -> tuple[SchedulingProblem, WeightedTerms]:
    """The merged project as solver input (each task released at its project's
    start, the people's `busy` time elsewhere kept free, its projects with
    their priorities and due days) and the portfolio objective over it."""
    problem = SchedulingProblem.from_project(merged, busy)
    windows = tuple(
        dataclasses.replace(
            window, release=max(window.release or 0, releases[_owner(task_id)])
        )
        for window, task_id in zip(problem.windows, problem.task_ids, strict=True)
    )
    groups = _groups(problem, projects, releases)
    problem = dataclasses.replace(problem, windows=windows, projects=groups)
    return problem, WeightedTerms(problem, dict(PORTFOLIO.weights))


def _groups(
    problem: SchedulingProblem, projects: Sequence[Project], releases: dict[str, int]
) -> tuple[ProjectGroup, ...]:
    """Each project with tasks: its task indices, priority and due day (its
    deadline from its release)."""
    members: dict[str, list[int]] = {}
    for index, task_id in enumerate(problem.task_ids):
        members.setdefault(_owner(task_id), []).append(index)
    return tuple(
        ProjectGroup(
            p.name,
            tuple(members[p.name]),
            max(p.priority, 1),
            None if p.deadline is None else releases[p.name] + p.deadline,
        )
        for p in projects
        if p.name in members
    )


def merge_projects(
    projects: Sequence[Project], links: Sequence[CrossDependency] = ()
) -> tuple[Project, dict[str, int]]:
    """One project holding all; and each project's release (working days from
    the earliest start). Project names must be unique; shared resource ids must
    be defined alike. The merged calendar works every day some project works
    (`Project.time_calendar`); a project on another calendar gives each of
    its tasks without one its calendar, so its tasks work only its days."""
    if not projects:
        raise ValidationError.at("projects", "at least one project is required")
    names = [p.name for p in projects]
    if len(set(names)) != len(names) or any(SEPARATOR in n for n in names):
        raise ValidationError.at("projects", "names must be unique, without '/'")
    calendar = functools.reduce(Calendar.union, (p.time_calendar for p in projects))
    starts = [p.start for p in projects if p.start is not None]
    start = min(starts) if starts else None
    releases = {
        p.name: 0
        if p.start is None or start is None
        else _working_days(calendar, start, p.start)
        for p in projects
    }
    tasks, dependencies = [], []
    for p in projects:
        tasks += [
            dataclasses.replace(
                t, id=_key(p.name, t.id), calendar=_task_calendar(p, t, calendar)
            )
            for t in p.tasks
        ]
        dependencies += [
            dataclasses.replace(
                d,
                predecessor=_key(p.name, d.predecessor),
                successor=_key(p.name, d.successor),
                id=_key(p.name, d.id),
            )
            for d in p.dependencies
        ]
    dependencies += [_link(link, projects) for link in links]
    merged = Project(
        name="portfolio",
        tasks=tuple(tasks),
        start=start,
        calendar=calendar,
        resources=_shared_resources(projects),
        dependencies=tuple(dependencies),
    )
    return merged, releases


def _key(project: str, item: str) -> str:
    return f"{project}{SEPARATOR}{item}"


def _owner(task_id: str) -> str:
    return task_id.split(SEPARATOR, 1)[0]


def _working_days(calendar: Calendar, start: date, until: date) -> int:
    """Working days of `calendar` from `start` up to `until` (a project's start)."""
    day, count = start, 0
    while day < until:
        count += calendar.is_working(day)
        day += timedelta(days=1)
    return count


def _task_calendar(project: Project, task: Task, merged: Calendar) -> Calendar | None:
    """The days a task of `project` works on the merged calendar: its own
    (`Project.task_calendar`), else its project's time axis when that is not
    the merged one."""
    own = project.task_calendar(task)
    if own is None and project.time_calendar != merged:
        return project.time_calendar
    return own


def _link(link: CrossDependency, projects: Sequence[Project]) -> Dependency:
    known = {p.name: p for p in projects}
    for end, name, task in (
        ("from", link.from_project, link.from_task),
        ("to", link.to_project, link.to_task),
    ):
        if name not in known:
            raise ValidationError.at(
                f"links.{end}.project", f"unknown project {name!r}"
            )
        if task not in known[name].task_index:
            raise ValidationError.at(
                f"links.{end}.task", f"no task {task!r} in project {name!r}"
            )
    return Dependency(
        _key(link.from_project, link.from_task),
        _key(link.to_project, link.to_task),
        link.type,
        link.lag,
    )


def _shared_resources(projects: Sequence[Project]) -> tuple[Resource, ...]:
    """Each resource once; a resource defined differently by two projects is
    an error naming it."""
    shared: dict[str, Resource] = {}
    for project in projects:
        for resource in project.resources:
            known = shared.setdefault(resource.id, resource)
            if known != resource:
                raise ValidationError.at(
                    f"resources[{resource.id}]",
                    f"defined differently in project {project.name!r}",
                )
    return tuple(shared.values())


def _release_violations(plan: Plan, releases: dict[str, int]) -> list[str]:
    return [
        f"task {t.task_id} starts at day {t.start}, before its project's start "
        f"(day {releases[_owner(t.task_id)]})"
        for t in plan.tasks
        if t.start < releases[_owner(t.task_id)]
    ]
