"""Portfolio plans: shared people, priorities, releases, cross-project links,
weekly loading; and the `planforge portfolio` command."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from domain import (
    Calendar,
    Dependency,
    Project,
    Resource,
    Task,
    ValidationError,
)
from domain.constraint import Constraint, ConstraintType
from domain.document_writer import project_to_document
from domain.loading import weekly_load
from domain.objectives import PORTFOLIO_NAME
from domain.timing import TaskTiming
from scheduler import SolveOptions, solve, validate_plan
from scheduler.portfolio import CrossDependency, plan_portfolio
from service.cli import main

OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)
MONDAY = date(2027, 1, 4)
BE = {"be": 1}
ALICE = Resource("alice", skills=BE)


def project(name: str, priority: int = 1, start: date = MONDAY, **kw: Any) -> Project:
    tasks = (Task("x", duration=5, skills=BE), Task("y", duration=5, skills=BE))
    return Project(
        name=name,
        tasks=tasks,
        start=start,
        resources=(ALICE,),
        priority=priority,
        deadline=10,
        **kw,
    )


def test_the_higher_priority_project_gets_the_shared_person_first() -> None:
    result = plan_portfolio([project("low", 1), project("high", 5)], options=OPTIONS)
    assert result.finishes == {"high": 10, "low": 20}
    assert result.tardiness == {"high": 0, "low": 10}
    flipped = plan_portfolio([project("low", 5), project("high", 1)], options=OPTIONS)
    assert flipped.finishes == {"low": 10, "high": 20}


def test_a_cross_project_link_orders_the_projects() -> None:
    link = CrossDependency("low", "y", "high", "x")
    result = plan_portfolio(
        [project("low", 1), project("high", 5)], [link], options=OPTIONS
    )
    plan = result.plan
    assert plan.scheduled("high/x").start >= plan.scheduled("low/y").finish


def test_a_project_that_honours_its_dates_over_links_plans_as_it_would_alone() -> None:
    """MS Project's way (`constraints_over_links`): a milestone that must
    finish on day 8 behind 10 days of work keeps its day; the link into it
    is kept short by 2 days, a warning of the member plan and, naming the
    project, of the portfolio's."""
    must = TaskTiming(constraint=Constraint(ConstraintType.MFO, 8))
    tasks = (Task("a", duration=5), Task("b", duration=5), Task("m", 0, timing=must))
    links = (Dependency("a", "b"), Dependency("b", "m"))
    honours = Project(
        "ms", tasks, dependencies=links, start=MONDAY, constraints_over_links=True
    )
    result = plan_portfolio([honours, project("own")], options=OPTIONS)
    alone = solve(honours, OPTIONS)
    member = result.members["ms"]
    assert [(t.task_id, t.start, t.finish) for t in member.tasks] == [
        ("a", 0, 5),
        ("b", 5, 10),
        ("m", 8, 8),
    ]
    assert member.tasks == alone.tasks
    assert member.warnings == alone.warnings != ()
    assert validate_plan(honours, member) == []
    assert result.plan.warnings == tuple(f"project 'ms': {w}" for w in alone.warnings)


def test_a_portfolio_without_a_plan_says_so() -> None:
    """A date both hard and behind too much work (planforge's own rule):
    no plan, its status named, no project finish (was a KeyError)."""
    must = TaskTiming(constraint=Constraint(ConstraintType.MFO, 3))
    tasks = (Task("a", duration=5), Task("m", 0, timing=must))
    late = Project("late", tasks, dependencies=(Dependency("a", "m"),), start=MONDAY)
    result = plan_portfolio([late, project("own")], options=OPTIONS)
    assert not result.plan.has_schedule
    assert (result.finishes, result.members) == ({}, {})


def test_a_later_project_starts_at_its_own_start() -> None:
    later = project("later", 5, start=date(2027, 1, 11))  # a week later: day 5
    result = plan_portfolio([project("now", 1), later], options=OPTIONS)
    assert min(result.plan.scheduled(f"later/{t}").start for t in "xy") >= 5


def test_weekly_load_adds_up_to_the_assigned_days() -> None:
    result = plan_portfolio([project("a", 2), project("b", 1)], options=OPTIONS)
    rows = weekly_load(result.project, result.plan, result.project_of)
    assert sum(row.days for row in rows) == 20
    assert {(r.week, r.project) for r in rows if r.resource == "alice"} == {
        ("2027-W01", "a"),
        ("2027-W02", "a"),
        ("2027-W03", "b"),
        ("2027-W04", "b"),
    }


