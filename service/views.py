"""JSON shapes of plans and forecasts, shared by the command line and HTTP.

These shapes are the contracts of DESIGN.md: extend them, never rename a key.
"""

from __future__ import annotations

from typing import Any

from domain import (
    Forecast,
    Percentiles,
    Plan,
    Precision,
    Project,
    ScheduledTask,
    TaskForecast,
)
from domain.outline import SummarySpan, rollup
from domain.pins import pins_to_document
from domain.plan import plan_finish_date

JSON = dict[str, Any]


def iso(day: Any) -> str | None:
    return None if day is None else str(day.isoformat())


def task_dates(
    project: Project, start: int, finish: int, elapsed: bool = False
) -> tuple[str | None, str | None]:
    """ISO dates of a task's first and last working day (a milestone: its
    day; `elapsed` work: the day its clock time ends,
    `Project.task_finish_date`)."""
    first = project.date_of(start)
    last = project.task_finish_date(start, finish, elapsed)
    return iso(first), iso(last)


def _elapsed(project: Project, scheduled: ScheduledTask) -> bool:
    """Whether the planned task is elapsed (a plan may name a task since
    removed: then not)."""
    known = scheduled.task_id in project.task_index
    return known and project.task(scheduled.task_id).elapsed


def plan_view(project: Project, plan: Plan) -> JSON:
    """status, makespan, lower_bound, gap, starts, assignments, and dated tasks."""
    view: JSON = {
        "id": plan.id,
        "status": plan.status.value,
        "makespan": plan.makespan,
        "lower_bound": plan.lower_bound,
        "gap": None if plan.gap is None else round(plan.gap, 6),
        "runtime_seconds": round(plan.runtime_seconds, 3),
        "starts": plan.starts,
        "assignments": plan.assignments,
    }
    if plan.message:
        view["message"] = plan.message
    view["objective"] = {
        "name": plan.objective,
        "value": plan.objective_value,
        "bound": plan.objective_bound,
    }
    if plan.conflicts:
        view["conflicts"] = list(plan.conflicts)
    view["deadlines"] = plan.deadlines
    view["warnings"] = list(plan.warnings)
    if plan.pins:
        view["pins"] = pins_to_document(plan.pins)
    if plan.candidates:
        view["candidates"] = [
            {
                "source": c.source,
                "makespan": c.makespan,
                "p80": c.p80,
                "deadline_probability": c.deadline_probability,
                "chosen": c.chosen,
            }
            for c in plan.candidates
        ]
    if plan.makespan is not None:
        view["finish_date"] = iso(plan_finish_date(project, plan))
    view["tasks"] = [
        scheduled_view(project, scheduled)
        for scheduled in sorted(plan.tasks, key=lambda t: (t.start, t.task_id))
    ]
    if summaries := rollup(project, plan):
        view["summaries"] = [summary_view(project, span) for span in summaries]
    return view


def summary_view(project: Project, span: SummarySpan) -> JSON:
    """A summary task's span: its leaves' first start and last finish."""
    start_date, finish_date = task_dates(project, span.start, span.finish, span.elapsed)
    return {
        "id": span.task_id,
        "start": span.start,
        "finish": span.finish,
        "start_date": start_date,
        "finish_date": finish_date,
    }


def scheduled_view(project: Project, scheduled: ScheduledTask) -> JSON:
    """A planned task; `resources` lists the units it holds of named resources
    (MS Project's assignments), beside the people the solver picked."""
    start_date, finish_date = task_dates(
        project, scheduled.start, scheduled.finish, _elapsed(project, scheduled)
    )
    view: JSON = {
        "id": scheduled.task_id,
        "start": scheduled.start,
        "finish": scheduled.finish,
        "start_date": start_date,
        "finish_date": finish_date,
        "assignees": list(scheduled.assignees),
        "total_float": scheduled.total_float,
        "critical": scheduled.critical,
        "late_by": scheduled.late_by,
    }
    known = scheduled.task_id in project.task_index
    if known and (demands := project.task(scheduled.task_id).demands):
        view["resources"] = dict(demands)
    return view


def percentiles_view(summary: Percentiles, digits: int = 3) -> JSON:
    return {
        "mean": round(summary.mean, digits),
        "std": round(summary.std, digits),
        "p10": round(summary.p10, digits),
        "p50": round(summary.p50, digits),
        "p80": round(summary.p80, digits),
        "p90": round(summary.p90, digits),
        "p95": round(summary.p95, digits),
    }


def finish_dates_view(project: Project, summary: Percentiles) -> JSON | None:
    if project.start is None:
        return None
    return {
        key: iso(project.finish_date(getattr(summary, key)))
        for key in ("p10", "p50", "p80", "p90", "p95")
    }


