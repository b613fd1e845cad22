"""Plan a portfolio: the merged project solved as one, its objective stated
and every plan validated, the merged one and each project's own. A project
whose date constraints win over its links (`domain.honoured`) is planned
with those links kept short, each a warning, as its own plan would be."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from domain import Plan, Project, SolveStatus
from domain.bookings import BusySpan
from domain.honoured import Relaxation, link_relaxations, relaxed
from domain.objectives import PORTFOLIO, PORTFOLIO_NAME
from domain.status import as_of_status
from scheduler.errors import PlanValidationError
from scheduler.model.objectives import WeightedTerms
from scheduler.model.projects import project_finish, project_tardiness
from scheduler.options import SolveOptions
from scheduler.people import result_of
from scheduler.plan.result import to_plan
from scheduler.plan.schedule import Schedule
from scheduler.plan.validator import validate_plan
from scheduler.portfolio.members import member_plans
from scheduler.portfolio.merge import CrossDependency, merge_projects, owner
from scheduler.problem.data import ProjectGroup
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.decompose import search_by_groups


@dataclass(frozen=True)
class PortfolioPlan:
    """The merged project, its validated plan, per project finish/tardiness,
    and each project's own plan (`scheduler.portfolio.members`; none when
    the projects' calendars differ)."""

    project: Project
    plan: Plan
    finishes: dict[str, int]
    tardiness: dict[str, int]
    members: dict[str, Plan] = dataclasses.field(default_factory=dict)

    def project_of(self, task_id: str) -> str:
        return owner(task_id)


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
    broken = {project.name: link_relaxations(project) for project in projects}
    projects = [relaxed(project, broken[project.name]) for project in projects]
    merged, releases = merge_projects(projects, links)
    problem, goal = portfolio_problem(merged, projects, releases, options.busy)
    outcome = search_by_groups(problem, options, goal)
    plan = _stated(to_plan(problem, result_of(problem, options, outcome)), goal)
    plan = _warned(plan, broken)
    violations = validate_plan(merged, plan, options.busy)
    violations += _release_violations(plan, releases)
    members = {
        name: _warned(member, {name: broken[name]}, named=False)
        for name, member in member_plans(
            problem, plan, projects, releases, merged
        ).items()
    }
    for project in originals:
        if project.name in members:
            violations += validate_plan(project, members[project.name], options.busy)
    if violations:
        raise PlanValidationError(violations)
    if not plan.has_schedule:  # infeasible, or nothing found in time
        return PortfolioPlan(merged, plan, {}, {}, members)
    ends = _schedule(problem, plan).finishes
    finishes = {g.name: project_finish(g, ends) for g in problem.projects}
    tardiness = {
        g.name: project_tardiness(g, finishes[g.name]) for g in problem.projects
    }
    return PortfolioPlan(merged, plan, finishes, tardiness, members)


def _warned(
    plan: Plan, broken: dict[str, tuple[Relaxation, ...]], named: bool = True
) -> Plan:
    """The plan warning of each link a project keeps short for a date it
    honours over links (`domain.honoured`), as its own plan would; in the
    merged plan each sentence names its project."""
    if not plan.has_schedule:
        return plan
    sentences = tuple(
        f"project '{name}': {relaxation.sentence}" if named else relaxation.sentence
        for name, relaxations in broken.items()
        for relaxation in relaxations
    )
    return dataclasses.replace(plan, warnings=sentences + plan.warnings)


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
            window, release=max(window.release or 0, releases[owner(task_id)])
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
        members.setdefault(owner(task_id), []).append(index)
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


def _release_violations(plan: Plan, releases: dict[str, int]) -> list[str]:
    return [
        f"task {t.task_id} starts at day {t.start}, before its project's start "
        f"(day {releases[owner(t.task_id)]})"
        for t in plan.tasks
        if t.start < releases[owner(t.task_id)]
    ]
