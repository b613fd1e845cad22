"""Readable text for people: plan tables, forecast summaries, a text S-curve."""

from __future__ import annotations

from pathlib import Path

from domain import Forecast, Plan, Project
from domain.plan import plan_finish_date
from service.views import task_dates


def plan_table(project: Project, plan: Plan) -> str:
    """One row a task, in start order: dates, group and who does it. Columns
    are as wide as their longest entry: no name is cut."""
    rows = []
    for scheduled in sorted(plan.tasks, key=lambda t: (t.start, t.task_id)):
        task = project.task(scheduled.task_id)
        start, finish = task_dates(
            project, scheduled.start, scheduled.finish, task.elapsed
        )
        rows.append(
            (
                task.name or task.id,
                task.group,
                str(start or scheduled.start),
                str(finish or scheduled.finish),
                ", ".join(scheduled.assignees),
            )
        )
    name = max([len("task"), *(len(row[0]) for row in rows)])
    group = max([len("group"), *(len(row[1]) for row in rows)])
    header = f"{'task':<{name}} {'group':<{group}} {'start':>10} {'finish':>10}  people"
    lines = [header, "-" * len(header)]
    for label, team, first, last, people in rows:
        lines.append(
            f"{label:<{name}} {team:<{group}} {first:>10} {last:>10}  {people}"
        )
    return "\n".join(lines)


def plan_summary(project: Project, plan: Plan) -> str:
    gap = "" if plan.gap is None else f", gap {plan.gap:.1%}"
    ends = plan_finish_date(project, plan)
    finish = "" if ends is None else f" ({ends.isoformat()})"
    return (
        f"Plan: {plan.status.value}, makespan {plan.makespan} working days{finish}"
        f" (lower bound {plan.lower_bound}{gap}, {plan.runtime_seconds:.1f} s)"
    )


def forecast_text(project: Project, forecast: Forecast, critical: int = 5) -> str:
    """P50/P80/P95 finish with their error, the deadline's and the plan's odds,
    the most critical tasks, the S-curve and the tornado of drivers."""
    d = forecast.duration
    precision = forecast.precision
    intervals = {} if precision is None else precision.intervals
    lines = [
        f"Forecast ({forecast.samples:,} samples, seed {forecast.seed}, "
        f"{forecast.engine} engine, {forecast.sampling} sampling):"
    ]
    for key in ("p50", "p80", "p95"):
        day = getattr(d, key)
        error = ""
        if key in intervals:
            error = f"  (95% CI {intervals[key].low:.1f}-{intervals[key].high:.1f})"
        lines.append(
            f"  {key.upper()} {day:6.1f} working days{_on(project, day)}{error}"
        )
    lines.append(f"  mean {d.mean:5.1f}, std {d.std:.1f}")
    if forecast.deadline is not None and forecast.deadline_probability is not None:
        lines.append(
            f"  Chance to finish by the deadline, day {forecast.deadline}"
            f"{_on(project, forecast.deadline)}: {forecast.deadline_probability:.0%}"
        )
    if forecast.plan_finish is not None and forecast.plan_percentile is not None:
        lines.append(
            f"  The plan's finish, day {forecast.plan_finish:g}, sits at "
            f"P{100 * forecast.plan_percentile:.0f}"
        )
    lines.append("Most critical tasks (share of samples on the critical path):")
    work = [
        t
        for t in forecast.most_critical(len(forecast.tasks))
        if project.task(t.task_id).planned_duration > 0
    ]
    shown = work[:critical]
    width = max((len(_task_name(project, t.task_id)) for t in shown), default=0)
    for task_forecast in shown:
        share = task_forecast.criticality
        label = _task_name(project, task_forecast.task_id)
        lines.append(f"  {label:<{width}} {share:5.0%} {'#' * round(share * 20)}")
    lines.append(s_curve(forecast))
    lines.append(tornado(project, forecast))
    return "\n".join(lines)


def s_curve(forecast: Forecast, width: int = 40, rows: int = 11) -> str:
    """The cumulative chance of finishing by each day, as a text chart: one row
    per day step from P0 to P100, the bar as long as the chance."""
    curve = forecast.s_curve
    if not curve:
        return ""
    first, last = curve[0], curve[-1]
    step = (last - first) / (rows - 1) if last > first else 1.0
    lines = ["S-curve (chance of finishing by day):"]
    for row in range(rows):
        day = first + row * step
        chance = sum(1 for value in curve if value <= day + 1e-9) / len(curve)
        bar = "=" * round(chance * width)
        lines.append(f"  day {day:7.1f} |{bar:<{width}}| {chance:4.0%}")
    return "\n".join(lines)


def tornado(project: Project, forecast: Forecast, count: int = 6) -> str:
    """Top drivers: tasks by cruciality (rank correlation with the finish) and
    risks by the working days they add at P80, both by name."""
    drivers = forecast.task_drivers(count)
    risks = [r for r in forecast.risk_drivers(count) if r.p80_days > 0]
    names = {risk.id: risk.name or risk.id for risk in project.risks}
    width = max(
        [len(_task_name(project, t.task_id)) for t in drivers]
        + [len(names.get(r.risk_id, r.risk_id)) for r in risks],
        default=0,
    )
    lines = [
        "Tornado - tasks by cruciality (SSI; criticality = share on the critical path):"
    ]
    for task in drivers:
        label = _task_name(project, task.task_id)
        bar = "#" * round(abs(task.cruciality) * 30)
        lines.append(
            f"  {label:<{width}} {task.cruciality:+.2f} {bar:<30} "
            f"SSI {task.sensitivity:.2f}, criticality {task.criticality:.0%}"
        )
    if risks:
        widest = max(r.p80_days for r in risks)
        lines.append("Tornado - risks by days added at P80 (same samples, risk off):")
        for risk in risks:
            bar = "#" * max(1, round(risk.p80_days / widest * 30))
            label = names.get(risk.risk_id, risk.risk_id)
            lines.append(
                f"  {label:<{width}} {risk.p80_days:5.1f} d {bar:<30} "
                f"occurs {risk.occurrence:.0%}"
            )
    return "\n".join(lines)


def _task_name(project: Project, task_id: str) -> str:
    task = project.task(task_id)
    return task.name or task.id


def write_plot(project: Project, forecast: Forecast, path: Path) -> Path | None:
    """The S-curve and the tornado as a PNG, when matplotlib is installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    left.plot(forecast.s_curve, [k / 100 for k in range(len(forecast.s_curve))])
    left.set(xlabel="working days", ylabel="P(finish by day)", title="S-curve")
    drivers = forecast.task_drivers(10)[::-1]
    right.barh([t.task_id for t in drivers], [t.cruciality for t in drivers])
    right.set(xlabel="cruciality (Spearman)", title="Tornado")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def _on(project: Project, working_days: float) -> str:
    day = project.finish_date(working_days)
    return "" if day is None else f" ({day.isoformat()})"
