"""Plan several projects together: shared people and equipment, priorities,
cross-project dependencies.

The projects are merged into one (task ids become "project/task"; resources
are shared by id and must be defined alike), each project's tasks released at
its own start. The objective weighs each project by its `priority`:

    minimise  sum_p priority_p * (100 * tardiness_p + finish_p)

(stated on the plan as its objective, with its value; `optimal` only when
the search proved it).

(tardiness against the project's `deadline`, in working days). The search is
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

from ortools.sat.python import cp_model

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
from domain.status import as_of_status
from scheduler.errors import PlanValidationError
from scheduler.model.variables import Variables
from scheduler.options import SolveOptions
from scheduler.people import result_of
from scheduler.plan.placement import Schedule
from scheduler.plan.result import to_plan
from scheduler.plan.validator import validate_plan
from scheduler.portfolio_members import SEPARATOR, member_plans
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.decompose import search_by_groups
from scheduler.search.goals import Goal

TARDINESS_WEIGHT = 100
OBJECTIVE_NAME = "sum of priority x (100 x tardiness + finish) over projects"


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
    finishes = goal.finishes(plan)
    return PortfolioPlan(merged, plan, finishes, goal.tardiness(finishes), members)


def _stated(plan: Plan, goal: PortfolioObjective) -> Plan:
    """The plan with its objective (the module docstring's formula), that
    objective's value on it and a bound only when the search proved it
    optimal; 'optimal' only then."""
    if not plan.has_schedule:
        return dataclasses.replace(plan, objective=OBJECTIVE_NAME)
    schedule = Schedule(
        tuple(task.start for task in plan.tasks),
        (),
        plan.makespan or 0,
        tuple(task.finish for task in plan.tasks),
    )
    value = round(goal.value(schedule))
    proven = plan.status is SolveStatus.OPTIMAL
    return dataclasses.replace(
        plan,
        objective=OBJECTIVE_NAME,
        objective_value=value,
        objective_bound=value if proven else None,
    )


def portfolio_problem(
    merged: Project,
    projects: Sequence[Project],
    releases: dict[str, int],
    busy: Sequence[BusySpan] = (),
) -> tuple[SchedulingProblem, PortfolioObjective]:
    """The merged project as solver input (each task released at its project's
    start, the people's `busy` time elsewhere kept free) and the
    priority-weighted objective over it."""
    problem = SchedulingProblem.from_project(merged, busy)
    windows = tuple(
        dataclasses.replace(
            window, release=max(window.release or 0, releases[_owner(task_id)])
        )
        for window, task_id in zip(problem.windows, problem.task_ids, strict=True)
    )
    problem = dataclasses.replace(problem, windows=windows)
    return problem, PortfolioObjective.of(problem, projects, releases)


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


class PortfolioObjective:
    """sum_p priority_p * (100 * tardiness_p + finish_p), see the module doc."""

    def __init__(
        self,
        problem: SchedulingProblem,
        weights: dict[str, int],
        due: dict[str, int | None],
        floors: dict[str, int] | None = None,
    ) -> None:
        self.problem, self.weights, self.due = problem, weights, due
        self.floors = floors or {}  # finishes of tasks outside the problem
        self.members: dict[str, list[int]] = {}
        for index, task_id in enumerate(problem.task_ids):
            self.members.setdefault(_owner(task_id), []).append(index)

    @classmethod
    def of(
        cls,
        problem: SchedulingProblem,
        projects: Sequence[Project],
        releases: dict[str, int],
    ) -> PortfolioObjective:
        """Weights and due days (from each project's release) of `projects`."""
        weights = {p.name: max(p.priority, 1) for p in projects}
        due = {
            p.name: None if p.deadline is None else releases[p.name] + p.deadline
            for p in projects
        }
        return cls(problem, weights, due)

    def restricted(
        self, sub: SchedulingProblem, free: Sequence[int], schedule: Schedule
    ) -> Goal:
        """Over the projects with tasks in `sub`: each finishes no earlier than
        its tasks outside it, as `schedule` has them."""
        kept = set(free)
        floors: dict[str, int] = {}
        for task, task_id in enumerate(self.problem.task_ids):
            if task not in kept:
                name, finish = _owner(task_id), schedule.finish(self.problem, task)
                floors[name] = max(floors.get(name, 0), finish)
        return PortfolioObjective(sub, self.weights, self.due, floors)

    def group_urgency(self, schedule: Schedule) -> list[float]:
        """Per project (in `task_groups` order): priority x (1 + days late)."""
        ends = [schedule.finish(self.problem, t) for t in range(len(schedule.starts))]
        late = self.tardiness(self._finishes(ends))
        return [float(self.weights[n] * (1 + late[n])) for n in self.members]

    def add(self, model: cp_model.CpModel, variables: Variables) -> None:
        horizon = self.problem.horizon
        terms = []
        for name, members in self.members.items():
            if not members:
                continue
            finish = model.new_int_var(0, horizon, f"finish_{name}")
            floor = self.floors.get(name, 0)
            model.add_max_equality(
                finish, [floor, *(variables.ends[t] for t in members)]
            )
            late = model.new_int_var(0, horizon, f"late_{name}")
            due = self.due[name]
            model.add(late >= finish - (horizon if due is None else due))
            terms.append(self.weights[name] * (TARDINESS_WEIGHT * late + finish))
        model.minimize(sum(terms))

    def task_weights(self) -> Sequence[int]:
        """Each task ranks by its project's priority: higher projects first."""
        return [self.weights[_owner(t)] for t in self.problem.task_ids]

    def task_groups(self) -> list[set[int]]:
        """Each project's tasks: the search re-plans a couple of projects whole."""
        return [set(members) for members in self.members.values()]

    def value(self, schedule: Schedule) -> float:
        ends = [schedule.finish(self.problem, t) for t in range(len(schedule.starts))]
        finishes = self._finishes(ends)
        late = self.tardiness(finishes)
        return sum(
            self.weights[n] * (TARDINESS_WEIGHT * late[n] + finishes[n])
            for n in finishes
        )

    def finishes(self, plan: Plan) -> dict[str, int]:
        ends = {t.task_id: t.finish for t in plan.tasks}
        return self._finishes([ends[task_id] for task_id in self.problem.task_ids])

    def tardiness(self, finishes: dict[str, int]) -> dict[str, int]:
        late = {}
        for name, finish in finishes.items():
            due = self.due[name]
            late[name] = 0 if due is None else max(finish - due, 0)
        return late

    def _finishes(self, ends: Sequence[int]) -> dict[str, int]:
        return {
            name: max(ends[t] for t in members)
            for name, members in self.members.items()
            if members
        }
