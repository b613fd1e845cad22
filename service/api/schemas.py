"""Request bodies and examples; separate from the domain types on purpose."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    JsonValue,
    StrictBool,
    StrictFloat,
)

from domain.changes import ChangeAction, EntityKind
from domain.limits import MAX_SEED, MAX_WEIGHT
from domain.objectives import OBJECTIVE_NAMES


def whole_number(value: Any) -> Any:
    """JSON's integers (5, 5.0) only: not true/false or "5", which pydantic's
    lax mode would take for one."""
    if isinstance(value, bool | str):
        raise ValueError("expected a whole number")
    return value


Integer = Annotated[int, BeforeValidator(whole_number)]
if TYPE_CHECKING:
    ObjectiveName = str
else:  # the names of the one registry (domain.objectives), as a JSON enum
    ObjectiveName = Literal[OBJECTIVE_NAMES]
Positive = Annotated[int, Field(ge=1), BeforeValidator(whole_number)]
DAY: dict[str, JsonValue] = {"type": "integer", "minimum": 0}
CHANGE_SCHEMA: dict[str, JsonValue] = {  # as domain.changes.change_from_dict reads one
    "type": "object",
    "description": "the action, the item's id, and its fields (as in the project "
    "document; an add gives the whole item)",
    "properties": {
        "action": {
            "enum": [f"{a.value}_{k.value}" for a in ChangeAction for k in EntityKind]
        },
        "id": {"type": "string", "pattern": r"\S"},
    },
    "required": ["action"],
}
PIN_SCHEMA: dict[str, JsonValue] = {  # as domain.pins reads a pin
    "oneOf": [
        {
            "type": "object",
            "properties": {"start": DAY},
            "required": ["start"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {"earliest": DAY, "latest": DAY},
            "minProperties": 1,
            "additionalProperties": False,
        },
    ]
}

EXAMPLE_PROJECT: dict[str, Any] = {
    "name": "Launch",
    "start": "2027-01-04",
    "deadline": 60,
    "calendar": {
        "workdays": ["Mon", "Tue", "Wed", "Thu", "Fri"],
        "holidays": ["2027-01-01"],
    },
    "resources": [
        {"id": "crane", "capacity": 1},
        {"id": "alice", "capacity": 1, "skills": {"backend": 3}},
    ],
    "tasks": [
        {"id": "a", "duration": 10},
        {
            "id": "b",
            "estimate": {
                "optimistic": 4,
                "most_likely": 6,
                "pessimistic": 12,
                "distribution": "pert",
            },
            "demands": {"crane": 1},
            "skills": {"backend": 2},
        },
    ],
    "dependencies": [{"from": "a", "to": "b", "type": "FS", "lag": 0}],
    "risks": [{"id": "r1", "probability": 0.3, "tasks": ["b"], "impact": 5}],
}


class PlanBody(BaseModel):
    time_limit: StrictFloat | None = Field(
        default=None, gt=0, description="seconds the solver may use (default 10)"
    )
    seed: Integer = Field(
        default=0, ge=0, le=MAX_SEED, description="solver random seed"
    )
    objective: ObjectiveName = Field(
        default="makespan",
        description="what the plan optimises; p80 / p_deadline: the plan with the "
        "least P80 finish / best chance of meeting the deadline among several good "
        "plans, each forecast with the same seed (the answer lists `candidates`)",
    )
    odds_samples: Integer = Field(
        default=4096,
        ge=1,
        description="forecast samples per candidate plan (p80, p_deadline)",
    )
    stability_weight: Integer = Field(
        default=0,
        ge=0,
        le=MAX_WEIGHT,
        description="cost per day a task moves from the previous plan",
    )
    deadlines: Literal["soft", "hard"] = Field(
        default="soft",
        description="soft: when only deadlines stand in the way, plan as little "
        "late as possible (late_by per task, warnings); hard: an infeasible plan "
        "with its conflicts",
    )
    previous_plan_id: UUID | None = Field(
        default=None,
        description="plan to stay close to (default: the committed plan)",
    )
    cost_weight: StrictFloat = Field(
        default=0.0,
        ge=0,
        le=MAX_WEIGHT,
        description="weight of people's cost (rate x days)",
    )
    balance_weight: Integer = Field(
        default=0,
        ge=0,
        le=MAX_WEIGHT,
        description="weight of the busiest person's assigned days",
    )
    continuity_weight: Integer = Field(
        default=0,
        ge=0,
        le=MAX_WEIGHT,
        description="reward per dependent task pair done by the same person",
    )
    pins: dict[str, dict[str, Any]] | None = Field(
        default=None,
        description='tasks held for this plan only: {"task": {"start": day}} or '
        '{"task": {"earliest": day, "latest": day}}; recorded with the plan',
        examples=[{"b": {"start": 12}}],
        json_schema_extra={"additionalProperties": PIN_SCHEMA},
    )


class SimulationOptions(BaseModel):
    engine: Literal["committed", "dynamic"] = Field(
        default="committed",
        description="committed: keep the plan's order on shared resources; "
        "dynamic: tasks take free resources by plan priority (SimPy, slower)",
    )
    precision: StrictFloat | None = Field(
        default=None,
        gt=0,
        description="stop once the P80 is known within this many days (95%); "
        "samples is then the cap",
    )
    lhs: StrictBool = Field(default=False, description="Latin hypercube sampling")
    workers: Integer = Field(default=1, ge=1, le=64, description="worker processes")


class ForecastBody(SimulationOptions):
    plan_id: UUID | None = Field(
        default=None, description="the plan to simulate (default: committed baseline)"
    )
    version: Positive | None = Field(
        default=None,
        description="start from the progress recorded by this project version "
        "(from the plan's version on; default: now)",
    )
    samples: Positive | None = Field(default=None, description="Monte Carlo samples")
    seed: Integer = Field(
        default=0, ge=0, le=MAX_SEED, description="random seed; same seed, same answer"
    )
    calibrate: StrictBool = Field(
        default=False,
        description="scale unfinished estimates by what work of their reference "
        "class (group, skills) actually took across projects; the answer's "
        "`calibration` lists the factors",
    )


class ScenarioBody(SimulationOptions):
    changes: list[dict[str, Any]] = Field(
        min_length=1,
        description='e.g. [{"action": "update_task", "id": "b", "duration": 9}]',
        json_schema_extra={"items": CHANGE_SCHEMA},
    )
    time_limit: StrictFloat | None = Field(default=None, gt=0)
    samples: Positive | None = None
    seed: Integer = Field(default=0, ge=0, le=MAX_SEED)
