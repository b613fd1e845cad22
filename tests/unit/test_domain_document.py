"""The project document v1: parsing, round trips and precise errors."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from domain import DependencyType, Distribution, Estimate, ValidationError
from domain.document import project_from_document
from domain.document_writer import project_to_document

DESIGN_EXAMPLE: dict[str, Any] = {
    "name": "Launch",
    "start": "2027-01-04",
    "deadline": 60,
    "calendar": {
        "workdays": ["Mon", "Tue", "Wed", "Thu", "Fri"],
        "holidays": ["2027-01-01"],
    },
    "resources": [
        {"id": "crane", "capacity": 1},
        {"id": "alice", "capacity": 1, "skills": {"backend": 3}},
    ],
    "tasks": [
        {"id": "a", "duration": 10},
        {
            "id": "b",
            "estimate": {
                "optimistic": 4,
                "most_likely": 6,
                "pessimistic": 12,
                "distribution": "pert",
            },
            "demands": {"crane": 1},
            "skills": {"backend": 2},
        },
    ],
    "dependencies": [{"from": "a", "to": "b", "type": "FS", "lag": 0}],
    "risks": [{"id": "r1", "probability": 0.3, "tasks": ["b"], "impact": 5}],
}


def problem_text(document: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        project_from_document(document)
    return str(caught.value)


def with_changes(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(DESIGN_EXAMPLE)
    document.update(changes)
    return document


def test_design_example_parses_into_domain_objects() -> None:
    project = project_from_document(DESIGN_EXAMPLE)

    assert project.start == date(2027, 1, 4)
    assert project.deadline == 60
    assert project.task("b").estimate == Estimate(4, 6, 12, Distribution.PERT)
    assert project.task("b").planned_duration == 6
    assert project.task("b").demands == {"crane": 1}
    assert project.dependencies[0].type is DependencyType.FS
    assert project.dependencies[0].id == "a->b"
    assert [r.id for r in project.qualified_people(project.task("b"))] == ["alice"]


def test_document_round_trips() -> None:
    project = project_from_document(DESIGN_EXAMPLE)
    assert project_from_document(project_to_document(project)) == project


def test_a_calendar_counting_periods_of_a_day_round_trips() -> None:
    document = {
        "name": "x",
        "start": "2027-01-04",
        "calendar": {"workdays": ["Mon"], "periods_per_day": 16, "start_period": 2},
        "tasks": [{"id": "a", "duration": 15}],
    }
    project = project_from_document(document)
    assert (project.calendar.periods_per_day, project.calendar.start_period) == (16, 2)
    assert project_to_document(project)["calendar"]["periods_per_day"] == 16
    assert project_from_document(project_to_document(project)) == project
    assert project.finish_date(15) == date(2027, 1, 11)
    plain = project_to_document(project_from_document(DESIGN_EXAMPLE))
    assert "periods_per_day" not in plain["calendar"]  # whole days: as before


def test_only_name_and_tasks_are_required() -> None:
    project = project_from_document(
        {"name": "x", "tasks": [{"id": "a", "duration": 1}]}
    )
    assert project.resources == ()
    assert project.start is None


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"tasks": []}, "name: required"),
        ({"name": "x"}, "tasks: required"),
        (
            {"name": "x", "tasks": [{"id": "a"}]},
            "tasks[a]: needs either a duration or an estimate",
        ),
        (
            {"name": "x", "tasks": [{"id": "a", "duration": "ten"}]},
            "tasks[a].duration: expected a number",
        ),
        (
            {"name": "x", "tasks": [{"id": "a", "duraton": 3}]},
            "tasks[a].duraton: unknown field",
        ),
        ({"name": "x", "tasks": [{"id": "", "duration": 3}]}, "tasks[0].id: required"),
        (
            {"name": "x", "start": "04/01/2027", "tasks": []},
            "start: expected an ISO date",
        ),
        (
            {
                "name": "x",
                "tasks": [
                    {
                        "id": "a",
                        "duration": 1,
                        "estimate": {
                            "optimistic": 1,
                            "most_likely": 2,
                            "pessimistic": 3,
                        },
                    }
                ],
            },
            "tasks[a]: needs either a duration or an estimate",
        ),
        (
            {
                "name": "x",
                "calendar": {"periods_per_day": 4, "start_period": 4},
                "tasks": [{"id": "a", "duration": 1}],
            },
            "calendar.start_period: must be below periods_per_day (4)",
        ),
        (
            {
                "name": "x",
                "tasks": [
                    {"id": "a", "duration": 1, "calendar": {"periods_per_day": 8}}
                ],
            },
            "calendar.periods_per_day: only the project's calendar sets the time",
        ),
        (  # found by schemathesis: a JSON object as the type was a 500
            {
                "name": "x",
                "tasks": [{"id": "a", "duration": 1}],
                "dependencies": [{"from": "a", "to": "a", "type": {}}],
            },
            "dependencies[0].type: must be one of FS, SS, FF, SF",
        ),
    ],
)
def test_shape_errors_name_the_field(document: Any, expected: str) -> None:
    assert expected in problem_text(document)


def test_unknown_distribution_is_named() -> None:
    document = with_changes(
        tasks=[
            {
                "id": "a",
                "estimate": {
                    "optimistic": 1,
                    "most_likely": 2,
                    "pessimistic": 3,
                    "distribution": "normal",
                },
            }
        ]
    )
    assert "tasks[a].estimate.distribution: must be one of" in problem_text(document)


def test_a_document_must_be_an_object() -> None:
    assert "expected a JSON object" in problem_text(["not", "a", "project"])


def test_times_in_periods_are_bounded_in_working_days() -> None:
    def document(duration: int) -> dict[str, Any]:
        return {
            "name": "x",
            "calendar": {"periods_per_day": 8},
            "tasks": [{"id": "a", "duration": duration}],
        }

    assert project_from_document(document(800_000)).tasks[0].duration == 800_000
    assert (
        "tasks[a].duration: must be within +-100,000 days (800,000 periods)"
        in problem_text(document(800_001))
    )
