"""Task timing fields in the project document v1: parsed, validated, round-tripped."""

from __future__ import annotations

from typing import Any

import pytest

from domain import ValidationError
from domain.document import project_from_document
from domain.document_writer import project_to_document
from domain.timing import Pin, TaskTiming


def document(**task_fields: Any) -> dict[str, Any]:
    return {"name": "p", "tasks": [{"id": "a", "duration": 5, **task_fields}]}


def test_old_documents_load_without_timing() -> None:
    project = project_from_document(document())
    assert project.tasks[0].timing == TaskTiming()


def test_every_timing_field_is_read_and_written_back() -> None:
    fields = {
        "release": 2,
        "deadline": 20,
        "due": 15,
        "tardiness_weight": 3,
        "pin": {"earliest": 2, "latest": 6},
        "actual_start": 3,
    }
    project = project_from_document(document(**fields))

    assert project.tasks[0].timing == TaskTiming(2, 20, 15, 3, Pin(2, 6), 3)
    assert project_to_document(project)["tasks"][0] == {
        "id": "a",
        "duration": 5,
        **fields,
    }


def test_pin_to_a_start_round_trips_as_start() -> None:
    project = project_from_document(document(pin={"start": 4}))
    assert project.tasks[0].timing.pin == Pin(4, 4)
    assert project_to_document(project)["tasks"][0]["pin"] == {"start": 4}


def test_a_finished_task_lasts_its_actual_days() -> None:
    project = project_from_document(document(actual_start=1, actual_finish=9))
    assert project.tasks[0].planned_duration == 8


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"release": -1}, "tasks[a].release", "must be >= 0"),
        ({"deadline": 2.5}, "tasks[a].deadline", "whole number"),
        ({"due": "soon"}, "tasks[a].due", "working day number"),
        ({"pin": {"start": 1, "latest": 3}}, "tasks[a].pin", "either start"),
        ({"pin": {"when": 1}}, "tasks[a].pin.when", "unknown field"),
        ({"pin": {"earliest": 5, "latest": 3}}, "tasks[a].pin", "after latest"),
        ({"actual_finish": 4}, "tasks[a].actual_finish", "needs an actual_start"),
        (
            {"actual_start": 4, "actual_finish": 2},
            "tasks[a].actual_finish",
            "before actual_start",
        ),
        ({"deadline": 3}, "tasks[a].deadline", "earliest possible finish"),
        ({"release": 6, "pin": {"start": 4}}, "tasks[a]", "cannot start"),
    ],
)
def test_bad_timing_is_rejected_naming_the_field(
    fields: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        project_from_document(document(**fields))
    problems = raised.value.problems
    assert any(p.field == field and message in p.message for p in problems), problems
