"""Stage gates in plans and forecasts: gated work after the approval, and
never before the status date while the gate waits."""

from __future__ import annotations

import pytest

from domain import Dependency, Project, Task
from domain.errors import GateClosed
from domain.gates import approvable, check_new_actuals
from domain.timing import TaskTiming
from scheduler import solve
from simulation import forecast


def staged(design: TaskTiming, gate: TaskTiming, status: int) -> Project:
    tasks = (
        Task("design", 5, timing=design),
        Task("review", 0, gate=True, timing=gate),
        Task("build", 10),
    )
    links = (Dependency("design", "review"), Dependency("review", "build"))
    return Project("p", tasks, dependencies=links, status_date=status)


DONE = TaskTiming(actual_start=0, actual_finish=5)


@pytest.mark.parametrize(
    ("gate", "status", "build_start"),
    [(TaskTiming(), 9, 9), (TaskTiming(actual_start=7, actual_finish=7), 7, 7)],
    ids=["waiting: not before the status date", "approved on day 7"],
)
def test_gated_work_follows_the_approval(
    gate: TaskTiming, status: int, build_start: int
) -> None:
    project = staged(DONE, gate, status=status)
    plan = solve(project)
    starts = {t.task_id: t.start for t in plan.tasks}
    assert starts["build"] == build_start
    result = forecast(project, plan, 200, seed=1)
    assert result.duration.p10 == result.duration.p95 == build_start + 10


def test_work_after_an_old_approval_still_starts_from_the_status_date() -> None:
    project = staged(DONE, TaskTiming(actual_start=7, actual_finish=7), status=20)
    plan = solve(project)
    assert {t.task_id: t.start for t in plan.tasks}["build"] == 20


def test_approval_needs_the_stage_finished() -> None:
    with pytest.raises(GateClosed, match=r"its stage is unfinished \(design\)"):
        approvable(staged(TaskTiming(), TaskTiming(), status=3), "review")
    assert approvable(staged(DONE, TaskTiming(), status=6), "review") == 6


def test_no_actual_start_behind_a_closed_gate() -> None:
    before = staged(DONE, TaskTiming(), status=9)
    build = Task("build", 10, timing=TaskTiming(actual_start=8))
    after = Project(
        "p",
        (before.tasks[0], before.tasks[1], build),
        dependencies=before.dependencies,
        status_date=9,
    )
    with pytest.raises(GateClosed, match="behind the stage gate 'review'"):
        check_new_actuals(before, after)
