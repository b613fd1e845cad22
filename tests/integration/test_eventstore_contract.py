"""The event-store contract, run against every backend (SQLite, PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from domain import ConcurrencyConflict
from eventstore import ProjectStore
from eventstore.aggregate import ProjectAggregate
from eventstore.application import ProjectApplication
from tests.integration.conftest import Opener
from tests.integration.stores import DOCUMENT, PLAN, change


def hold_saves_until_all_loaded(monkeypatch: pytest.MonkeyPatch, writers: int) -> None:
    """Make every writer wait, loaded and changed, until all are about to save,
    so they truly race for the same next version (a retried save goes on)."""
    barrier = threading.Barrier(writers, timeout=20)
    save = ProjectApplication.save_project
    waited = threading.local()

    def save_when_all_ready(
        self: ProjectApplication, project: ProjectAggregate, *args: Any
    ) -> None:
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        save(self, project, *args)

    monkeypatch.setattr(ProjectApplication, "save_project", save_when_all_ready)


def race(writes: list[Callable[[], object]]) -> list[ConcurrencyConflict | None]:
    """Run the writes on threads at once: None for a win, else the conflict."""

    def attempt(write: Callable[[], object]) -> ConcurrencyConflict | None:
        try:
            write()
        except ConcurrencyConflict as conflict:
            return conflict
        return None

    with ThreadPoolExecutor(max_workers=len(writes)) as pool:
        return list(pool.map(attempt, writes))


class TestProjectStoreContract:
    def test_everything_survives_a_restart(self, open_store: Opener) -> None:
        first = open_store()
        created = first.create_project(DOCUMENT, "alice")
        first.change_project(
            created.id, change("update_task", id="a", duration=12), "bob"
        )
        plan = first.propose_plan(created.id, PLAN, "planner")
        first.commit_plan(created.id, plan.id, "pmo")
        first.record_forecast(created.id, plan.id, 7, 500, {"p80": 17.5}, "nightly")
        before = first.get_project(created.id), first.events(created.id)
        first.close()

        second = open_store()

        assert (second.get_project(created.id), second.events(created.id)) == before
        assert second.project_ids() == [created.id]
        assert second.get_plan(created.id, plan.id).plan == plan.plan
        assert second.committed_plan(created.id) == second.get_plan(created.id, plan.id)
        assert [e.type for e in second.events(created.id)] == [
            "ProjectCreated",
            "TaskUpdated",
            "PlanProposed",
            "PlanCommitted",
            "ForecastRecorded",
        ]

    def test_past_versions_after_a_restart(self, open_store: Opener) -> None:
        first = open_store()
        created = first.create_project(DOCUMENT, "alice")
        first.change_project(created.id, change("remove_task", id="b"), "bob")
        first.close()

        second = open_store()
        second.change_project(created.id, change("add_task", id="c", duration=1), "bob")

        assert second.get_project(created.id, version=1).document == created.document
        tasks_by_version = [
            [
                t["id"]
                for t in second.get_project(created.id, version=v).document["tasks"]
            ]
            for v in (1, 2, 3)
        ]
        assert tasks_by_version == [["a", "b"], ["a"], ["a", "c"]]

    def test_two_blind_writers_racing_are_both_recorded(
        self, open_store: Opener, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        one, other = open_store(), open_store()
        project_id = one.create_project(DOCUMENT, "alice").id
        hold_saves_until_all_loaded(monkeypatch, writers=2)

        outcomes = race(
            [
                lambda: one.change_project(
                    project_id, change("update_task", id="a", duration=11), "bob"
                ),
                lambda: other.change_project(
                    project_id, change("update_task", id="b", duration=13), "carol"
                ),
            ]
        )

        assert outcomes == [None, None]
        assert sorted(e.actor for e in one.events(project_id)) == [
            "alice",
            "bob",
            "carol",
        ]
        project = one.get_project(project_id)
        assert project.version == 3
        assert (
            project.project.task("a").duration,
            project.project.task("b").duration,
        ) == (11, 13)

    def test_threads_racing_with_the_same_expected_version_one_wins(
        self, open_store: Opener, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        store = open_store()
        project_id = store.create_project(DOCUMENT, "alice").id
        writers = 6
        hold_saves_until_all_loaded(monkeypatch, writers)

        def write(n: int) -> Callable[[], object]:
            edit = change("update_task", id="a", duration=20 + n)
            return lambda: store.change_project(
                project_id, edit, f"writer{n}", expected_version=1
            )

        outcomes = race([write(n) for n in range(writers)])

        assert outcomes.count(None) == 1
        conflicts = [o for o in outcomes if o is not None]
        assert {(c.expected_version, c.current_version) for c in conflicts} == {(1, 2)}
        assert store.get_project(project_id).version == 2

    def test_project_ids_survive_refused_writes(
        self, open_store: Opener, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        store = open_store()
        first = store.create_project(DOCUMENT, "alice").id
        hold_saves_until_all_loaded(monkeypatch, writers=3)
        edit = change("remove_task", id="b")
        race(
            [
                lambda: store.change_project(first, edit, "bob", expected_version=1)
                for _ in range(3)
            ]
        )
        monkeypatch.undo()
        second = store.create_project({**DOCUMENT, "name": "Second"}, "alice").id

        assert open_store().project_ids() == [first, second]


def test_the_sqlite_file_and_its_directory_are_created(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "planforge.db"

    with ProjectStore(f"sqlite:///{path}") as store:
        project_id: UUID = store.create_project(DOCUMENT, "alice").id

    assert path.is_file()
    with ProjectStore(f"sqlite:///{path}") as reopened:
        assert reopened.get_project(project_id).version == 1
