"""One row of the Gantt: its label, the bar of the shown plan (hooks
`data-task-id`, `data-critical`), progress inside it, total float as a thin
tail, the people after it, and the compared plan as a thin grey bar under it.
Also the chart's shared measures and the `Marker` and `Row` it is made of."""

from __future__ import annotations

from dataclasses import dataclass

import drawsvg as draw

from domain import ScheduledTask
from service.web.timescale import TimeScale

ROW = 24
AXIS = 36  # two rows of axis labels
MARKER_ROW = 16
CHAR = 6.8  # average width of a 12 px label character
GATE_COLORS = {"waiting": "#e0a800", "approved": "#1f7a3a"}
GATE_WORDS = {"waiting": "waiting for approval", "approved": "approved"}
COLORS = {"task": "#4e79a7", "critical": "#c0392b", "compare": "#9aa5b1"}
MARKER_COLORS = {
    "deadline": "#111",
    "P50": "#1f7a3a",
    "P80": "#b35c00",
    "P95": "#7a1f5c",
    "status date": "#2456a6",
}


Stretch = tuple[int, int]  # working days [first, end)


@dataclass(frozen=True)
class Marker:
    """A vertical line at working time `day` (deadline, P50, P80...);
    `date` names it when the date was given (a status date on a holiday is
    at the same working time as the working day before)."""

    label: str
    day: float
    date: str | None = None


@dataclass(frozen=True)
class Row:
    """A task's row: the shown plan's place for it (`now`) and the days
    inside it without work (`gaps`), the compared plan's (`then`), percent
    complete and, for a stage gate, whether it is
    `approved` or `waiting` (as last reported)."""

    task_id: str
    name: str
    y: float
    now: ScheduledTask | None
    then: ScheduledTask | None
    done: float | None = None
    gate: str | None = None
    gaps: tuple[Stretch, ...] = ()  # days inside `now` without work


def draw_row(
    drawing: draw.Drawing,
    scale: TimeScale,
    row: Row,
    label_width: float,
) -> None:
    """The label, the compared plan's thin bar, then the shown plan's bar."""
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
    drawing: draw.Drawing,
    scale: TimeScale,
    row: Row,
    task: ScheduledTask,
) -> None:
    done = row.done
    hooks = {"data_task_id": task.task_id}
    if task.critical:
        hooks["data_critical"] = "true"
    color = COLORS["critical"] if task.critical else COLORS["task"]
    if row.gate is not None:
        hooks["data_gate"] = row.gate
        color = GATE_COLORS[row.gate]
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
            class_="milestone" if row.gate is None else "milestone gate",
            stroke="#111" if row.gate is not None else "none",
            stroke_width=1.5,
            **hooks,
        )
        end = x0 + 7
    else:
        end = scale.x_end(task.finish)
        shape = draw.Rectangle(
            x0, y, max(end - x0, 2), 13, rx=2, fill=color, class_="bar", **hooks
        )
    parts = _parts(scale, row, task, y)
    if parts is not None:
        shape.args["clip-path"] = parts
    shape.append_title(_tooltip(scale, row, task))
    drawing.append(shape)
    if done and task.finish > task.start:
        filled = draw.Rectangle(
            x0,
            y + 4,
            (end - x0) * min(done, 100) / 100,
            5,
            fill="#10243d",
            class_="progress",
            data_progress=f"{done:g}",
        )
        if parts is not None:
            filled.args["clip-path"] = parts
        filled.append_title(f"{done:g} % complete")
        drawing.append(filled)
    _gaps(drawing, scale, row, y, color)
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


def _parts(
    scale: TimeScale, row: Row, task: ScheduledTask, y: float
) -> draw.ClipPath | None:
    """The stretches the task works, to clip its bar to (None: no gap)."""
    if not row.gaps:
        return None
    clip = draw.ClipPath()
    first = task.start
    for gap_start, gap_end in (*row.gaps, (task.finish, task.finish)):
        if gap_start > first:
            x0, x1 = scale.x_start(first), scale.x_end(gap_start)
            clip.append(draw.Rectangle(x0, y - 1, x1 - x0, 15))
        first = gap_end
    return clip


def _gaps(
    drawing: draw.Drawing, scale: TimeScale, row: Row, y: float, color: str
) -> None:
    """A dotted line across each gap, titled with its working days."""
    for first, end in row.gaps:
        x0, x1 = scale.x_start(first), scale.x_end(end)
        gap = draw.Line(
            x0,
            y + 6.5,
            x1,
            y + 6.5,
            stroke=color,
            stroke_width=1.5,
            stroke_dasharray="2 3",
            class_="pause",
            data_pause_of=row.task_id,
            data_days=str(end - first),
        )
        days = f"{end - first} working day{'s' if end - first != 1 else ''}"
        gap.append_title(f"{row.name}: no work for {days}")
        drawing.append(gap)


def _tooltip(scale: TimeScale, row: Row, task: ScheduledTask) -> str:
    first = scale.date_label(task.start, finish=False)
    last = scale.date_label(task.finish) if task.finish > task.start else first
    lines = [
        f"{row.name} ({task.task_id})",
        f"{first} to {last}, {task.finish - task.start} working days",
    ]
    if task.assignees:
        lines.append("people: " + ", ".join(task.assignees))
    if row.done is not None:
        lines.append(f"{row.done:g} % complete")
    if row.gate is not None:
        lines.append(f"stage gate: {GATE_WORDS[row.gate]}")
    if task.total_float is not None:
        lines.append(f"total float: {task.total_float} working days")
    if row.then is not None and row.then.finish != task.finish:
        lines.append(
            f"finish moved {task.finish - row.then.finish:+d} working days"
            " against the other plan"
        )
    return "\n".join(lines)
