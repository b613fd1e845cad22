"""JSON shapes of plans and forecasts, shared by the command line and HTTP.

These shapes are the contracts of DESIGN.md: extend them, never rename a key.
"""

from __future__ import annotations

from typing import Any

from domain import Forecast, Percentiles, Plan, Project, ScheduledTask

JSON = dict[str, Any]


def iso(day: Any) -> str | None:
    return None if day is None else str(day.isoformat())


def task_dates(
    project: Project, start: int, finish: int
) -> tuple[str | None, str | None]:
    """ISO dates of a task's first and last working day (a milestone: its day)."""
    first = project.date_of(start)
    last = project.finish_date(finish) if finish > start else first
    return iso(first), iso(last)


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
    if plan.makespan is not None:
        view["finish_date"] = iso(project.finish_date(plan.makespan))
    view["tasks"] = [
        scheduled_view(project, scheduled)
        for scheduled in sorted(plan.tasks, key=lambda t: (t.start, t.task_id))
    ]
    return view


def scheduled_view(project: Project, scheduled: ScheduledTask) -> JSON:
    start_date, finish_date = task_dates(project, scheduled.start, scheduled.finish)
    return {
        "id": scheduled.task_id,
        "start": scheduled.start,
        "finish": scheduled.finish,
        "start_date": start_date,
        "finish_date": finish_date,
        "assignees": list(scheduled.assignees),
        "total_float": scheduled.total_float,
        "critical": scheduled.critical,
    }


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
    """duration (mean/p50/p80/p95 working days), dates, deadline odds, per task."""
    probability = forecast.deadline_probability
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
        "tasks": [
            {
                "id": task.task_id,
                "criticality": round(task.criticality, 4),
                "finish": percentiles_view(task.finish),
            }
            for task in forecast.tasks
        ],
    }


def forecast_summary(forecast_json: JSON) -> JSON:
    """The few figures a PMO compares side by side (scenarios, replans)."""
    return {
        "duration": forecast_json["duration"],
        "finish_dates": forecast_json["finish_dates"],
        "deadline_probability": forecast_json["deadline_probability"],
    }
