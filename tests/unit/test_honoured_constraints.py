"""Date constraints honoured over links (`domain.honoured`), as MS Project
does by default; planforge's own documents keep both hard.

The case is MPXJ's slack9.mpp in small: a must-finish-on milestone on day 14
behind a chain of three 5-day tasks, which lets it finish on day 15 at the
earliest. MS Project keeps the milestone on its day, breaks the last link by
a day and shows a day of negative slack on the chain.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain import Dependency, Plan, Project, ScheduledTask, SolveStatus, Task
from domain.constraint import Constraint, ConstraintType
from domain.honoured import link_relaxations
from domain.timing import TaskTiming
from formats.mspdi_read import read_mspdi
from formats.mspdi_write import write_mspdi
from scheduler import SolveOptions, solve, validate_plan

OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)
WARNING = (
    "link c->m (FS, lag 0) is not kept by 1 day: task 'm' keeps its MFO day 14 "
    "(constraints are honoured over links, as in MS Project), 1 day of negative "
    "slack on a -> b -> c -> m"
)


def chain(constraint: Constraint, over_links: bool = True) -> Project:
    tasks = (
        Task("a", 5),
        Task("b", 5),
        Task("c", 5),
        Task("m", 0, timing=TaskTiming(constraint=constraint)),
        Task("after", 2),
    )
    links = (
        Dependency("a", "b"),
        Dependency("b", "c"),
        Dependency("c", "m"),
        Dependency("m", "after"),
    )
    return Project(
        "slack", tasks, dependencies=links, constraints_over_links=over_links
    )


MFO = Constraint(ConstraintType.MFO, 14)


def spans(plan: Plan) -> dict[str, tuple[int, int]]:
    return {t.task_id: (t.start, t.finish) for t in plan.tasks}


def test_the_constraint_wins_and_the_broken_link_is_a_warning() -> None:
    project = chain(MFO)
    plan = solve(project, OPTIONS)
    assert plan.status is SolveStatus.OPTIMAL
    assert spans(plan) == {
        "a": (0, 5),
        "b": (5, 10),
        "c": (10, 15),
        "m": (14, 14),
        "after": (14, 16),
    }
    assert plan.warnings == (WARNING,)
    assert validate_plan(project, plan) == []


@pytest.mark.parametrize(
    ("constraint", "milestone", "days"),
    [
        (Constraint(ConstraintType.MSO, 13), 13, 2),
        (Constraint(ConstraintType.SNLT, 12), 12, 3),
        (Constraint(ConstraintType.FNLT, 14), 14, 1),
        (Constraint(ConstraintType.SNLT, 20), 15, 0),  # no conflict: links rule
    ],
)
def test_every_no_later_and_must_on_date_is_honoured(
    constraint: Constraint, milestone: int, days: int
) -> None:
    project = chain(constraint)
    relaxed = {r.dependency.id: r.days for r in link_relaxations(project)}
    assert relaxed == ({"c->m": days} if days else {})
    plan = solve(project, OPTIONS)
    assert plan.scheduled("m").start == milestone
    assert validate_plan(project, plan) == []


def test_planforge_documents_keep_links_and_constraints_hard() -> None:
    plan = solve(chain(MFO, over_links=False), OPTIONS)
    assert plan.status is SolveStatus.INFEASIBLE
    assert "the chain a (5 d) -> b (5 d) -> c (5 d) -> m" in plan.conflicts[0]


def test_the_validator_accepts_a_broken_link_only_as_relaxed_and_warned() -> None:
    project = chain(MFO)
    plan = solve(project, OPTIONS)
    silent = replace(plan, warnings=())
    assert validate_plan(project, silent) == [
        "link c->m may be broken by 1 day for task m's date, but no warning says so"
    ]
    tasks = tuple(
        ScheduledTask("c", 11, 16) if t.task_id == "c" else t for t in plan.tasks
    )
    further = replace(plan, tasks=tasks, makespan=16)
    assert any(
        v.startswith("dependency c->m (FS, lag -1) broken")
        for v in validate_plan(project, further)
    )


@pytest.mark.parametrize(
    ("element", "over_links"),
    [(b"", True), (b"<HonorConstraints>1</HonorConstraints>", True),
     (b"<HonorConstraints>0</HonorConstraints>", False)],
)  # fmt: skip
def test_mspdi_honor_constraints_maps_both_ways(
    element: bytes, over_links: bool
) -> None:
    """Absent, the schema's default (on) applies."""
    data = (
        b"<Project xmlns='http://schemas.microsoft.com/project'>"
        b"<StartDate>2027-01-04T08:00:00</StartDate>" + element + b"<Tasks><Task>"
        b"<UID>1</UID><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>"
        b"</Task></Tasks></Project>"
    )
    project = read_mspdi(data).project
    assert project.constraints_over_links is over_links
    again = read_mspdi(write_mspdi(project, None)).project
    assert again.constraints_over_links is over_links


def test_a_link_from_a_summary_task_is_relaxed_on_its_leaves() -> None:
    """The phase (a, b, c in a row, 15 days) links to the milestone: its
    leaves' links are what the solver and the validator both relax."""
    project = chain(MFO)
    below = [replace(t, parent="phase") if t.id in "abc" else t for t in project.tasks]
    tasks = (Task("phase"), *below)
    links = tuple(d for d in project.dependencies if d.id != "c->m")
    project = replace(
        project, tasks=tasks, dependencies=(*links, Dependency("phase", "m"))
    )
    plan = solve(project, OPTIONS)
    assert validate_plan(project, plan) == []
    assert plan.scheduled("m").start == 14
    assert [w.split(":")[0] for w in plan.warnings] == [
        "link phase->m|c>m (FS, lag 0) is not kept by 1 day"  # its leaf link
    ]
