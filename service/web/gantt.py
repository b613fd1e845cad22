"""The Gantt chart as SVG built with drawsvg.

One row per task in start order: its bar (milestones are diamonds) with the
machine-readable hooks `data-task-id` and, on the critical path,
`data-critical="true"`; total float as a thin tail; the people after it; a
second plan (the baseline, or any plan to compare) as a thin grey bar under
each row. A task that pauses (a split task, or over its people's days off)
shows its parts with gaps between them, a dotted line across each gap.
Dependency arrows join the rows; weekends and holidays are shaded; deadline
and forecast lines carry their labels in the header, one row each, so no
label is ever crossed by another line.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import drawsvg as draw

from domain import Plan, Project, Task
from domain.status import as_of_status
from domain.worktime import worked_days, workers
from service.web.gantt_lines import arrows, marker_lines
from service.web.gantt_rows import (
    AXIS,
    CHAR,
    MARKER_ROW,
    ROW,
    Marker,
    Row,
    Stretch,
    draw_row,
)
from service.web.timescale import TimeScale


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
    current: Project | None = None,
) -> str:
    """The chart for `plan` (with `compare` under it) as an inline <svg>;
    `current` (the project as last reported) gives percent complete and the
    state of stage gates."""
    names = {task.id: task.name or task.id for task in project.tasks}
    label_width = min(max((len(n) for n in names.values()), default=8) * CHAR + 16, 380)
    horizon = max(
        [plan.makespan or 0, *(m.day for m in markers)]
        + [t.finish + (t.total_float or 0) for t in plan.tasks]
        + ([compare.makespan or 0] if compare else [])
    )
    scale = TimeScale(project, int(horizon) + 3, zoom, label_width)
    top = AXIS + MARKER_ROW * len(markers) + 4
    gaps = idle_stretches(project, plan)
    rows = _rows(plan, compare, names, top, current or project, gaps)
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
        draw_row(drawing, scale, row, label_width)
    arrows(drawing, scale, project.dependencies, {r.task_id: r for r in rows}, arrow)
    marker_lines(drawing, scale, markers, height)
    return str(drawing.as_svg(header=""))


def _rows(
    plan: Plan,
    compare: Plan | None,
    names: dict[str, str],
    top: float,
    current: Project,
    gaps: dict[str, tuple[Stretch, ...]],
) -> list[Row]:
    """Rows in the shown plan's start order, with the days in them without
    work (`idle_stretches`); tasks only the compared plan has come last."""
    now = {t.task_id: t for t in plan.tasks}
    then = {} if compare is None else {t.task_id: t for t in compare.tasks}
    order = sorted(now.values(), key=lambda t: (t.start, t.finish, t.task_id))
    ids = [t.task_id for t in order]
    ids += sorted(set(then) - set(now), key=lambda i: (then[i].start, i))
    tasks = {task.id: task for task in current.tasks}
    return [
        Row(
            i,
            names.get(i, i),
            top + n * ROW,
            now.get(i),
            then.get(i),
            *_state(tasks.get(i)),
            gaps=gaps.get(i, ()),
        )
        for n, i in enumerate(ids)
    ]


def idle_stretches(project: Project, plan: Plan) -> dict[str, tuple[Stretch, ...]]:
    """Per task, the runs of working days [first, end) inside its planned
    span on which it does no work: its stated pauses (`domain.pauses`) and
    its people's, equipment's or own calendar's days off."""
    view = as_of_status(project)
    latest = max((t.finish for t in plan.tasks), default=0)
    if view.start is None:
        dates = [date.min] * latest  # no calendars without a start
    else:
        dates = view.time_calendar.working_dates(view.start, latest)
    idle: dict[str, tuple[Stretch, ...]] = {}
    for placed in plan.tasks:
        if placed.task_id not in view.task_index or placed.finish <= placed.start:
            continue
        task = view.task(placed.task_id)
        team, calendar = workers(task, placed.assignees), view.task_calendar(task)
        span, start = placed.finish - placed.start, placed.start
        worked = set(worked_days(view, span, start, team, dates, calendar, task.pauses))
        days = [day for day in range(start, placed.finish) if day not in worked]
        if days:
            idle[placed.task_id] = tuple(_runs(days))
    return idle


def _runs(days: list[int]) -> Iterator[Stretch]:
    """[first, end) of each run of consecutive days (sorted, distinct)."""
    first = previous = days[0]
    for day in days[1:]:
        if day != previous + 1:
            yield first, previous + 1
            first = day
        previous = day
    yield first, previous + 1


def _state(task: Task | None) -> tuple[float | None, str | None]:
    """Percent complete, and a gate's state (approved once it has finished)."""
    if task is None:
        return None, None
    gate = None
    if task.gate:
        gate = "waiting" if task.timing.actual_finish is None else "approved"
    return task.progress.percent_complete, gate


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
