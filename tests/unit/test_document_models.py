"""The declared body models say what the domain's rules read: the same
fields for each part of the project document, and every bundled document and
example validates against them."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
from pydantic import BaseModel

from domain import document as rules
from domain.reports import PROJECT_EDITABLE_FIELDS
from service.api import document_models as models
from service.api.schemas import EXAMPLE_PROJECT


def declared(model: type[BaseModel]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (models.ProjectDocument, rules.PROJECT_FIELDS),
        (models.Task, rules.TASK_FIELDS),
        (models.Resource, rules.RESOURCE_FIELDS),
        (models.Absence, rules.ABSENCE_FIELDS),
        (models.Dependency, rules.DEPENDENCY_FIELDS),
        (models.Risk, rules.RISK_FIELDS),
        (models.Estimate, rules.ESTIMATE_FIELDS),
        (models.Correlation, rules.CORRELATION_FIELDS),
        (models.ProjectFields, set(PROJECT_EDITABLE_FIELDS)),
        (models.TaskFields, rules.TASK_FIELDS - {"id"}),
        (models.ResourceFields, rules.RESOURCE_FIELDS - {"id"}),
        (models.DependencyFields, rules.DEPENDENCY_FIELDS - {"id"}),
        (models.RiskFields, rules.RISK_FIELDS - {"id"}),
    ],
)
def test_a_model_declares_the_fields_the_domain_reads(
    model: type[BaseModel], fields: set[str]
) -> None:
    assert declared(model) == set(fields)


def test_bundled_documents_are_project_documents() -> None:
    launch = json.loads(files("service.data").joinpath("launch.json").read_text())
    for document in (launch, EXAMPLE_PROJECT):
        models.ProjectDocument.model_validate(document)


def test_an_unknown_field_is_outside_the_model() -> None:
    with pytest.raises(ValueError, match="colour"):
        models.Task.model_validate({"id": "a", "colour": "red"})
