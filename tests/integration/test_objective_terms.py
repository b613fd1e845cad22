"""One objective of weighted terms (`domain.objectives`, `scheduler.model`).

For every named objective, with and without staffing weights, a previous plan
and soft deadlines, and for a portfolio of projects: the value a solved plan
reports is the objective's terms on the validated plan, computed here from
the plan alone; CP-SAT's objective value is the terms' value on the schedule
it returned; the search's makespan goal is the makespan term; and the HTTP
schema and the command line offer exactly the registry's names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date

import pytest
from ortools.sat.python import cp_model

from domain import Dependency, Plan, Project, Resource, SolveStatus, Task
from domain.objectives import (
    OBJECTIVE_NAMES,
    PORTFOLIO,
    PORTFOLIO_NAME,
    WEIGHTINGS,
    Objective,
)
from domain.timing import TaskTiming
from scheduler import SolveOptions, solve, solve_problem, validate_plan
from scheduler.model.constraints import build_model
from scheduler.model.objectives import TERMS, WeightedTerms
from scheduler.model.terms import Makespan as MakespanTerm
from scheduler.model.timing import add_time_limits
from scheduler.plan.schedule import Schedule
from scheduler.portfolio import merge_projects, plan_portfolio, portfolio_problem
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.goals import Makespan
from service.api.schemas import PlanBody
from service.cli import build_parser

BE = {"be": 1}
PREVIOUS = {"a": 1, "b": 6, "c": 0, "d": 4}  # feasible, late
STAFFING = {"cost_weight": 0.5, "balance_weight": 2, "continuity_weight": 3}


def project(deadline: int | None = None) -> Project:
    """Four tasks for three people (carol cheap), one due early and heavy."""
    tasks = (
        Task("a", 3, skills=BE, timing=TaskTiming(due=3, tardiness_weight=4)),
        Task("b", 2, skills=BE, timing=TaskTiming(due=4)),
        Task("c", 4, skills=BE),
        Task("d", 1, skills=BE, timing=TaskTiming(due=2, tardiness_weight=2)),
    )
    people = (
        Resource("alice", skills=BE, cost_rate=100.0),
        Resource("bob", skills=BE, cost_rate=90.0),
        Resource("carol", skills=BE, cost_rate=10.0),
    )
    links = (Dependency("a", "b"), Dependency("c", "d"))
    return Project(
        "terms",
        tasks,
        resources=people,
        dependencies=links,
        start=date(2027, 1, 4),
        deadline=deadline,
    )


def solve_options(objective: Objective, staffed: bool) -> SolveOptions:
    """Stability weight 2 against `PREVIOUS`, with `STAFFING` when staffed."""
    return SolveOptions(
        time_limit=5.0,
        workers=1,
        objective=objective,
        previous_starts=PREVIOUS,
        stability_weight=2,
        **(STAFFING if staffed else {}),  # type: ignore[arg-type]
    )


def independent_terms(
    project: Project, plan: Plan, previous: Mapping[str, int], cost_weight: float
) -> dict[str, float]:
    """Each term on the plan, from the plan and the project alone."""
    finish = {t.task_id: t.finish for t in plan.tasks}
    rate = {r.id: r.cost_rate for r in project.resources}
    worked: dict[str, int] = {}
    for task in project.tasks:
        for person in plan.assignments[task.id]:
            worked[person] = worked.get(person, 0) + int(task.planned_duration)
    return {
        "makespan": plan.makespan or 0,
        "tardiness": sum(
            t.timing.tardiness_weight * max(finish[t.id] - t.timing.due, 0)
            for t in project.tasks
            if t.timing.due is not None
        ),
        "shift": sum(abs(plan.starts[t] - s) for t, s in previous.items()),
        "cost": sum(
            round(cost_weight * rate[p] * t.planned_duration)
            for t in project.tasks
            for p in plan.assignments[t.id]
        ),
        "balance": max(worked.values(), default=0),
        "continuity": sum(
            plan.assignments[d.predecessor] == plan.assignments[d.successor]
            for d in project.dependencies
        ),
    }


# What each named objective reports, as a formula of its terms (stability
# weight 2 with a previous plan; lexicographic objectives report their first).
STATED = {
    Objective.MAKESPAN: lambda v: v["makespan"] + 2 * v["shift"],
    Objective.TARDINESS: lambda v: v["tardiness"],
    Objective.STABILITY: lambda v: v["shift"],
    Objective.WEIGHTED: lambda v: v["makespan"] + v["tardiness"] + 2 * v["shift"],
    Objective.P80: lambda v: v["makespan"] + 2 * v["shift"],
    Objective.P_DEADLINE: lambda v: v["makespan"] + 2 * v["shift"],
}


def test_the_table_covers_the_registry() -> None:
    assert set(STATED) == set(Objective) == set(WEIGHTINGS)
    names = {name for w in WEIGHTINGS.values() for name, _ in w.weights}
    firsts = {w.first for w in WEIGHTINGS.values() if w.first}
    assert names | firsts | {"shift", "cost", "balance", "continuity"} <= set(TERMS)


@pytest.mark.parametrize("staffed", [False, True], ids=["own", "staffed"])
@pytest.mark.parametrize("deadline", [None, 3], ids=["no-deadline", "soft"])
@pytest.mark.parametrize("objective", list(Objective))
def test_a_plan_reports_its_terms_on_the_validated_plan(
    objective: Objective, deadline: int | None, staffed: bool
) -> None:
    planned = project(deadline)
    options = solve_options(objective, staffed)
    plan = solve(planned, options)

    assert validate_plan(planned, plan) == []
    values = independent_terms(planned, plan, PREVIOUS, options.cost_weight)
    expected = STATED[objective](values)
    if staffed:
        expected = (
            1000 * expected
            + values["cost"]
            + 2 * values["balance"]
            - 3 * values["continuity"]
        )
    assert plan.objective_value == expected
    if plan.status is SolveStatus.OPTIMAL:
        assert plan.objective_bound == plan.objective_value
    if deadline is not None:
        assert any("after its deadline" in w for w in plan.warnings)


@pytest.mark.parametrize("staffed", [False, True], ids=["own", "staffed"])
@pytest.mark.parametrize("objective", list(Objective))
def test_cp_sat_objective_is_the_terms_on_its_schedule(
    objective: Objective, staffed: bool
) -> None:
    """Before any left shift: the model's expression and the terms' values
    agree on the schedule CP-SAT returned (lexicographic weights included)."""
    planned = project()
    problem = SchedulingProblem.from_project(planned)
    options = solve_options(objective, staffed)
    result = solve_problem(problem, options)

    assert result.status is SolveStatus.OPTIMAL
    previous = {planned.task_index[t]: s for t, s in PREVIOUS.items()}
    weights = options.term_weights(True, first_scale=problem.horizon + 1)
    schedule = Schedule(
        result.starts, result.assignees, result.makespan or 0, result.finishes
    )
    assert WeightedTerms(problem, weights, previous).value(schedule) == (
        result.objective_value
    )


def test_the_schema_and_the_command_line_offer_the_registry() -> None:
    schema = PlanBody.model_json_schema()["properties"]["objective"]
    assert tuple(schema["enum"]) == OBJECTIVE_NAMES == tuple(o.value for o in Objective)
    solve_command = build_parser()._subparsers._group_actions[0].choices["solve"]  # type: ignore[union-attr]
    (option,) = [a for a in solve_command._actions if a.dest == "objective"]
    assert tuple(option.choices) == OBJECTIVE_NAMES


def test_soft_deadlines_keep_the_stated_objective() -> None:
    """Lateness comes first but is not the stated objective's value."""
    plan = solve(project(3), SolveOptions(time_limit=5.0, workers=1))
    late = dataclasses.replace(plan, warnings=())
    assert plan.objective == "makespan"
    assert late.objective_value == plan.makespan


