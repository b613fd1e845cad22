"""What plans, forecasts, scenarios and portfolio plans answer: the JSON of
`service.views` (and `service.compute`, `service.portfolio`) as models.

The views build the JSON; these models state it in the spec, key for key.
`tests/e2e/test_http_answers.py` reads real answers back through them and
requires the same JSON again, so a key added to a view without its field
here fails there.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

Number = int | float


class Objective(BaseModel):
    name: str = Field(description='the stated formula, e.g. "makespan + 2 x shift"')
    value: Number | None = Field(description="its value on this plan")
    bound: Number | None = Field(description="a proven bound, or null")


class Candidate(BaseModel):
    """A plan weighed for its odds (objectives p80, p_deadline)."""

    source: str
    makespan: int
    p80: Number
    deadline_probability: Number | None
    chosen: bool


class PlannedTask(BaseModel):
    id: str
    start: int = Field(description="working days from the project start")
    finish: int
    start_date: str | None
    finish_date: str | None
    assignees: list[str]
    total_float: int | None
    critical: bool
    late_by: int = Field(description="days it finishes after its deadline")
    resources: dict[str, Number] | None = Field(
        default=None, description="units held of named resources"
    )


class SummarySpan(BaseModel):
    id: str
    start: int
    finish: int
    start_date: str | None
    finish_date: str | None


class PlanView(BaseModel):
    """A plan: the solver's status with its proof (bound, gap), and dated tasks."""

    id: str | None = Field(description="null for a plan not recorded")
    status: str = Field(description="optimal, feasible, infeasible or unknown")
    makespan: int | None
    lower_bound: int | None
    gap: Number | None = Field(description="0 only when proven optimal")
    runtime_seconds: Number
    starts: dict[str, int]
    assignments: dict[str, list[str]]
    message: str | None = None
    objective: Objective
    conflicts: list[str] | None = Field(
        default=None, description="why an infeasible plan is infeasible"
    )
    deadlines: str = Field(description="soft or hard")
    warnings: list[str]
    pins: dict[str, dict[str, int]] | None = None
    candidates: list[Candidate] | None = None
    finish_date: str | None = None
    tasks: list[PlannedTask]
    summaries: list[SummarySpan] | None = None


class PlanOut(PlanView):
    """A recorded plan."""

    project_version: int = Field(description="the project version it plans")
    committed: bool | None = Field(default=None, description="the baseline now")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "0b6e9d9e-8a43-4d0e-9f44-5c1a2f6d7e11",
                    "status": "optimal",
                    "makespan": 16,
                    "lower_bound": 16,
                    "gap": 0.0,
                    "runtime_seconds": 0.05,
                    "starts": {"a": 0, "b": 10},
                    "assignments": {},
                    "objective": {"name": "makespan", "value": 16, "bound": 16},
                    "deadlines": "soft",
                    "warnings": [],
                    "finish_date": "2027-01-25",
                    "tasks": [
                        {
                            "id": "a",
                            "start": 0,
                            "finish": 10,
                            "start_date": "2027-01-04",
                            "finish_date": "2027-01-15",
                            "assignees": [],
                            "total_float": 0,
                            "critical": True,
                            "late_by": 0,
                        }
                    ],
                    "project_version": 1,
                }
            ]
        }
    }


class CommittedPlan(PlanView):
    """The plan now the project's baseline, and the project's new version."""

    committed: bool
    version: int


class Percentiles(BaseModel):
    mean: Number
    std: Number
    p10: Number
    p50: Number
    p80: Number
    p90: Number
    p95: Number


class FinishDates(BaseModel):
    p10: str | None
    p50: str | None
    p80: str | None
    p90: str | None
    p95: str | None


class TaskOdds(BaseModel):
    id: str
    criticality: Number = Field(description="share of samples on the critical path")
    cruciality: Number
    sensitivity: Number
    duration_std: Number
    finish: Percentiles


class MilestoneOdds(BaseModel):
    id: str
    name: str
    finish: Percentiles
    finish_dates: FinishDates | None
    plan_percentile: Number | None


class RiskOdds(BaseModel):
    id: str
    occurrence: Number
    p80_days: Number
    mean_days: Number


class TaskDriver(BaseModel):
    id: str
    cruciality: Number
    sensitivity: Number
    criticality: Number


class RiskDriver(BaseModel):
    id: str
    p80_days: Number


class Tornado(BaseModel):
    tasks: list[TaskDriver]
    risks: list[RiskDriver]


class SCurvePoint(BaseModel):
    probability: Number
    day: Number
    date: str | None


