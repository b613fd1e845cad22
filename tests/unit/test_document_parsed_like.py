"""`parse_project(document, like)` reuses what an edit left alone and gives
exactly what parsing the whole document gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from domain.changes import Change, ChangeAction, EntityKind, apply_change_to_document
from domain.document import parse_project
from domain.document_writer import project_to_document
from eventstore.drafts import draft_for

LAUNCH = Path(__file__).resolve().parents[2] / "service" / "data" / "launch.json"

UPDATE, ADD, REMOVE = ChangeAction.UPDATE, ChangeAction.ADD, ChangeAction.REMOVE
TASK, RESOURCE = EntityKind.TASK, EntityKind.RESOURCE
DEPENDENCY, RISK = EntityKind.DEPENDENCY, EntityKind.RISK
EXTRA = {"id": "extra", "duration": 2}
RISKY = {"id": "late", "probability": 0.2, "tasks": ["extra"], "impact": 3}
EDITS = {
    "task notes": [Change(UPDATE, TASK, "research", {"notes": "moved"})],
    "task duration": [Change(UPDATE, TASK, "research", {"duration": 7})],
    "task added": [Change(ADD, TASK, "extra", EXTRA)],
    "task removed": [Change(REMOVE, TASK, "research")],
    "resource": [Change(UPDATE, RESOURCE, "ana", {"capacity": 2})],
    "link added": [
        Change(ADD, TASK, "extra", EXTRA),
        Change(ADD, DEPENDENCY, "x", {"from": "research", "to": "extra"}),
    ],
    "risk added": [Change(ADD, TASK, "extra", EXTRA), Change(ADD, RISK, "late", RISKY)],
}


@pytest.mark.parametrize("changes", EDITS.values(), ids=EDITS.keys())
def test_a_project_parsed_like_the_one_before_an_edit_is_the_same_project(
    changes: list[Change],
) -> None:
    before = project_to_document(parse_project(json.loads(LAUNCH.read_text())))
    parsed_before = parse_project(before)
    after = draft_for(before, changes)
    for change in changes:
        apply_change_to_document(after, change)

    parsed_like = parse_project(after, (before, parsed_before))

    assert parsed_like == parse_project(after)
    assert before == project_to_document(parsed_before), (
        "the draft changed the original"
    )
    kept = parsed_like.tasks[0]  # kickoff: no edit touches it
    assert kept.id == "kickoff"
    assert kept is parsed_before.tasks[0]
