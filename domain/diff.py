"""What changed between two versions of a project document, field by field.

Works on normalised v1 documents (as `project_to_document` writes them), so
equal projects give an empty diff and every difference is a real one.
"""

from __future__ import annotations

from typing import Any

from domain.changes import EntityKind, item_id
from domain.document_writer import Document

PROJECT_FIELDS = ("name", "start", "deadline", "calendar")


def diff_documents(before: Document, after: Document) -> Document:
    """`project`: top-level fields changed; per collection (`tasks`,
    `resources`, `dependencies`, `risks`): the entities `added` and `removed`
    (whole), and those `changed` with each field's `from` and `to`."""
    result: Document = {"project": field_changes(before, after, PROJECT_FIELDS)}
    for kind in EntityKind:
        result[kind.collection] = _collection_diff(
            before.get(kind.collection, []), after.get(kind.collection, []), kind
        )
    return result


def field_changes(
    before: Document, after: Document, fields: Any = None
) -> dict[str, dict[str, Any]]:
    """{field: {"from": old, "to": new}} for fields whose values differ; a
    missing field reads as None."""
    names = fields if fields is not None else sorted(set(before) | set(after))
    return {
        name: {"from": before.get(name), "to": after.get(name)}
        for name in names
        if before.get(name) != after.get(name)
    }


def is_empty(diff: Document) -> bool:
    """True when the two versions hold the same project."""
    return not diff["project"] and not any(
        part["added"] or part["removed"] or part["changed"]
        for key, part in diff.items()
        if key != "project"
    )


def _collection_diff(
    before: list[Document], after: list[Document], kind: EntityKind
) -> Document:
    old = {item_id(item, kind): item for item in before}
    new = {item_id(item, kind): item for item in after}
    return {
        "added": [new[key] for key in new if key not in old],
        "removed": [old[key] for key in old if key not in new],
        "changed": [
            {"id": key, "fields": field_changes(old[key], new[key])}
            for key in new
            if key in old and old[key] != new[key]
        ],
    }
