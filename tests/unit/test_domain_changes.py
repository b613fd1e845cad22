"""Changes (the scenario and HTTP edit format) applied to a project."""

from __future__ import annotations

import pytest

from domain import NotFound, Project, ValidationError
from domain.changes import (
    Change,
    ChangeAction,
    EntityKind,
    apply_change,
    apply_change_to_document,
    change_from_dict,
)
from domain.document import project_from_document
from domain.document_writer import project_to_document
from domain.validation import validate_project


@pytest.fixture
def project() -> Project:
    return project_from_document(
        {
            "name": "p",
            "resources": [{"id": "crane", "capacity": 1}],
            "tasks": [
                {"id": "a", "duration": 2, "demands": {"crane": 1}},
                {
                    "id": "b",
                    "estimate": {"optimistic": 1, "most_likely": 2, "pessimistic": 4},
                },
            ],
            "dependencies": [{"from": "a", "to": "b"}],
            "risks": [{"id": "r", "probability": 0.2, "tasks": ["b"], "impact": 3}],
        }
    )


def apply(project: Project, data: dict[str, object]) -> Project:
    return apply_change(project, change_from_dict(data))


def test_change_from_dict_reads_action_kind_and_id() -> None:
    change = change_from_dict({"action": "update_task", "id": "b", "duration": 9})
    assert (change.action, change.kind, change.id) == (
        ChangeAction.UPDATE,
        EntityKind.TASK,
        "b",
    )
    assert change.fields == {"duration": 9}
    assert change.to_dict() == {"action": "update_task", "id": "b", "duration": 9}


def test_unknown_action_lists_the_allowed_ones() -> None:
    with pytest.raises(ValidationError, match=r"changes\[0\].action: must be one of"):
        change_from_dict({"action": "rename_task"}, "changes[0]")


def test_add_task(project: Project) -> None:
    after = apply(project, {"action": "add_task", "id": "c", "duration": 4})
    assert after.task("c").duration == 4


def test_add_duplicate_is_refused(project: Project) -> None:
    with pytest.raises(ValidationError, match="already exists"):
        apply(project, {"action": "add_task", "id": "a", "duration": 4})


def test_update_swaps_estimate_for_duration(project: Project) -> None:
    after = apply(project, {"action": "update_task", "id": "b", "duration": 9})
    assert after.task("b").duration == 9
    assert after.task("b").estimate is None


def test_update_cannot_rename(project: Project) -> None:
    change = Change(ChangeAction.UPDATE, EntityKind.TASK, "b", {"id": "c"})
    with pytest.raises(
        ValidationError, match=r"tasks\[b\].id: an id cannot be changed"
    ):
        apply_change(project, change)


def test_unknown_field_names_the_task(project: Project) -> None:
    with pytest.raises(ValidationError, match=r"tasks\[b\].duraton: unknown field"):
        apply(project, {"action": "update_task", "id": "b", "duraton": 1})


def test_update_of_missing_task_is_not_found(project: Project) -> None:
    with pytest.raises(NotFound, match="no task 'zz'"):
        apply(project, {"action": "update_task", "id": "zz", "duration": 1})


def test_remove_task_drops_its_dependencies_and_risk_links(project: Project) -> None:
    after = apply(project, {"action": "remove_task", "id": "b"})
    assert [t.id for t in after.tasks] == ["a"]
    assert after.dependencies == ()
    assert after.risks == ()
    validate_project(after)


def test_remove_resource_drops_demands_on_it(project: Project) -> None:
    after = apply(project, {"action": "remove_resource", "id": "crane"})
    assert after.task("a").demands == {}


def test_update_dependency_by_its_id(project: Project) -> None:
    after = apply(
        project, {"action": "update_dependency", "id": "a->b", "type": "SS", "lag": -1}
    )
    assert (after.dependencies[0].type.value, after.dependencies[0].lag) == ("SS", -1)


def test_changes_leave_the_original_untouched(project: Project) -> None:
    before = project_to_document(project)
    apply(project, {"action": "remove_task", "id": "a"})
    assert project_to_document(project) == before


def test_an_invalid_result_is_caught_by_validation(project: Project) -> None:
    after = apply(project, {"action": "add_dependency", "from": "b", "to": "a"})
    with pytest.raises(
        ValidationError, match=r"a cycle no schedule can keep .*: a -> b -> a"
    ):
        validate_project(after)


EDITS = [
    {"action": "add_task", "id": "c", "duration": 3.0, "demands": {"crane": 1}},
    {"action": "update_task", "id": "b", "duration": 5},
    {
        "action": "update_task",
        "id": "c",
        "estimate": {"optimistic": 1, "most_likely": 2, "pessimistic": 3},
    },
    {"action": "add_dependency", "from": "b", "to": "c", "lag": -1},
    {"action": "update_dependency", "id": "b->c", "to": "a"},
    {"action": "add_resource", "id": "pat", "skills": {"qa": 2}},
    {"action": "remove_resource", "id": "crane"},
    {"action": "update_risk", "id": "r", "tasks": ["a", "b"]},
    {"action": "remove_task", "id": "b"},
]


def test_document_application_equals_whole_project_application(
    project: Project,
) -> None:
    """Replay edits the normalised dict in place; the result must be exactly
    what re-parsing and re-writing the whole project gives."""
    doc = project_to_document(project)
    for data in EDITS:
        change = change_from_dict(data)
        project = apply_change(project, change)
        apply_change_to_document(doc, change)
        assert doc == project_to_document(project), data


def test_document_application_leaves_the_document_alone_on_error(
    project: Project,
) -> None:
    doc = project_to_document(project)
    before = project_to_document(project)
    with pytest.raises(ValidationError, match="duration"):
        apply_change_to_document(
            doc, change_from_dict({"action": "update_task", "id": "a", "duration": "x"})
        )
    assert doc == before