class Precision(BaseModel):
    confidence: Number
    intervals: dict[str, list[Number]] = Field(description="P-value: [low, high]")
    p80_half_width: Number
    target_half_width: Number | None
    max_samples: int | None
    met: bool | None
    task_finish_error: Number | None
    rank_samples: int | None


class Reproduce(BaseModel):
    """What runs the same forecast again."""

    seed: int
    samples: int
    engine: str
    sampling: str
    precision: Number | None
    plan_id: str | None
    project_version: int | None


class ClassFactor(BaseModel):
    reference_class: str
    factor: Number
    observations: int
    mean_ratio: Number


class Calibration(BaseModel):
    factors: list[ClassFactor]
    tasks: dict[str, Number] = Field(description="the factor each task got")


class ForecastOut(BaseModel):
    """A Monte Carlo forecast: duration percentiles (working days), dates,
    deadline odds, per-task figures, drivers and what reproduces it."""

    plan_id: str | None
    samples: int
    seed: int
    duration: Percentiles
    finish_dates: FinishDates | None
    deadline: int | None
    deadline_date: str | None
    deadline_probability: Number | None
    engine: str
    plan_finish: Number | None
    plan_percentile: Number | None = Field(
        description="the percentile at which the plan's own finish sits"
    )
    tasks: list[TaskOdds]
    milestones: list[MilestoneOdds]
    risks: list[RiskOdds]
    tornado: Tornado
    s_curve: list[SCurvePoint]
    precision: Precision | None
    kernel: str = Field(
        description="how the passes ran: numpy, or numba (compiled); the same numbers"
    )
    reproduce: Reproduce
    calibration: Calibration | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "plan_id": "0b6e9d9e-8a43-4d0e-9f44-5c1a2f6d7e11",
                    "samples": 10000,
                    "seed": 0,
                    "duration": {
                        "mean": 17.1,
                        "std": 1.2,
                        "p10": 16.0,
                        "p50": 16.8,
                        "p80": 18.1,
                        "p90": 18.9,
                        "p95": 19.5,
                    },
                    "deadline": 60,
                    "deadline_probability": 1.0,
                    "engine": "committed",
                }
            ]
        }
    }


class ForecastSummary(BaseModel):
    """The few figures compared side by side."""

    duration: Percentiles
    finish_dates: FinishDates | None
    deadline_probability: Number | None
    plan_percentile: Number | None
    p80_interval: list[Number] | None
    engine: str
    tornado: Tornado


class ScenarioSide(BaseModel):
    plan: PlanView
    forecast: ForecastSummary | None = Field(
        default=None, description="absent when the plan has no schedule"
    )


class TaskDates(BaseModel):
    start: int
    finish: int
    start_date: str | None
    finish_date: str | None


class ChangedTask(BaseModel):
    id: str
    baseline: TaskDates | None = Field(description="null: added by the scenario")
    scenario: TaskDates | None = Field(description="null: removed by the scenario")
    finish_shift: int | None


class ScenarioOut(BaseModel):
    """Baseline and scenario side by side; nothing is recorded."""

    version: int = Field(description="the project version both start from")
    baseline: ScenarioSide
    scenario: ScenarioSide
    changed_tasks: list[ChangedTask]


class RecordedSummary(ForecastSummary):
    project_version: int | None = None
    status_time: int | None = None
    calibration: Calibration | None = None


class RecordedForecast(BaseModel):
    seed: int
    samples: int
    summary: RecordedSummary
    recorded_at: str


class BaselineOut(BaseModel):
    """The committed plan and its latest forecast (nulls before a commit)."""

    version: int
    plan: PlanOut | None
    forecast: RecordedForecast | None


class ProjectFinish(BaseModel):
    name: str
    priority: int
    deadline: int | None
    finish: int | None = Field(description="working days from the earliest start")
    finish_date: str | None
    tardiness: int | None
    project_id: UUID | None = Field(default=None, description="when recorded")
    plan_id: UUID | None = Field(
        default=None, description="the plan recorded in the project, when recorded"
    )


class PortfolioLoad(BaseModel):
    resource: str
    week: str
    project: str
    days: int = Field(description="working days per person, week and project")


class PortfolioOut(BaseModel):
    """The portfolio's plan: per project finish, the merged plan (tasks named
    `project/task`), weekly load."""

    status: str
    makespan: int | None
    runtime_seconds: Number
    projects: list[ProjectFinish]
    plan: PlanView
    load: list[PortfolioLoad]
    portfolio_plan_id: UUID | None = Field(
        default=None, description="with record: the recorded portfolio plan"
    )
