"""Project templates: a project document kept to start new projects from
(its stages ending in gate milestones), recorded once as TemplateCreated."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.document import project_from_document
from domain.document_writer import project_to_document
from eventstore.records import JSONDict, plain_json
from eventstore.rules import check_actor


class ProjectTemplate(Aggregate):
    """A validated project document, without the fields a project gives it
    (name and start are given when a project is made from it)."""

    @classmethod
    def create(cls, document: Mapping[str, Any], actor: str) -> ProjectTemplate:
        check_actor(actor)
        project = project_from_document(plain_json(dict(document), "document"))
        return cls(document=project_to_document(project), actor=actor)

    class TemplateCreated(Aggregate.Created):
        document: JSONDict
        actor: str

    @event(TemplateCreated)
    def __init__(self, document: JSONDict, actor: str) -> None:
        self.document = copy.deepcopy(document)
        self.actor = actor
