"""Summary tasks: leaves inherit links and limits, spans roll up, bad outlines fail."""

from __future__ import annotations

from typing import Any

import pytest

from domain import Plan, ScheduledTask, SolveStatus, ValidationError
from domain.document import project_from_document
from domain.outline import SummarySpan, leaf_project, rollup
from scheduler import SolveOptions, solve, validate_plan

OUTLINE: dict[str, Any] = {
    "name": "outline",
    "tasks": [
        {"id": "build", "deadline": 20},
        {"id": "frame", "parent": "build", "duration": 3},
        {"id": "roof", "parent": "build", "duration": 2},
        {"id": "design", "duration": 4},
        {"id": "paint", "duration": 1},
    ],
    "dependencies": [
        {"from": "design", "to": "build"},
        {"from": "build", "to": "paint", "type": "FF", "lag": 1},
    ],
    "risks": [{"id": "rain", "probability": 0.5, "tasks": ["build"], "impact": 2}],
}


def test_leaf_project_hands_links_limits_and_risks_to_the_leaves() -> None:
    leaves = leaf_project(project_from_document(OUTLINE))
    assert [task.id for task in leaves.tasks] == ["frame", "roof", "design", "paint"]
    links = {
        (d.predecessor, d.successor, d.type.value, d.lag) for d in leaves.dependencies
    }
    assert links == {
        ("design", "frame", "FS", 0),
        ("design", "roof", "FS", 0),
        ("frame", "paint", "FF", 1),
        ("roof", "paint", "FF", 1),
    }
    assert leaves.task("frame").timing.deadline == 20
    assert leaves.task("design").timing.deadline is None
    assert leaves.risks[0].tasks == ("frame", "roof")


def test_rollup_spans_the_leaves() -> None:
    project = project_from_document(OUTLINE)
    plan = Plan(
        SolveStatus.FEASIBLE,
        8,
        8,
        tasks=(
            ScheduledTask("design", 0, 4),
            ScheduledTask("frame", 4, 7),
            ScheduledTask("roof", 5, 7),
            ScheduledTask("paint", 7, 8),
        ),
    )
    assert rollup(project, plan) == [SummarySpan("build", 4, 7)]


def with_tasks(*tasks: dict[str, Any]) -> dict[str, Any]:
    return {"name": "bad", "tasks": list(tasks)}


@pytest.mark.parametrize(
    ("document", "words"),
    [
        (with_tasks({"id": "a", "parent": "zz", "duration": 1}), "unknown task 'zz'"),
        (
            with_tasks({"id": "a", "parent": "b"}, {"id": "b", "parent": "a"}),
            "summary tasks contain each other: a -> b -> a",
        ),
        (
            with_tasks(
                {"id": "s", "duration": 2}, {"id": "a", "parent": "s", "duration": 1}
            ),
            "tasks[s]: is a summary task (it spans its subtasks): give it no duration",
        ),
        (
            with_tasks(
                {"id": "s", "constraint": {"type": "MSO", "day": 3}},
                {"id": "a", "parent": "s", "duration": 1},
            ),
            "only SNET and FNLT constraints can apply to all its leaves",
        ),
        (with_tasks({"id": "a"}), "tasks[a]: needs either a duration or an estimate"),
    ],
)
def test_bad_outlines_name_the_task(document: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError) as raised:
        project_from_document(document)
    assert words in str(raised.value)


def test_progress_under_a_summary_plans_from_the_status_date() -> None:
    """The status date releases unstarted leaves, not their summary: its
    release would hold the leaves already started (as MS Project files with
    progress under summary tasks have)."""
    project = project_from_document(
        {
            "name": "under way",
            "status_date": 5,
            "tasks": [
                {"id": "phase"},
                {
                    "id": "done",
                    "parent": "phase",
                    "duration": 3,
                    "actual_start": 0,
                    "actual_finish": 3,
                },
                {"id": "half", "parent": "phase", "duration": 4, "actual_start": 3},
                {"id": "next", "parent": "phase", "duration": 2},
            ],
            "dependencies": [{"from": "done", "to": "half"}],
        }
    )

    plan = solve(project, SolveOptions(time_limit=2, workers=1, seed=0))

    assert validate_plan(project, plan) == []
    assert plan.starts == {"done": 0, "half": 3, "next": 5}
