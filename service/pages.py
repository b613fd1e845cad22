"""A project's page for people: a Gantt chart of the plan, forecast markers and
the schedule as a table. Plain HTML with inline SVG: nothing to install."""

from __future__ import annotations

from html import escape
from typing import Any

from domain import Plan, Project, ScheduledTask
from service.views import task_dates

ROW, LABEL, WIDTH = 22, 240, 720
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
)
STYLE = """body{font:14px system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #ddd;
text-align:left}svg text{font:12px system-ui,sans-serif}.muted{color:#777}"""


def project_page(
    project: Project, plan: Plan | None, forecast: dict[str, Any] | None, version: int
) -> str:
    """The whole page: heading, Gantt with deadline/P50/P80 lines, task table."""
    parts = [
        f"<h1>{escape(project.name)}</h1>",
        f"<p class=muted>version {version} · {len(project.tasks)} tasks · "
        f"{len(project.resources)} resources</p>",
    ]
    if plan is None or not plan.has_schedule:
        parts.append("<p>No plan yet: POST /projects/{id}/plans, then commit it.</p>")
    else:
        parts.append(_headline(project, plan, forecast))
        parts.append(gantt_svg(project, plan, _markers(project, forecast)))
        parts.append(_table(project, plan))
    body = "\n".join(parts)
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>"
        f"{escape(project.name)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )


def gantt_svg(project: Project, plan: Plan, markers: list[tuple[str, float]]) -> str:
    """One bar per task in start order, coloured by group; markers are lines."""
    rows = sorted(plan.tasks, key=lambda t: (t.start, t.task_id))
    span = max([plan.makespan or 1, *(day for _, day in markers)])
    scale = WIDTH / span
    groups = sorted({project.task(t.task_id).group for t in rows})
    height = ROW * (len(rows) + 2)
    shapes = [_bar(project, t, i, scale, groups) for i, t in enumerate(rows)]
    shapes += _marker_lines(markers, scale, height)
    shapes += _legend(groups)
    return (
        f'<svg width="{LABEL + WIDTH + 80}" height="{height}" role="img" '
        f'aria-label="Gantt chart">{"".join(shapes)}</svg>'
    )


def _marker_lines(
    markers: list[tuple[str, float]], scale: float, height: int
) -> list[str]:
    """Dashed vertical lines (deadline, P50, P80), labels staggered upwards."""
    lines = []
    for number, (label, day) in enumerate(markers):
        x = LABEL + day * scale
        lines.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" '
            f'stroke="#c00" stroke-dasharray="4 3"/>'
            f'<text x="{x + 3:.1f}" y="{height - 6 - 14 * number}" fill="#c00">'
            f"{escape(label)} {round(day, 1):g}</text>"
        )
    return lines


def _legend(groups: list[str]) -> list[str]:
    """A colour key per task group, top right (a schedule runs top left to
    bottom right, so that corner is free)."""
    keys = []
    for number, group in enumerate(groups):
        x, y = LABEL + WIDTH * 0.8, 4 + ROW * number
        keys.append(
            f'<rect x="{x:.1f}" y="{y}" width="12" height="12" '
            f'fill="{PALETTE[number % len(PALETTE)]}"/>'
            f'<text x="{x + 16:.1f}" y="{y + 11}">{escape(group or "other")}</text>'
        )
    return keys


def _bar(
    project: Project,
    scheduled: ScheduledTask,
    row: int,
    scale: float,
    groups: list[str],
) -> str:
    task = project.task(scheduled.task_id)
    y = row * ROW + 4
    color = PALETTE[groups.index(task.group) % len(PALETTE)]
    label = f'<text x="4" y="{y + 13}">{escape((task.name or task.id)[:32])}</text>'
    x = LABEL + scheduled.start * scale
    if scheduled.finish == scheduled.start:
        return label + (
            f'<rect x="{x - 5:.1f}" y="{y + 3}" width="10" height="10" '
            f'transform="rotate(45 {x:.1f} {y + 8})" fill="#222"/>'
        )
    width = max((scheduled.finish - scheduled.start) * scale, 2)
    people = escape(", ".join(scheduled.assignees))
    return label + (
        f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="16" '
        f'rx="3" fill="{color}"><title>{escape(task.id)} {people}'
        f"</title></rect>"
    )


def _markers(
    project: Project, forecast: dict[str, Any] | None
) -> list[tuple[str, float]]:
    markers: list[tuple[str, float]] = []
    if project.deadline is not None:
        markers.append(("deadline", project.deadline))
    duration = (forecast or {}).get("duration") or {}
    markers += [
        (key.upper(), duration[key]) for key in ("p50", "p80") if key in duration
    ]
    return markers


def _headline(project: Project, plan: Plan, forecast: dict[str, Any] | None) -> str:
    text = (
        f"<p>Plan <b>{plan.status.value}</b>: {plan.makespan} working days, "
        f"lower bound {plan.lower_bound}"
    )
    if forecast and forecast.get("duration"):
        duration = forecast["duration"]
        text += (
            f" · forecast P50 {duration['p50']:.1f}, P80 {duration['p80']:.1f}, "
            f"P95 {duration['p95']:.1f} working days"
        )
        if forecast.get("deadline_probability") is not None:
            text += (
                f" · {forecast['deadline_probability']:.0%} chance to meet the deadline"
            )
    return text + "</p>"


def _table(project: Project, plan: Plan) -> str:
    rows = [
        "<tr><th>task</th><th>group</th><th>start</th><th>finish</th>"
        "<th>people</th></tr>"
    ]
    for scheduled in sorted(plan.tasks, key=lambda t: (t.start, t.task_id)):
        task = project.task(scheduled.task_id)
        start, finish = task_dates(project, scheduled.start, scheduled.finish)
        cells = (
            task.name or task.id,
            task.group,
            start or scheduled.start,
            finish or scheduled.finish,
            ", ".join(scheduled.assignees),
        )
        rows.append(
            "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>"
        )
    return f"<table>{''.join(rows)}</table>"
