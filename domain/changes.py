"""Changes to a project: add, update or remove a task, resource, dependency or risk.

One `Change` type serves the HTTP edits, what-if scenarios and event replay.
`apply_change_to_document` is the one definition of what a change does: it
edits a normalised v1 document in place, parsing only the entity it touches, so
event replay costs about the same per event however big the project is.
`apply_change` is the same on a `Project`. Both are structural (they do not
judge the whole project), so that replaying a recorded change never fails;
callers that accept new input run `validation.validate_project` on the result
before anything is recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from domain.document import (
    parse_dependency,
    parse_project,
    parse_resource,
    parse_risk,
    parse_task,
)
from domain.document_writer import (
    Document,
    dependency_to_document,
    project_to_document,
    resource_to_document,
    risk_to_document,
    task_to_document,
)
from domain.errors import NotFound, ValidationError
from domain.model import Project


class ChangeAction(StrEnum):
    ADD = "add"
    UPDATE = "update"
    REMOVE = "remove"


class EntityKind(StrEnum):
    TASK = "task"
    RESOURCE = "resource"
    DEPENDENCY = "dependency"
    RISK = "risk"

    @property
    def collection(self) -> str:
        return "dependencies" if self is EntityKind.DEPENDENCY else f"{self.value}s"


PARSERS: dict[EntityKind, Callable[[Any, str], Any]] = {
    EntityKind.TASK: parse_task,
    EntityKind.RESOURCE: parse_resource,
    EntityKind.DEPENDENCY: parse_dependency,
    EntityKind.RISK: parse_risk,
}
TO_DOCUMENT: dict[EntityKind, Callable[[Any], Document]] = {
    EntityKind.TASK: task_to_document,
    EntityKind.RESOURCE: resource_to_document,
    EntityKind.DEPENDENCY: dependency_to_document,
    EntityKind.RISK: risk_to_document,
}


@dataclass(frozen=True)
class Change:
    """One edit. For `add`, `fields` is the whole entity document; for
    `update`, the fields to replace; for `remove`, nothing."""

    action: ChangeAction
    kind: EntityKind
    id: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.action.value}_{self.kind.value}"

    def to_dict(self) -> Document:
        return {"action": self.name, "id": self.id, **self.fields}


def change_from_dict(data: Any, where: str = "change") -> Change:
    """Read `{"action": "update_task", "id": "b", ...fields}` (scenario format)."""
    if not isinstance(data, Mapping):
        raise ValidationError.at(where, "expected a JSON object")
    action_name = data.get("action")
    actions = [f"{a.value}_{k.value}" for a in ChangeAction for k in EntityKind]
    if action_name not in actions:
        raise ValidationError.at(
            f"{where}.action", f"must be one of {', '.join(actions)}"
        )
    action_text, kind_text = str(action_name).split("_", 1)
    action, kind = ChangeAction(action_text), EntityKind(kind_text)
    fields = {k: v for k, v in data.items() if k != "action"}
    if action is ChangeAction.ADD:
        entity = PARSERS[kind](fields, where)
        return Change(action, kind, entity.id, fields)
    entity_id = fields.pop("id", None)
    if not isinstance(entity_id, str) or not entity_id:
        raise ValidationError.at(f"{where}.id", f"required: which {kind.value}")
    if action is ChangeAction.REMOVE:
        fields = {}
    return Change(action, kind, entity_id, fields)


def apply_change(project: Project, change: Change) -> Project:
    """The project after `change`; raises NotFound or ValidationError."""
    doc = project_to_document(project)
    apply_change_to_document(doc, change)
    return parse_project(doc)


def apply_change_to_document(doc: Document, change: Change) -> None:
    """Apply `change` in place to a normalised v1 document (as
    `project_to_document` makes it); the edited entity is normalised too, so
    the result equals `project_to_document(apply_change(...))`. Raises
    NotFound or ValidationError, leaving `doc` unchanged."""
    items: list[Document] = doc[change.kind.collection]
    index = _find(items, change.kind, change.id)
    if change.action is ChangeAction.ADD:
        if index is not None:
            raise ValidationError.at(
                f"{change.kind.collection}[{change.id}]",
                f"a {change.kind.value} with id {change.id!r} already exists",
            )
        items.append(_normalised(change.kind, change.fields))
    elif index is None:
        raise NotFound(
            f"no {change.kind.value} {change.id!r} in project {doc['name']!r}"
        )
    elif change.action is ChangeAction.UPDATE:
        items[index] = _normalised(change.kind, _updated(items[index], change))
    else:
        del items[index]
        _cascade_removal(doc, change)


def _normalised(kind: EntityKind, data: Mapping[str, Any]) -> Document:
    """The entity as `project_to_document` writes it (checks its shape)."""
    return TO_DOCUMENT[kind](PARSERS[kind](data, kind.collection))


def _find(items: list[Document], kind: EntityKind, wanted: str) -> int | None:
    if kind is not EntityKind.DEPENDENCY:  # the hot path of replay: plain ids
        return next((i for i, item in enumerate(items) if item["id"] == wanted), None)
    for index, item in enumerate(items):
        if item_id(item, kind) == wanted:
            return index
    return None


def item_id(item: Document, kind: EntityKind) -> str:
    """An entity's id in a document (a dependency without one: `from->to`)."""
    if kind is EntityKind.DEPENDENCY:
        return str(item.get("id") or f"{item['from']}->{item['to']}")
    return str(item["id"])


def _updated(item: Document, change: Change) -> Document:
    if "id" in change.fields and change.fields["id"] != change.id:
        raise ValidationError.at(
            f"{change.kind.collection}[{change.id}].id", "an id cannot be changed"
        )
    updated = {**item, **change.fields}
    if change.kind is EntityKind.TASK:
        # A task holds either a duration or an estimate: setting one drops the other.
        if "duration" in change.fields and "estimate" not in change.fields:
            updated.pop("estimate", None)
        if "estimate" in change.fields and "duration" not in change.fields:
            updated.pop("duration", None)
    if change.kind is EntityKind.DEPENDENCY and "id" not in item:
        updated["id"] = change.id  # keep its identity if from/to are edited
    return {k: v for k, v in updated.items() if v is not None}


def _cascade_removal(doc: Document, change: Change) -> None:
    """Removing a task drops its dependencies and its place in risks; removing a
    resource drops the demands on it (as scheduling tools do)."""
    if change.kind is EntityKind.TASK:
        doc["dependencies"] = [
            d for d in doc["dependencies"] if change.id not in (d["from"], d["to"])
        ]
        for risk in doc["risks"]:
            risk["tasks"] = [t for t in risk["tasks"] if t != change.id]
        doc["risks"] = [r for r in doc["risks"] if r["tasks"]]
    if change.kind in (EntityKind.TASK, EntityKind.RISK):
        _drop_from_correlations(doc, change.kind.collection, change.id)
    if change.kind is EntityKind.RESOURCE:
        for task in doc["tasks"]:
            demands = task.get("demands", {})
            if demands.pop(change.id, None) is not None and not demands:
                del task["demands"]  # normalised documents omit empty demands


def _drop_from_correlations(doc: Document, collection: str, member: str) -> None:
    """A removed task or risk leaves its correlation groups (and a group left
    with fewer than two members goes)."""
    kept = []
    for group in doc.get("correlations", []):
        group[collection] = [m for m in group.get(collection, []) if m != member]
        if len(group.get("tasks", [])) + len(group.get("risks", [])) >= 2:
            kept.append(group)
    if "correlations" in doc:
        doc["correlations"] = kept
