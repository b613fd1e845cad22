"""The Gantt chart as SVG built with drawsvg.

One row per task in start order: its bar (milestones are diamonds) with the
machine-readable hooks `data-task-id` and, on the critical path,
`data-critical="true"`; total float as a thin tail; the people after it; a
second plan (the baseline, or any plan to compare) as a thin grey bar under
each row. Dependency arrows join the rows; weekends and holidays are shaded;
deadline and forecast lines carry their labels in the header, one row each,
so no label is ever crossed by another line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import drawsvg as draw

from domain import Dependency, DependencyType, Plan, Project, ScheduledTask
from service.web.timescale import TimeScale

ROW = 24
AXIS = 36  # two rows of axis labels
MARKER_ROW = 16
CHAR = 6.8  # average width of a 12 px label character
COLORS = {"task": "#4e79a7", "critical": "#c0392b", "compare": "#9aa5b1"}
MARKER_COLORS = {
    "deadline": "#111",
    "P50": "#1f7a3a",
    "P80": "#b35c00",
    "P95": "#7a1f5c",
}


@dataclass(frozen=True)
class Marker:
    """A vertical line at working day `day` (deadline, P50, P80...)."""

    label: str
    day: float


@dataclass(frozen=True)
class Row:
    task_id: str
    name: str
    y: float
    now: ScheduledTask | None
    then: ScheduledTask | None


def forecast_markers(
    project: Project, forecast: dict[str, Any] | None
) -> tuple[Marker, ...]:
    """The deadline, then a forecast summary's P50 and P80 (working days)."""
    markers = [] if project.deadline is None else [Marker("deadline", project.deadline)]
    duration = (forecast or {}).get("duration") or {}
    return (
        *markers,
        *(
            Marker(key.upper(), duration[key])
            for key in ("p50", "p80")
            if key in duration
        ),
    )


def gantt_svg(
    project: Project,
    plan: Plan,
    *,
    compare: Plan | None = None,
    markers: tuple[Marker, ...] = (),
    zoom: str = "week",
    id_prefix: str = "gantt",
) -> str:
    """The chart for `plan` (with `compare` under it) as an inline <svg>."""
    names = {task.id: task.name or task.id for task in project.tasks}
    label_width = min(max((len(n) for n in names.values()), default=8) * CHAR + 16, 380)
    horizon = max(
        [plan.makespan or 0, *(m.day for m in markers)]
        + [t.finish + (t.total_float or 0) for t in plan.tasks]
        + ([compare.makespan or 0] if compare else [])
    )
    scale = TimeScale(project, int(horizon) + 3, zoom, label_width)
    top = AXIS + MARKER_ROW * len(markers) + 4
    rows = _rows(plan, compare, names, top)
    height = top + ROW * len(rows) + 8
    width = label_width + scale.width + 120
    drawing = draw.Drawing(
        width,
        height,
        id_prefix=id_prefix,
        role="img",
        aria_label=f"Gantt chart of {project.name}",
        class_="gantt",
    )
    arrow = _arrowhead()
    _days_off(drawing, scale, height)
    _axis(drawing, scale, height)
    for row in rows:
        _row(drawing, scale, row, label_width)
    _arrows(drawing, scale, project.dependencies, {r.task_id: r for r in rows}, arrow)
    _markers(drawing, scale, markers, height)
    return str(drawing.as_svg(header=""))


def _rows(
    plan: Plan, compare: Plan | None, names: dict[str, str], top: float
) -> list[Row]:
    now = {t.task_id: t for t in plan.tasks}
    then = {} if compare is None else {t.task_id: t for t in compare.tasks}
    order = sorted(now.values(), key=lambda t: (t.start, t.finish, t.task_id))
    ids = [t.task_id for t in order]
    ids += sorted(set(then) - set(now), key=lambda i: (then[i].start, i))
    return [
        Row(i, names.get(i, i), top + n * ROW, now.get(i), then.get(i))
        for n, i in enumerate(ids)
    ]


def _arrowhead() -> draw.Marker:
    head = draw.Marker(-0.1, -0.5, 0.9, 0.5, scale=5, orient="auto")
    head.append(
        draw.Lines(-0.1, 0.5, -0.1, -0.5, 0.9, 0, close=True, fill="context-stroke")
    )
    return head


def _days_off(drawing: draw.Drawing, scale: TimeScale, height: float) -> None:
    for span in scale.days_off():
        fill = "#f3e2c7" if span.kind == "holiday" else "#eef0f3"
        shade = draw.Rectangle(
            span.x, AXIS, span.width, height - AXIS, fill=fill, class_=span.kind
        )
        shade.append_title(f"{span.kind} from {span.label}")
        drawing.append(shade)


def _axis(drawing: draw.Drawing, scale: TimeScale, height: float) -> None:
    upper, lower = scale.ticks()
    for tick in upper:
        drawing.append(draw.Line(tick.x, 0, tick.x, height, stroke="#c5cbd3"))
        drawing.append(draw.Text(tick.label, 12, tick.x + 3, 13, font_weight="bold"))
    for tick in lower:
        drawing.append(draw.Line(tick.x, 18, tick.x, AXIS, stroke="#c5cbd3"))
        drawing.append(draw.Text(tick.label, 11, tick.x + 2, 31, fill="#444"))
    drawing.append(draw.Line(0, AXIS, scale.left + scale.width, AXIS, stroke="#888"))


