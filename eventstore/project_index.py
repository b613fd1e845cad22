"""The project index: every project's name and current version, in creation
order, for paged project lists that never load a project."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from eventsourcing.domain import Aggregate

from domain import ValidationError
from eventstore.aggregate import ProjectAggregate
from eventstore.logged import LoggedEvent
from eventstore.readmodels import Events
from eventstore.records import JSONDict


class ProjectIndex:
    """Every project in creation order with its name and current version:
    what a project list shows, without loading any project."""

    name: ClassVar[str] = "project_index"
    reads: ClassVar[Events] = tuple(
        member
        for member in vars(ProjectAggregate).values()
        if isinstance(member, type) and issubclass(member, Aggregate.Event)
    )

    def __init__(self, state: JSONDict | None = None) -> None:
        self.state: JSONDict = state if state is not None else {}

    def apply(self, event: LoggedEvent) -> None:
        if event.type is ProjectAggregate.ProjectCreated:
            self.state[event.project_id] = {"name": event.data["document"]["name"]}
        project = self.state.get(event.project_id)
        if project is None:
            return
        project["version"] = event.originator_version
        if event.data.get("field") == "name" and isinstance(
            event.data.get("value"), str
        ):
            project["name"] = event.data["value"]

    def page(
        self, after: str | None, limit: int, visible: Callable[[str], bool]
    ) -> tuple[list[JSONDict], str | None]:
        """Up to `limit` visible projects after the project `after` (an id),
        and the id to continue after (None on the last page)."""
        ids = list(self.state)
        if after is not None and after not in self.state:
            raise ValidationError.at("cursor", f"no such position {after!r}")
        start = 0 if after is None else ids.index(after) + 1
        rows: list[JSONDict] = []
        for project_id in ids[start:]:
            if not visible(project_id):
                continue
            if len(rows) == limit:
                return rows, rows[-1]["id"]
            rows.append({"id": project_id, **self.state[project_id]})
        return rows, None
