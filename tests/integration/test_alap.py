"""ALAP: a task planned as late as possible without delaying any successor
or the plan's finish (the right shift after the left one), re-checked by
`movable_tasks` the other way round."""

from __future__ import annotations

import dataclasses
from typing import Any

from domain import Project
from domain.document import project_from_document
from scheduler import SolveOptions, solve, validate_plan
from scheduler.plan.justified import movable_tasks

OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)
ALAP = {"type": "ALAP"}


def project(*tasks: dict[str, Any], links: list[tuple[str, str]]) -> Project:
    return project_from_document(
        {
            "name": "alap",
            "start": "2027-01-04",
            "resources": [{"id": "ann", "skills": {"x": 1}}],
            "tasks": list(tasks),
            "dependencies": [{"from": a, "to": b} for a, b in links],
        }
    )


def spans(plan: Any) -> dict[str, tuple[int, int]]:
    return {t.task_id: (t.start, t.finish) for t in plan.tasks}


def test_an_alap_task_ends_when_its_successor_starts() -> None:
    planned = project(
        {"id": "a", "duration": 10},
        {"id": "b", "duration": 3, "constraint": ALAP},
        {"id": "c", "duration": 2},
        {"id": "d", "duration": 2, "constraint": ALAP},
        links=[("a", "c"), ("b", "c")],
    )

    plan = solve(planned, OPTIONS)

    assert spans(plan) == {"a": (0, 10), "b": (7, 10), "c": (10, 12), "d": (10, 12)}
    assert validate_plan(planned, plan) == []
    assert movable_tasks(planned, plan) == []


def test_an_alap_task_keeps_its_person_free_for_the_others() -> None:
    planned = project(
        {"id": "x", "duration": 5, "skills": {"x": 1}},
        {"id": "y", "duration": 3, "skills": {"x": 1}, "constraint": ALAP},
        {"id": "long", "duration": 10},
        {"id": "end", "duration": 1},
        links=[("long", "end"), ("y", "end")],
    )

    plan = solve(planned, OPTIONS)

    assert spans(plan)["y"] == (7, 10)
    assert spans(plan)["x"] == (0, 5)
    assert validate_plan(planned, plan) == []


def test_an_alap_task_left_early_is_named() -> None:
    planned = project(
        {"id": "a", "duration": 10},
        {"id": "b", "duration": 3, "constraint": ALAP},
        {"id": "c", "duration": 2},
        links=[("a", "c"), ("b", "c")],
    )
    plan = solve(planned, OPTIONS)
    early = tuple(
        dataclasses.replace(t, start=0, finish=3) if t.task_id == "b" else t
        for t in plan.tasks
    )

    found = movable_tasks(planned, dataclasses.replace(plan, tasks=early))

    assert found == [
        "task b is as late as possible (ALAP) but could start on day 1 "
        "without delaying anything"
    ]
