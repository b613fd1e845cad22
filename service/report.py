"""Readable text for people: plan tables, forecast summaries, a text S-curve."""

from __future__ import annotations

from domain import Forecast, Plan, Project
from service.views import task_dates


def plan_table(project: Project, plan: Plan) -> str:
    """One row a task, in start order: dates, group and who does it."""
    header = f"{'task':<34} {'group':<12} {'start':>10} {'finish':>10}  people"
    lines = [header, "-" * len(header)]
    for scheduled in sorted(plan.tasks, key=lambda t: (t.start, t.task_id)):
        task = project.task(scheduled.task_id)
        start, finish = task_dates(project, scheduled.start, scheduled.finish)
        label = (task.name or task.id)[:34]
        people = ", ".join(scheduled.assignees)
        lines.append(
            f"{label:<34} {task.group[:12]:<12} {start or scheduled.start!s:>10} "
            f"{finish or scheduled.finish!s:>10}  {people}"
        )
    return "\n".join(lines)


def plan_summary(project: Project, plan: Plan) -> str:
    gap = "" if plan.gap is None else f", gap {plan.gap:.1%}"
    finish = "" if plan.makespan is None else _on(project, plan.makespan)
    return (
        f"Plan: {plan.status.value}, makespan {plan.makespan} working days{finish}"
        f" (lower bound {plan.lower_bound}{gap}, {plan.runtime_seconds:.1f} s)"
    )


def forecast_text(project: Project, forecast: Forecast, critical: int = 5) -> str:
    """P50/P80/P95 finish, the deadline's odds, the most critical tasks, S-curve."""
    d = forecast.duration
    lines = [
        f"Forecast ({forecast.samples:,} samples, seed {forecast.seed}):",
        f"  P50 {d.p50:6.1f} working days{_on(project, d.p50)}",
        f"  P80 {d.p80:6.1f} working days{_on(project, d.p80)}",
        f"  P95 {d.p95:6.1f} working days{_on(project, d.p95)}",
        f"  mean {d.mean:5.1f}, std {d.std:.1f}",
    ]
    if forecast.deadline is not None and forecast.deadline_probability is not None:
        lines.append(
            f"  Chance to finish by the deadline, day {forecast.deadline}"
            f"{_on(project, forecast.deadline)}: {forecast.deadline_probability:.0%}"
        )
    lines.append("Most critical tasks (share of samples on the critical path):")
    work = [
        t
        for t in forecast.most_critical(len(forecast.tasks))
        if project.task(t.task_id).planned_duration > 0
    ]
    for task_forecast in work[:critical]:
        task = project.task(task_forecast.task_id)
        share = task_forecast.criticality
        label = (task.name or task.id)[:34]
        lines.append(f"  {label:<34} {share:5.0%} {'#' * round(share * 20)}")
    lines.append(s_curve(forecast))
    return "\n".join(lines)


def s_curve(forecast: Forecast, width: int = 40) -> str:
    """The cumulative chance of finishing by each day, as a text chart."""
    d = forecast.duration
    points = [
        ("P10", d.p10, 0.10),
        ("P50", d.p50, 0.50),
        ("P80", d.p80, 0.80),
        ("P90", d.p90, 0.90),
        ("P95", d.p95, 0.95),
    ]
    lines = ["S-curve (chance of finishing by day):"]
    for label, day, chance in points:
        lines.append(
            f"  {label} day {day:6.1f} |{'=' * round(chance * width):<{width}}|"
        )
    return "\n".join(lines)


def _on(project: Project, working_days: float) -> str:
    day = project.finish_date(working_days)
    return "" if day is None else f" ({day.isoformat()})"
