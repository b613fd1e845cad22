"""Fields real schedules hold: shares of a resource, several links between a
pair, date constraints, notes and custom fields; all survive the document."""

from __future__ import annotations

from typing import Any

import pytest

from domain import ValidationError
from domain.constraint import Constraint, ConstraintType
from domain.document import parse_project, project_from_document
from domain.document_writer import project_to_document

DOCUMENT: dict[str, Any] = {
    "name": "interop",
    "resources": [{"id": "ann", "capacity": 1}],
    "tasks": [
        {"id": "a", "duration": 4, "demands": {"ann": 0.5}, "notes": "first\nline"},
        {
            "id": "b",
            "duration": 2,
            "demands": {"ann": 0.25},
            "constraint": {"type": "FNLT", "day": 9},
            "custom": {"Text1": "north", "Number1": 3.5, "Flag1": True},
        },
        {"id": "c", "duration": 1, "constraint": {"type": "ALAP"}},
    ],
    "dependencies": [
        {"from": "a", "to": "b", "type": "SS", "lag": 1},
        {"from": "a", "to": "b", "type": "FF", "lag": 0},
    ],
}


def test_round_trip_keeps_every_new_field() -> None:
    project = project_from_document(DOCUMENT)
    assert project.task("a").demands == {"ann": 0.5}
    assert project.task("b").timing.constraint == Constraint(ConstraintType.FNLT, 9)
    assert project.task("b").custom["Number1"] == 3.5
    assert [d.id for d in project.dependencies] == ["a->b", "a->b:FF"]
    assert parse_project(project_to_document(project)) == project


def test_the_same_link_twice_is_still_a_duplicate() -> None:
    document = {**DOCUMENT, "dependencies": [{"from": "a", "to": "b"}] * 2}
    with pytest.raises(ValidationError, match="duplicate id 'a->b'"):
        project_from_document(document)


@pytest.mark.parametrize(
    ("constraint", "words"),
    [
        ({"type": "SOON"}, "constraint.type: must be one of ASAP, ALAP"),
        ({"type": "SNET"}, "constraint.day: SNET needs a working day"),
        ({"type": "ALAP", "day": 3}, "constraint.day: ALAP takes no day"),
        ({"type": "MFO", "day": 1}, "must finish on day 1, but it lasts 2 days"),
        ({"type": "FNLT", "day": 1}, "day 1 is before the earliest possible finish"),
    ],
)
def test_bad_constraints_name_the_field(constraint: dict[str, Any], words: str) -> None:
    tasks = [{"id": "a", "duration": 2, "constraint": constraint}]
    with pytest.raises(ValidationError, match=words):
        project_from_document({"name": "x", "tasks": tasks})


@pytest.mark.parametrize(
    ("units", "words"),
    [(0, "must be > 0"), (0.125, "whole percent"), (1.5, "exceed the capacity 1")],
)
def test_bad_shares_name_the_demand(units: float, words: str) -> None:
    tasks = [{"id": "a", "duration": 2, "demands": {"ann": units}}]
    document = {"name": "x", "resources": [{"id": "ann"}], "tasks": tasks}
    with pytest.raises(ValidationError, match=f"tasks\\[a\\].demands.ann: .*{words}"):
        project_from_document(document)
