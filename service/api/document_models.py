"""The project document v1 (DESIGN.md) as models, for the spec.

The routes read these bodies themselves and check them with the domain's
rules (`domain.document`), whose 422s name the field (`tasks[b].duration`);
these models only declare the shapes (`contract.checked_body`).
`tests/unit/test_document_models.py` holds each model's fields to the
domain's field set, and the bundled documents to the models.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.reports import PROJECT_EDITABLE_FIELDS

Number = int | float
Day = int
DayOrDate = int | str
RemainingRule = Literal["status_date", "actual_work"]  # domain.progress.RemainingAfter
Link = Literal["FS", "SS", "FF", "SF"]
TaskId = Annotated[str, Field(pattern=r"\S")]


def _absent_not_null(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """An optional field may be left out; only those in `nullable` may also
    be null (as the domain reads them: null is "not given" there)."""
    nullable: frozenset[str] = getattr(model, "nullable", frozenset())
    for name, field in schema.get("properties", {}).items():
        branches = field.get("anyOf")
        if name in nullable or not branches:
            continue
        kept = [branch for branch in branches if branch != {"type": "null"}]
        field.pop("anyOf")
        field.pop("default", None)
        if len(kept) == 1:
            field.update(kept[0])
        else:
            field["anyOf"] = kept


class Declared(BaseModel):
    """A declared body: the domain names unknown fields in its 422."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, json_schema_extra=_absent_not_null
    )
    nullable: ClassVar[frozenset[str]] = frozenset()


class Calendar(Declared):
    workdays: list[str] = Field(
        default=["Mon", "Tue", "Wed", "Thu", "Fri"], description="Mon ... Sun"
    )
    holidays: list[str] = Field(default=[], description="ISO dates")
    extra_workdays: list[str] = Field(default=[], description="ISO dates")
    periods_per_day: int = Field(
        default=1,
        ge=1,
        le=1440,
        description="project calendar only: times count periods of a working"
        " day (1: whole days)",
    )
    start_period: int = Field(
        default=0,
        ge=0,
        description="project calendar only: periods of the first working day"
        " before the project starts",
    )


class Estimate(Declared):
    """Three points (`fixed`: most_likely alone; `discrete`: values, weights)."""

    optimistic: Number | None = None
    most_likely: Number | None = None
    pessimistic: Number | None = None
    distribution: str = Field(
        default="pert", description="triangular, pert, uniform, fixed, discrete..."
    )
    values: list[Number] | None = None
    weights: list[Number] | None = None


class Pin(Declared):
    nullable = frozenset({"start", "earliest", "latest"})
    start: Day | None = None
    earliest: Day | None = None
    latest: Day | None = None


class DateConstraint(Declared):
    nullable = frozenset({"day"})
    type: str = Field(description="SNET, SNLT, FNET, FNLT, MSO, MFO, ASAP, ALAP")
    day: Day | None = None


class Pause(Declared):
    """A stated pause of a split task (domain.pauses)."""

    after: int = Field(ge=1, description="working days of its work done before")
    days: int = Field(ge=1, description="working days without work")


class TaskFields(Declared):
    """A task's fields: a fixed `duration` or a three-point `estimate`."""

    nullable = frozenset(
        {"duration", "estimate", "release", "deadline", "due", "pin"}
        | {"actual_start", "actual_finish", "constraint", "reported_on"}
        | {"percent_complete", "remaining_duration", "actual_cost"}
    )

    name: str | None = None
    group: str | None = Field(default=None, description="reference class")
    duration: Number | None = Field(default=None, description="working days")
    estimate: Estimate | None = None
    demands: dict[str, Number] | None = Field(
        default=None, description="resource id -> units held for the whole task"
    )
    skills: dict[str, int] | None = Field(
        default=None, description="skill -> level each of its people needs"
    )
    people: int | None = Field(default=None, description="people needed (1)")
    splittable: bool | None = None
    parent: str | None = Field(default=None, description="summary task id")
    notes: str | None = None
    custom: dict[str, str | Number | bool] | None = None
    fixed_cost: Number | None = None
    gate: bool | None = Field(default=None, description="a stage-ending milestone")
    calendar: Calendar | None = Field(
        default=None, description="the task works only on days this calendar works"
    )
    pauses: list[Pause] | None = Field(
        default=None, description="a split task's gaps, in order of `after`"
    )
    elapsed: bool | None = Field(
        default=None,
        description="the duration counts clock days (24 h, every day, holidays"
        " too), as MS Project's elapsed durations; no calendar",
    )
    release: Day | None = Field(default=None, description="earliest start day")
    deadline: Day | None = None
    due: Day | None = None
    tardiness_weight: Number | None = None
    pin: Pin | None = None
    actual_start: Day | None = None
    actual_finish: Day | None = None
    constraint: DateConstraint | None = None
    percent_complete: Number | None = None
    remaining_duration: Number | None = None
    reported_on: DayOrDate | None = None
    actual_cost: Number | None = None