@pytest.mark.parametrize(
    ("projects", "links", "message"),
    [
        ([project("a"), project("a")], [], "names must be unique"),
        (
            [
                project("a"),
                Project(
                    "b", (Task("z", duration=1),), resources=(Resource("alice", 2),)
                ),
            ],
            [],
            "resources[alice]: defined differently in project 'b'",
        ),
        ([project("a")], [CrossDependency("a", "x", "c", "x")], "unknown project 'c'"),
        ([project("a")], [CrossDependency("a", "q", "a", "x")], "no task 'q'"),
    ],
)
def test_bad_portfolios_are_named(
    projects: list[Project], links: list[CrossDependency], message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        plan_portfolio(projects, links, options=OPTIONS)
    assert message in str(error.value)


def test_portfolio_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = []
    for p in (project("low", 1), project("high", 5)):
        path = tmp_path / f"{p.name}.json"
        path.write_text(json.dumps(project_to_document(p)))
        paths.append(str(path))
    links = tmp_path / "links.json"
    links.write_text(
        json.dumps(
            [
                {
                    "from": {"project": "high", "task": "y"},
                    "to": {"project": "low", "task": "x"},
                }
            ]
        )
    )
    argv = ["portfolio", *paths, "--links", str(links), "--time-limit", "5"]
    assert main([*argv, "--json"]) == 0
    view = json.loads(capsys.readouterr().out)
    assert [(p["name"], p["finish"], p["tardiness"]) for p in view["projects"]] == [
        ("low", 20, 10),
        ("high", 10, 0),
    ]
    assert view["plan"]["assignments"]["high/x"] == ["alice"]
    assert {row["project"] for row in view["load"]} == {"low", "high"}
    assert main(argv) == 0
    assert "Weekly load" in capsys.readouterr().out
    links.write_text(json.dumps([{"from": {"project": "high"}, "to": {}}]))
    assert main(argv) == 2
    assert "links[0].from" in capsys.readouterr().err


def test_portfolio_command_prints_warnings_and_why_there_is_no_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def milestone(name: str, honours: bool) -> str:
        """A milestone that must finish on day 3 behind 5 days of work."""
        must = TaskTiming(constraint=Constraint(ConstraintType.MFO, 3))
        tasks = (Task("a", duration=5), Task("m", 0, timing=must))
        chain = Project(
            name,
            tasks,
            dependencies=(Dependency("a", "m"),),
            start=MONDAY,
            constraints_over_links=honours,
        )
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(project_to_document(chain)))
        return str(path)

    own = tmp_path / "own.json"
    own.write_text(json.dumps(project_to_document(project("own"))))
    argv = ["portfolio", "--time-limit", "5", str(own)]
    assert main([*argv, milestone("ms", True)]) == 0
    printed = capsys.readouterr().out
    assert (
        "warning: project 'ms': link a->m (FS, lag 0) is not kept by 2 days" in printed
    )
    assert main([*argv, milestone("late", False)]) == 1
    printed = capsys.readouterr().out
    assert "Plan: infeasible" in printed
    assert "task 'late/m' is pinned to start by day 3" in printed
    assert "finish day None" not in printed


def test_a_portfolio_plan_states_its_objective_and_is_optimal_only_at_gap_0() -> None:
    result = plan_portfolio([project("low", 1), project("high", 5)], options=OPTIONS)
    plan = result.plan

    assert plan.objective == PORTFOLIO_NAME
    expected = sum(
        p * (100 * result.tardiness[name] + result.finishes[name])
        for name, p in (("low", 1), ("high", 5))
    )
    assert plan.objective_value == expected
    if plan.status.value == "optimal":
        assert plan.gap == 0.0
    else:
        assert plan.objective_bound is None


def test_each_project_gets_its_own_plan_from_its_own_start() -> None:
    first = project("first", 5)
    first = Project(**{**vars(first), "tasks": (*first.tasks, Task("z", duration=2))})
    later = project("later", 1, start=date(2027, 1, 11))  # 5 working days on
    result = plan_portfolio([first, later], options=OPTIONS)

    mine, theirs = result.members["first"], result.members["later"]

    assert result.finishes == {"first": 10, "later": 20}  # merged days
    assert sorted(theirs.starts.values()) == [5, 10]  # from its own start
    assert theirs.makespan == 15
    assert theirs.warnings == (
        "the project finishes on day 15, 5 days after its deadline (day 10)",
    )
    floats = {task.task_id: task.total_float for task in mine.tasks}
    assert floats["z"] == 8  # to its own finish (10), not the portfolio's (20)
    assert sorted(t.total_float for t in theirs.tasks) == [0, 0]


def test_a_project_on_its_own_calendar_works_only_its_days() -> None:
    four_days = Calendar(workdays=("Mon", "Tue", "Wed", "Thu"))
    first = Project(
        name="first",
        tasks=(Task("x", duration=5, skills=BE),),
        start=MONDAY,
        resources=(ALICE,),
        priority=5,
    )
    second = Project(
        name="second",
        tasks=(Task("y", duration=5, skills=BE),),
        start=MONDAY,
        resources=(ALICE,),
        calendar=four_days,
    )

    result = plan_portfolio([first, second], options=OPTIONS)

    merged = {t.task_id: (t.start, t.finish) for t in result.plan.tasks}
    assert merged == {"first/x": (0, 5), "second/y": (5, 11)}  # Fri 9 off for y
    own = result.members["second"].scheduled("y")
    assert (own.start, own.finish) == (4, 9)  # on its own Mon-Thu days
    assert second.finish_date(9) == date(2027, 1, 18)
