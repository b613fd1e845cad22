"""Real CP-SAT solves of what imported schedules hold: shares of a resource,
several links between a pair, date constraints and summary tasks; every plan
re-checked by the independent validator."""

from __future__ import annotations

from typing import Any

import pytest

from domain import Plan, ScheduledTask, SolveStatus
from domain.document import project_from_document
from scheduler import SolveOptions, solve, validate_plan

OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)


def plan_of(document: dict[str, Any]) -> tuple[Plan, dict[str, tuple[int, int]]]:
    project = project_from_document(document)
    plan = solve(project, OPTIONS)
    assert validate_plan(project, plan) == []
    return plan, {t.task_id: (t.start, t.finish) for t in plan.tasks}


def shared(units: list[float], capacity: int = 1) -> dict[str, Any]:
    tasks = [
        {"id": f"t{k}", "duration": 4, "demands": {"ann": share}}
        for k, share in enumerate(units)
    ]
    resources = [{"id": "ann", "capacity": capacity}]
    return {"name": "shares", "resources": resources, "tasks": tasks}


@pytest.mark.parametrize(
    ("units", "makespan"),
    [
        ([0.5, 0.5], 4),
        ([0.5, 0.5, 0.5], 8),
        ([0.25, 0.75, 0.5, 0.5], 8),
        ([0.3] * 3, 4),
    ],
)
def test_shares_of_a_person_run_side_by_side_up_to_a_whole(
    units: list[float], makespan: int
) -> None:
    plan, _ = plan_of(shared(units))
    assert (plan.status, plan.makespan) == (SolveStatus.OPTIMAL, makespan)


def test_the_validator_counts_shares() -> None:
    project = project_from_document(shared([0.5, 0.75]))
    overlapping = Plan(
        SolveStatus.FEASIBLE,
        4,
        4,
        tasks=(ScheduledTask("t0", 0, 4), ScheduledTask("t1", 0, 4)),
    )
    assert validate_plan(project, overlapping) == [
        "resource ann over capacity from day 0: 1.25 units in use, capacity 1 "
        "(tasks t0 (0.5), t1 (0.75))"
    ]


def test_start_and_finish_links_between_one_pair_both_hold() -> None:
    document = {
        "name": "pair",
        "tasks": [{"id": "a", "duration": 5}, {"id": "b", "duration": 2}],
        "dependencies": [
            {"from": "a", "to": "b", "type": "SS", "lag": 1},
            {"from": "a", "to": "b", "type": "FF", "lag": 2},
        ],
    }
    _, spans = plan_of(document)
    assert spans["b"] == (5, 7)  # SS alone allows day 1; FF + 2 needs finish 7


@pytest.mark.parametrize(
    ("constraint", "span"),
    [
        ({"type": "ASAP"}, (3, 5)),
        ({"type": "SNET", "day": 6}, (6, 8)),
        ({"type": "FNET", "day": 9}, (7, 9)),
        ({"type": "MSO", "day": 4}, (4, 6)),
        ({"type": "MFO", "day": 10}, (8, 10)),
        ({"type": "SNLT", "day": 3}, (3, 5)),
        ({"type": "FNLT", "day": 5}, (3, 5)),
    ],
)
def test_each_constraint_places_the_task(
    constraint: dict[str, Any], span: tuple[int, int]
) -> None:
    document = {
        "name": "constrained",
        "tasks": [
            {"id": "a", "duration": 3},
            {"id": "b", "duration": 2, "constraint": constraint},
        ],
        "dependencies": [{"from": "a", "to": "b"}],
    }
    _, spans = plan_of(document)
    assert spans["b"] == span


@pytest.mark.parametrize(
    "constraint", [{"type": "SNLT", "day": 2}, {"type": "MSO", "day": 1}]
)
def test_a_constraint_the_links_cannot_meet_is_infeasible(
    constraint: dict[str, Any],
) -> None:
    document = {
        "name": "too early",
        "tasks": [
            {"id": "a", "duration": 3},
            {"id": "b", "duration": 2, "constraint": constraint},
        ],
        "dependencies": [{"from": "a", "to": "b"}],
    }
    plan = solve(project_from_document(document), OPTIONS)
    assert plan.status is SolveStatus.INFEASIBLE


def test_the_validator_names_a_broken_constraint() -> None:
    document = {
        "name": "c",
        "tasks": [{"id": "b", "duration": 2, "constraint": {"type": "FNLT", "day": 4}}],
    }
    project = project_from_document(document)
    late = Plan(SolveStatus.FEASIBLE, 5, 5, tasks=(ScheduledTask("b", 3, 5),))
    assert "task b finishes on day 5, after its FNLT day 4" in validate_plan(
        project, late
    )


def test_summary_tasks_are_planned_through_their_leaves() -> None:
    document = {
        "name": "outline",
        "resources": [{"id": "crew", "capacity": 1}],
        "tasks": [
            {"id": "design", "duration": 2},
            {"id": "build", "constraint": {"type": "SNET", "day": 3}},
            {"id": "frame", "parent": "build", "duration": 3, "demands": {"crew": 1}},
            {"id": "roof", "parent": "build", "duration": 2, "demands": {"crew": 1}},
            {"id": "paint", "duration": 1},
        ],
        "dependencies": [
            {"from": "design", "to": "build"},
            {"from": "build", "to": "paint"},
        ],
    }
    plan, spans = plan_of(document)
    assert plan.makespan == 9  # 3 (SNET) + 3 + 2 crew days in a row + 1
    assert "build" not in spans
    assert min(spans["frame"][0], spans["roof"][0]) == 3
    assert spans["paint"] == (8, 9)
