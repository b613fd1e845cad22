"""Lines across the Gantt's rows: dependency arrows (elbows from the
predecessor's side to the successor's, by link type) and the vertical marker
lines (deadline, status date, P50, P80) with their labels in the header."""

from __future__ import annotations

import drawsvg as draw

from domain import Dependency, DependencyType, ScheduledTask
from service.web.gantt_rows import (
    AXIS,
    COLORS,
    MARKER_COLORS,
    MARKER_ROW,
    ROW,
    Marker,
    Row,
)
from service.web.timescale import TimeScale


def arrows(
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


def marker_lines(
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
        when = marker.date or scale.date_label(marker.day)
        text = f"{marker.label} {when} (day {round(marker.day, 1):g})"
        drawing.append(
            draw.Text(
                text, 11, x - 4, y, fill=color, font_weight="bold", text_anchor="end"
            )
        )