def portfolio() -> list[Project]:
    """Three projects sharing alice and bob, a week apart, with priorities
    1-3 and deadlines not all of them can meet."""
    people = (Resource("alice", skills=BE), Resource("bob", skills=BE))
    return [
        Project(
            f"p{k}",
            tuple(Task(f"t{i}", 2 + (i + k) % 3, skills=BE) for i in range(3)),
            start=date(2027, 1, 4 + 7 * (k % 2)),
            deadline=4 + k,
            resources=people,
            dependencies=(Dependency("t0", "t2"),),
            priority=1 + k,
        )
        for k in range(3)
    ]


def portfolio_terms(projects: list[Project], plan: Plan) -> dict[str, int]:
    """The portfolio's terms on its merged plan, from the plan and the projects
    alone: per project its last finish and its days past its deadline, counted
    from its own start (working days on the merged plan's axis)."""
    _, releases = merge_projects(projects)
    finishes = {
        p.name: max(t.finish for t in plan.tasks if t.task_id.startswith(p.name + "/"))
        for p in projects
    }
    late = {
        p.name: max(finishes[p.name] - releases[p.name] - (p.deadline or 0), 0)
        for p in projects
    }
    return {
        "project_finish": sum(p.priority * finishes[p.name] for p in projects),
        "project_tardiness": sum(p.priority * late[p.name] for p in projects),
    }


