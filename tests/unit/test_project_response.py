"""The project read's JSON bytes (service/api/projects.py)."""

from __future__ import annotations

import json
from uuid import uuid4

from eventstore import ProjectState
from service.api.projects import project_response


def test_the_project_answer_is_its_document_with_id_version_and_etag() -> None:
    document = {"name": "Zoë's launch", "tasks": [{"id": "a", "duration": 0.5}]}
    state = ProjectState(uuid4(), 3, document, None)

    answer = project_response(state)

    assert answer.headers["ETag"] == '"3"'
    assert answer.media_type == "application/json"
    assert json.loads(answer.body) == {
        "id": str(state.id),
        "version": 3,
        "committed_plan_id": None,
        **document,
    }


def test_an_integer_beyond_64_bits_is_still_answered() -> None:
    document = {"name": "x", "tasks": [], "custom": {"big": 2**70}}

    answer = project_response(ProjectState(uuid4(), 1, document, None))

    assert json.loads(answer.body)["custom"]["big"] == 2**70