class Task(TaskFields):
    id: str = Field(pattern=r"\S")


class Absence(Declared):
    start: str = Field(description="ISO date", json_schema_extra={"format": "date"})
    end: str | None = Field(
        default=None,
        description="ISO date (default: start)",
        json_schema_extra={"format": "date"},
    )
    reason: str | None = None


class ResourceFields(Declared):
    nullable = frozenset({"calendar", "max_load"})
    name: str | None = None
    capacity: int | None = Field(default=None, description="units (1)")
    skills: dict[str, int] | None = None
    calendar: Calendar | None = None
    absences: list[Absence] | None = None
    cost_rate: Number | None = Field(default=None, description="per working day")
    max_load: Number | None = None


class Resource(ResourceFields):
    id: str = Field(pattern=r"\S")


class DependencyFields(Declared):
    predecessor: str | None = Field(default=None, alias="from")
    successor: str | None = Field(default=None, alias="to")
    type: Link | None = Field(default=None, description="FS (default), SS, FF, SF")
    lag: int | None = Field(default=None, description="working days; may be < 0")


class Dependency(DependencyFields):
    id: str | None = Field(default=None, description='default "from->to"')
    predecessor: str = Field(alias="from", pattern=r"\S")
    successor: str = Field(alias="to", pattern=r"\S")


class RiskFields(Declared):
    name: str | None = None
    probability: Number | None = Field(default=None, description="0..1")
    tasks: list[TaskId] | None = Field(default=None, description="tasks it delays")
    impact: Number | Estimate | None = Field(
        default=None, description="days added to each listed task"
    )


class Risk(RiskFields):
    id: str = Field(pattern=r"\S")
    probability: Number = Field(description="0..1")
    tasks: list[TaskId] = Field(min_length=1, description="tasks it delays")


class Correlation(Declared):
    tasks: list[str] | None = None
    risks: list[str] | None = None
    coefficient: Number = Field(description="rank correlation within [-1, 1]")


class ProjectDocument(Declared):
    """The project document v1; everything but `name` and `tasks` is optional.
    Times are working days from `start`; dates are ISO strings."""

    nullable = frozenset(
        {"start", "deadline", "status_date", "thresholds", "description"}
        | {"resources", "dependencies", "risks", "correlations"}
        | {"id", "version", "committed_plan_id"}
    )

    name: str
    tasks: list[Task]
    start: str | None = Field(default=None, description="ISO date")
    deadline: Day | None = None
    calendar: Calendar | None = None
    resources: list[Resource] | None = None
    dependencies: list[Dependency] | None = None
    risks: list[Risk] | None = None
    correlations: list[Correlation] | None = None
    description: str | None = None
    priority: int | None = None
    status_date: DayOrDate | None = None
    remaining_after: RemainingRule | None = Field(
        default=None,
        description="status_date (default): unstarted and remaining work waits "
        "for the status date; actual_work: it resumes right after each task's "
        "actual work (MS Project without a status date)",
    )
    constraints_over_links: bool | None = Field(
        default=None,
        description="true: a must-start/finish-on or no-later-than date wins "
        "over the links into its task, each broken link a plan warning "
        "(MS Project's HonorConstraints); default false: both hard",
    )
    stale_after: int | None = Field(default=None, description="working days")
    thresholds: dict[str, Number] | None = Field(
        default=None, description="health thresholds: spi_amber, spi_red, ..."
    )
    id: str | None = Field(default=None, description="ignored on create")
    version: int | None = Field(default=None, description="ignored on create")
    committed_plan_id: str | None = Field(default=None, description="ignored on create")


class FromTemplate(Declared):
    template: str = Field(description="a template id (POST /templates)")
    name: str
    start: str | None = None


class ProjectFields(Declared):
    """Project fields to change; null clears an optional one."""

    nullable = frozenset(PROJECT_EDITABLE_FIELDS) - {"name"}

    name: str | None = None
    start: str | None = None
    deadline: Day | None = None
    calendar: Calendar | None = None
    priority: int | None = None
    status_date: DayOrDate | None = None
    remaining_after: RemainingRule | None = None
    constraints_over_links: bool | None = None
    correlations: list[Correlation] | None = None
    stale_after: int | None = None
    thresholds: dict[str, Number] | None = None


class ImportReport(BaseModel):
    """What an imported file mapped, and what it could not, with counts."""

    format: str
    mapped: dict[str, int]
    unmapped: dict[str, int]


class ProjectOut(ProjectDocument):
    """The project document at a version, with its id and version (`ETag`)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str  # always set on an answer
    version: int
    committed_plan_id: str | None
    imported: ImportReport | None = Field(
        default=None, alias="import", description="an imported file's report"
    )