def test_a_portfolio_plan_reports_the_registry_terms_on_the_validated_plan() -> None:
    """The portfolio objective is terms of the one registry: its name and
    value are `PORTFOLIO`'s terms on the validated plans (each project's
    plan states the same)."""
    assert {name for name, _ in PORTFOLIO.weights} <= set(TERMS)
    projects = portfolio()
    result = plan_portfolio(projects, options=SolveOptions(time_limit=5, workers=1))
    plan = result.plan

    assert validate_plan(result.project, plan) == []
    values = portfolio_terms(projects, plan)
    assert values["project_tardiness"] > 0  # the deadlines do weigh
    weights = dict(PORTFOLIO.weights)
    expected = sum(weights[name] * value for name, value in values.items())
    assert (plan.objective, plan.objective_value) == (PORTFOLIO_NAME, expected)
    assert expected == sum(
        p.priority * (100 * result.tardiness[p.name] + result.finishes[p.name])
        for p in projects
    )
    for member in result.members.values():
        assert (member.objective, member.objective_value) == (PORTFOLIO_NAME, expected)


def test_cp_sat_portfolio_objective_is_the_terms_on_its_schedule() -> None:
    """The portfolio goal set on a model: CP-SAT's objective value is its
    terms' value on the schedule it returned."""
    projects = portfolio()
    merged, releases = merge_projects(projects)
    problem, goal = portfolio_problem(merged, projects, releases)
    model, variables = build_model(problem)
    add_time_limits(model, problem.windows, problem.deadline, variables)
    goal.add(model, variables)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5.0

    assert solver.solve(model) == cp_model.OPTIMAL
    finishes = tuple(solver.value(end) for end in variables.ends)
    starts = tuple(solver.value(start) for start in variables.starts)
    schedule = Schedule(starts, (), max(finishes), finishes)
    assert goal.weights == dict(PORTFOLIO.weights)
    assert solver.objective_value == goal.value(schedule)


def test_the_search_makespan_goal_is_the_makespan_term() -> None:
    problem = SchedulingProblem.from_project(project())
    schedule = Schedule((0, 3, 0, 4), ((2,), (2,), (1,), (1,)), 9, (3, 5, 4, 5))
    goal = Makespan(problem)

    assert goal.weights == {"makespan": 1}
    assert goal.value(schedule) == MakespanTerm(problem, {}).value(schedule) == 9
