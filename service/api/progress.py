"""Following a project through execution: project fields and progress reports."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from eventstore import ProjectState
from service.api.contract import checked_body
from service.api.deps import (
    ActorDep,
    ExpectedVersionDep,
    JSONObjectDep,
    PlanforgeDep,
    WriteDep,
)
from service.api.document_models import ProjectFields
from service.api.schemas import Integer
from service.progress import out_of_sequence_rows

Number = int | float  # as the health view computes it (no float coercion)

router = APIRouter(prefix="/projects/{project_id}", tags=["progress"])


class OutOfSequence(BaseModel):
    """A task that started before its FS predecessor finished (accepted)."""

    dependency: str
    predecessor: str
    successor: str
    message: str


class ProjectChanged(BaseModel):
    id: UUID
    version: int = Field(description="the project's new version (also the ETag)")
    changed: list[str] = Field(description="fields changed, one event each")


class ProgressRecorded(BaseModel):
    id: UUID
    version: int = Field(description="the project's new version (also the ETag)")
    status_date: str | int | None
    reported: list[str] = Field(description="tasks reported, one event each")
    out_of_sequence: list[OutOfSequence]


class StaleTaskView(BaseModel):
    task_id: str
    last_report: int = Field(description="working-day time of the last report")
    days_silent: int


class HealthAnswer(BaseModel):
    """Earned value against the committed baseline at the status date (PMI
    definitions, see domain.evm), the latest P80, stale and out-of-sequence
    work, and the RAG rating with its reasons."""

    id: UUID
    version: int
    status_date: str | int | None
    status_time: int
    bac: Number | None
    pv: Number | None
    ev: Number | None
    ac: Number | None
    sv: Number | None
    cv: Number | None
    spi: Number | None
    cpi: Number | None
    eac: Number | None
    earned_schedule: Number | None
    schedule_variance_days: Number | None
    on_time_rate: Number | None
    p80_finish: Number | None
    p80_finish_date: str | None
    deadline: int | None
    deadline_date: str | None
    stale_tasks: list[StaleTaskView]
    out_of_sequence: list[OutOfSequence]
    rag: str = Field(description="green, amber or red")
    reasons: list[str]
    thresholds: dict[str, Number]
    stale_after: int


class ProgressBody(BaseModel):
    """A status date, reports, or both (one at least)."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {
                    "required": ["status_date"],
                    "properties": {"status_date": {"not": {"type": "null"}}},
                },
                {"required": ["reports"], "properties": {"reports": {"minItems": 1}}},
            ]
        }
    )
    status_date: str | Integer | None = Field(
        default=None, description="ISO date or working day the reports are true as of"
    )
    reports: list[dict[str, Any]] = Field(
        default_factory=list,
        description='e.g. [{"task": "a", "actual_start": "2027-01-04", '
        '"percent_complete": 60, "remaining_duration": 4, "actual_cost": 1200}]',
    )


def _answer(state: ProjectState, response: Response) -> None:
    response.headers["ETag"] = f'"{state.version}"'


@router.patch(
    "",
    response_model=ProjectChanged,
    openapi_extra=checked_body(ProjectFields, example={"deadline": 70}),
)
def change_project_fields(
    project_id: UUID,
    fields: JSONObjectDep,
    planforge: PlanforgeDep,
    actor: ActorDep,
    expected: ExpectedVersionDep,
    write: WriteDep,
    response: Response,
) -> ProjectChanged:
    """Change `name`, `start`, `deadline`, `calendar`, `priority`,
    `status_date`, `correlations` or `stale_after` (null clears an optional
    one): one ProjectFieldChanged event each, all or none."""
    state = planforge.change_fields(project_id, fields, actor, expected, write)
    _answer(state, response)
    return ProjectChanged(id=state.id, version=state.version, changed=sorted(fields))


@router.post("/progress", response_model=ProgressRecorded)
def record_progress(
    project_id: UUID,
    body: ProgressBody,
    planforge: PlanforgeDep,
    actor: ActorDep,
    expected: ExpectedVersionDep,
    write: WriteDep,
    response: Response,
) -> ProgressRecorded:
    """Move the status date and record each task's report in one transaction
    (ProjectFieldChanged, then one ProgressReported per task). A task started
    before its FS predecessor finished is accepted and listed in
    `out_of_sequence`."""
    state = planforge.record_progress(
        project_id, body.status_date, body.reports, actor, expected, write
    )
    _answer(state, response)
    return ProgressRecorded(
        id=state.id,
        version=state.version,
        status_date=state.document.get("status_date"),
        reported=[str(report.get("task")) for report in body.reports],
        out_of_sequence=[
            OutOfSequence(**row) for row in out_of_sequence_rows(state.project)
        ],
    )


@router.get("/health", response_model=HealthAnswer)
def project_health(project_id: UUID, planforge: PlanforgeDep) -> HealthAnswer:
    """The project's health at its status date."""
    return HealthAnswer.model_validate(planforge.health(project_id))