def forecast_view(project: Project, forecast: Forecast) -> JSON:
    """duration (mean/p50/p80/p95 working days), dates, deadline odds, per task;
    plus the S-curve, the P-values' confidence intervals, the plan's percentile,
    milestones, drivers (tornado) and what reproduces the run."""
    probability = forecast.deadline_probability
    return {
        **_forecast_core(project, forecast, probability),
        "tasks": [_task_view(project, forecast, task) for task in forecast.tasks],
        "milestones": milestones_view(project, forecast),
        "risks": [
            {
                "id": risk.risk_id,
                "occurrence": round(risk.occurrence, 4),
                "p80_days": round(risk.p80_days, 3),
                "mean_days": round(risk.mean_days, 3),
            }
            for risk in forecast.risks
        ],
        "tornado": tornado_view(forecast),
        "s_curve": s_curve_view(project, forecast),
        "precision": precision_view(forecast.precision),
        "kernel": forecast.kernel,  # numpy | numba: the same numbers
        "reproduce": {
            "seed": forecast.seed,
            "samples": forecast.samples,
            "engine": forecast.engine,
            "sampling": forecast.sampling,
            "precision": None
            if forecast.precision is None
            else forecast.precision.target_half_width,
            "plan_id": forecast.plan_id,
            "project_version": forecast.project_version,
        },
    }


def _forecast_core(
    project: Project, forecast: Forecast, probability: float | None
) -> JSON:
    """The DESIGN.md keys, unchanged, plus the plan's own percentile."""
    return {
        "plan_id": forecast.plan_id,
        "samples": forecast.samples,
        "seed": forecast.seed,
        "duration": percentiles_view(forecast.duration),
        "finish_dates": finish_dates_view(project, forecast.duration),
        "deadline": forecast.deadline,
        "deadline_date": iso(
            None
            if forecast.deadline is None
            else project.finish_date(forecast.deadline)
        ),
        "deadline_probability": None if probability is None else round(probability, 4),
        "engine": forecast.engine,
        "plan_finish": forecast.plan_finish,
        "plan_percentile": None
        if forecast.plan_percentile is None
        else round(100 * forecast.plan_percentile, 2),
    }


def _task_view(project: Project, forecast: Forecast, task: TaskForecast) -> JSON:
    return {
        "id": task.task_id,
        "criticality": round(task.criticality, 4),
        "cruciality": round(task.cruciality, 4),
        "sensitivity": round(task.sensitivity, 4),
        "duration_std": round(task.duration_std, 3),
        "finish": percentiles_view(task.finish),
    }


def milestones_view(project: Project, forecast: Forecast) -> list[JSON]:
    """Zero-length tasks: their finish distribution, dates and the percentile
    at which the plan's date for them sits."""
    rows = []
    for task in forecast.tasks:
        item = project.task(task.task_id)
        if item.estimate is not None or (item.duration or 0) > 0:
            continue
        rows.append(
            {
                "id": task.task_id,
                "name": item.name,
                "finish": percentiles_view(task.finish),
                "finish_dates": finish_dates_view(project, task.finish),
                "plan_percentile": None
                if task.plan_percentile is None
                else round(100 * task.plan_percentile, 2),
            }
        )
    return rows


def tornado_view(forecast: Forecast, count: int = 10) -> JSON:
    """The top drivers: tasks by |cruciality| (with SSI, criticality) and risks
    by the days they add at P80."""
    return {
        "tasks": [
            {
                "id": t.task_id,
                "cruciality": round(t.cruciality, 4),
                "sensitivity": round(t.sensitivity, 4),
                "criticality": round(t.criticality, 4),
            }
            for t in forecast.task_drivers(count)
        ],
        "risks": [
            {"id": r.risk_id, "p80_days": round(r.p80_days, 3)}
            for r in forecast.risk_drivers(count)
            if r.p80_days > 0
        ],
    }


def s_curve_view(project: Project, forecast: Forecast) -> list[JSON]:
    """Working days (and dates) by which the project finishes with each
    probability 0%, 1%, ..., 100%."""
    return [
        {
            "probability": k / 100,
            "day": round(day, 3),
            "date": iso(project.finish_date(day)),
        }
        for k, day in enumerate(forecast.s_curve)
    ]


def precision_view(precision: Precision | None) -> JSON | None:
    """Confidence intervals of the P-values and the stopping rule's outcome."""
    if precision is None:
        return None
    return {
        "confidence": precision.confidence,
        "intervals": {
            key: [round(i.low, 3), round(i.high, 3)]
            for key, i in precision.intervals.items()
        },
        "p80_half_width": round(precision.p80_half_width, 4),
        "target_half_width": precision.target_half_width,
        "max_samples": precision.max_samples,
        "met": precision.met,
        "task_finish_error": precision.task_finish_error,
        "rank_samples": precision.rank_samples,
    }


def forecast_summary(forecast_json: JSON) -> JSON:
    """The few figures a PMO compares side by side (scenarios, replans)."""
    return {
        "duration": forecast_json["duration"],
        "finish_dates": forecast_json["finish_dates"],
        "deadline_probability": forecast_json["deadline_probability"],
        "plan_percentile": forecast_json["plan_percentile"],
        "p80_interval": (forecast_json["precision"] or {})
        .get("intervals", {})
        .get("p80"),
        "engine": forecast_json["engine"],
        "tornado": forecast_json["tornado"],
    }
