"""A project's size is bounded in the store: a write past `max_tasks` is
refused whole, on every backend."""

from __future__ import annotations

import pytest

from domain import ValidationError
from tests.integration.conftest import Opener
from tests.integration.stores import DOCUMENT, change


def test_a_write_past_max_tasks_is_refused_whole(open_store: Opener) -> None:
    store = open_store()
    store.max_tasks = 3
    project = store.create_project(DOCUMENT, "pat")
    store.change_project(project.id, change("add_task", id="c", duration=1), "pat")
    too_many = [change("add_task", id=name, duration=1) for name in ("d", "e")]
    with pytest.raises(ValidationError, match="tasks: at most 3 tasks per project"):
        store.apply_changes(project.id, too_many, "pat")
    with pytest.raises(ValidationError, match="at most 3 tasks"):
        store.create_project(
            {
                "name": "big",
                "tasks": [{"id": f"t{n}", "duration": 1} for n in range(4)],
            },
            "pat",
        )
    assert store.get_project(project.id).version == 2
