"""What edits, version diffs and the audit trail answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ItemChanged(BaseModel):
    """An edit's answer: the item and the project's new version (also `ETag`)."""

    id: str
    version: int


class ChangesApplied(BaseModel):
    id: str = Field(description="the project")
    version: int
    applied: int = Field(description="changes applied, one event each")


class FieldChange(BaseModel):
    from_value: Any = Field(alias="from")
    to_value: Any = Field(alias="to")


class ItemChange(BaseModel):
    id: str
    fields: dict[str, FieldChange]


class CollectionDiff(BaseModel):
    added: list[dict[str, Any]] = Field(description="whole items")
    removed: list[dict[str, Any]]
    changed: list[ItemChange]


class DiffOut(BaseModel):
    """What changed from one version to another."""

    from_version: int = Field(alias="from")
    to_version: int = Field(alias="to")
    project: dict[str, FieldChange] = Field(description="top-level fields changed")
    tasks: CollectionDiff
    resources: CollectionDiff
    dependencies: CollectionDiff
    risks: CollectionDiff


class EventOut(BaseModel):
    """One recorded event, with who, when and why."""

    version: int
    type: str = Field(examples=["TaskUpdated"])
    timestamp: str
    actor: str
    reason: str | None
    data: dict[str, Any] = Field(description="the event's fields, by its type")


class ProjectEventOut(EventOut):
    project_id: str


class EventPage(BaseModel):
    events: list[ProjectEventOut]
    next_after: int = Field(description="pass as `after` for the next page")