def _row(drawing: draw.Drawing, scale: TimeScale, row: Row, label_width: float) -> None:
    if (row.y // ROW) % 2 == 0:
        drawing.append(draw.Rectangle(0, row.y, label_width, ROW, fill="#f7f8fa"))
    label = draw.Text(row.name, 12, 6, row.y + 16)
    label.append_title(row.task_id)
    drawing.append(label)
    if row.then is not None:
        x0, x1 = scale.x_start(row.then.start), scale.x_end(row.then.finish)
        drawing.append(
            draw.Rectangle(
                x0,
                row.y + 17,
                max(x1 - x0, 3),
                4,
                fill=COLORS["compare"],
                class_="compare",
                data_compare_id=row.task_id,
            )
        )
    if row.now is not None:
        _bar(drawing, scale, row, row.now)


def _bar(
    drawing: draw.Drawing, scale: TimeScale, row: Row, task: ScheduledTask
) -> None:
    hooks = {"data_task_id": task.task_id}
    if task.critical:
        hooks["data_critical"] = "true"
    color = COLORS["critical"] if task.critical else COLORS["task"]
    x0, y = scale.x_start(task.start), row.y + 3
    if task.finish == task.start:
        shape = draw.Lines(
            x0,
            y,
            x0 + 7,
            y + 7,
            x0,
            y + 14,
            x0 - 7,
            y + 7,
            close=True,
            fill=color,
            class_="milestone",
            **hooks,
        )
        end = x0 + 7
    else:
        end = scale.x_end(task.finish)
        shape = draw.Rectangle(
            x0, y, max(end - x0, 2), 13, rx=2, fill=color, class_="bar", **hooks
        )
    shape.append_title(_tooltip(scale, row, task))
    drawing.append(shape)
    if task.total_float:
        tail = scale.x_end(task.finish + task.total_float)
        drawing.append(
            draw.Line(
                end,
                y + 13,
                tail,
                y + 13,
                stroke=color,
                stroke_width=2,
                stroke_dasharray="3 2",
                class_="float",
            )
        )
    if task.assignees:
        people = ", ".join(task.assignees)
        drawing.append(draw.Text(people, 11, end + 4, y + 10, fill="#333"))


def _tooltip(scale: TimeScale, row: Row, task: ScheduledTask) -> str:
    first = scale.date_label(task.start, finish=False)
    last = scale.date_label(task.finish) if task.finish > task.start else first
    lines = [
        f"{row.name} ({task.task_id})",
        f"{first} to {last}, {task.finish - task.start} working days",
    ]
    if task.assignees:
        lines.append("people: " + ", ".join(task.assignees))
    if task.total_float is not None:
        lines.append(f"total float: {task.total_float} working days")
    if row.then is not None and row.then.finish != task.finish:
        lines.append(
            f"finish moved {task.finish - row.then.finish:+d} working days"
            " against the other plan"
        )
    return "\n".join(lines)


def _arrows(
    drawing: draw.Drawing,
    scale: TimeScale,
    dependencies: tuple[Dependency, ...],
    rows: dict[str, Row],
    head: draw.Marker,
) -> None:
    """An elbow from the predecessor's side to the successor's, by type."""
    for link in dependencies:
        before, after = rows.get(link.predecessor), rows.get(link.successor)
        if before is None or after is None or before.now is None or after.now is None:
            continue
        from_end = link.type in (DependencyType.FS, DependencyType.FF)
        to_end = link.type in (DependencyType.FF, DependencyType.SF)
        x1 = _side_x(scale, before.now, from_end)
        x2 = _side_x(scale, after.now, to_end)
        y1, y2 = before.y + 9.5, after.y + 9.5
        critical = before.now.critical and after.now.critical
        path = draw.Path(
            stroke=COLORS["critical"] if critical else "#7b8794",
            stroke_width=1,
            fill="none",
            marker_end=head,
            class_="link",
            data_link=f"{link.predecessor}->{link.successor}",
        )
        bend = x1 + 4 if from_end else x1 - 4
        path.M(x1, y1).H(bend)
        if to_end or x2 >= bend + 4:
            path.V(y2).H(x2 - 1)
        else:  # the successor starts left of the bend: go round above its row
            lane = y2 - ROW / 2 + 1 if y2 > y1 else y2 + ROW / 2 - 1
            path.V(lane).H(x2 - 8).V(y2).H(x2 - 1)
        drawing.append(path)


def _side_x(scale: TimeScale, task: ScheduledTask, end: bool) -> float:
    """x of a task's start or end side (a milestone has one point)."""
    if end and task.finish > task.start:
        return scale.x_end(task.finish)
    return scale.x_start(task.start)


def _markers(
    drawing: draw.Drawing, scale: TimeScale, markers: tuple[Marker, ...], height: float
) -> None:
    """Rightmost marker in the top header row, its label to the left of its
    line: each line starts at its own row, so no line crosses a label."""
    rightmost_first = sorted(markers, key=lambda marker: -marker.day)
    for number, marker in enumerate(rightmost_first):
        x = scale.x_end(marker.day) if marker.day > 0 else scale.left
        color = MARKER_COLORS.get(marker.label, "#333")
        y = AXIS + MARKER_ROW * (number + 1) - 4
        drawing.append(
            draw.Line(
                x,
                AXIS + MARKER_ROW * number + 2,
                x,
                height,
                stroke=color,
                stroke_width=1.5,
                stroke_dasharray="5 3",
                class_="marker",
            )
        )
        text = f"{marker.label} {scale.date_label(marker.day)} (day {marker.day:.1f})"
        drawing.append(
            draw.Text(
                text, 11, x - 4, y, fill=color, font_weight="bold", text_anchor="end"
            )
        )
