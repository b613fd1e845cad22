"""Forecast charts as plotly figures (plain dicts drawn by the bundled
plotly.js): the finish date's histogram and S-curve with P50/P80/P95 and the
deadline, and the tornado of task and risk drivers.

The page re-runs the shown plan's latest recorded forecast from its seed,
sample count and the project version it started from (a forecast is
reproducible, so this is the recorded one), or,
when none was recorded, a preview it labels as such.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from service.usecases import ForecastRequest, Planforge
from service.views import JSON, forecast_view
from service.web.projectview import ProjectView

PREVIEW_SAMPLES = 2000
LINES = (
    ("P50", "p50", "#1f7a3a"),
    ("P80", "p80", "#b35c00"),
    ("P95", "p95", "#7a1f5c"),
)
LAYOUT: JSON = {
    "margin": {"l": 60, "r": 20, "t": 70, "b": 50},
    "font": {"family": "system-ui, sans-serif", "size": 12},
    "showlegend": False,
    "height": 340,
}


def forecast_context(planforge: Planforge, view: ProjectView) -> dict[str, Any]:
    """The forecast JSON, where it came from, and the figures."""
    assert view.shown is not None
    recorded = view.shown.latest_forecast
    samples = PREVIEW_SAMPLES if recorded is None else int(recorded["samples"])
    seed = 0 if recorded is None else int(recorded["seed"])
    engine = (
        "committed"
        if recorded is None
        else recorded["summary"].get("engine", "committed")
    )
    request = ForecastRequest(samples=samples, seed=seed, engine=engine)
    version = view.shown.project_version
    if recorded is not None:  # the progress it started from
        version = int(recorded["summary"].get("project_version", version))
    project = planforge.get_project(view.project_id, version).project
    result = planforge.simulate(
        project, view.shown.plan, request, version, project_id=view.project_id
    )
    forecast = forecast_view(project, result)
    names = {task.id: task.name or task.id for task in view.project.tasks}
    risk_names = {risk.id: risk.name or risk.id for risk in view.project.risks}
    return {
        "forecast": forecast,
        "recorded": recorded,
        "names": names,
        "risk_names": risk_names,
        "figures": {
            "histogram": histogram(forecast),
            "s_curve": s_curve(forecast),
            "tornado": tornado(forecast, names, risk_names),
        },
    }


def histogram(forecast: JSON) -> JSON:
    """Share of samples finishing in each working day, from the 101 recorded
    percentiles: each 1 % between two neighbours spread evenly over the days
    between them (the linearly interpolated distribution)."""
    curve = [point["day"] for point in forecast["s_curve"]]
    first, last = math.floor(curve[0]), math.ceil(curve[-1])
    bins = list(range(first, max(last, first + 1)))
    shares = [0.0] * len(bins)
    step = 1 / (len(curve) - 1)
    for low, high in itertools.pairwise(curve):
        for index, day in enumerate(bins):
            if high == low:
                inside = 1.0 if day <= low < day + 1 else 0.0
            else:
                overlap = min(high, day + 1) - max(low, day)
                inside = max(overlap, 0.0) / (high - low)
            shares[index] += step * inside
    bars = {
        "type": "bar",
        "x": [day + 0.5 for day in bins],
        "y": shares,
        "width": 0.9,
        "marker": {"color": "#4e79a7"},
        "name": "share of samples",
        "hovertemplate": "day %{x:.0f}: %{y:.1%}<extra></extra>",
    }
    title = "Finish: share of samples per working day"
    return {"data": [bars], "layout": _with_lines(forecast, title, "share")}


def s_curve(forecast: JSON) -> JSON:
    """The chance of finishing by each day (dates on hover)."""
    points = forecast["s_curve"]
    line = {
        "type": "scatter",
        "mode": "lines",
        "x": [p["day"] for p in points],
        "y": [p["probability"] for p in points],
        "text": [p["date"] or "" for p in points],
        "line": {"color": "#4e79a7", "width": 2},
        "name": "chance",
        "hovertemplate": "day %{x:.1f} %{text}: %{y:.0%}<extra></extra>",
    }
    return {
        "data": [line],
        "layout": _with_lines(
            forecast, "S-curve: chance of finishing by day", "chance"
        ),
    }


def tornado(forecast: JSON, names: dict[str, str], risk_names: dict[str, str]) -> JSON:
    """Tasks by cruciality (rank correlation with the finish), risks by the
    working days they add at P80; largest on top."""
    tasks = forecast["tornado"]["tasks"][::-1]
    risks = forecast["tornado"]["risks"][::-1]
    task_bars = _bars(
        [t["cruciality"] for t in tasks],
        [names.get(t["id"], t["id"]) for t in tasks],
        "#4e79a7",
        "%{y}: cruciality %{x:.2f}<extra></extra>",
        "",
    )
    risk_bars = _bars(
        [r["p80_days"] for r in risks],
        [risk_names.get(r["id"], r["id"]) for r in risks],
        "#b35c00",
        "%{y}: +%{x:.1f} working days at P80<extra></extra>",
        "2",
    )
    rows = max(len(tasks), len(risks), 1)
    layout = {
        **LAYOUT,
        "height": 120 + 26 * rows,
        "margin": {"l": 230, "r": 20, "t": 50, "b": 50},
        "grid": {"rows": 1, "columns": 2, "pattern": "independent"},
        "xaxis": {
            "title": {"text": "tasks: cruciality (Spearman)"},
            "domain": [0, 0.45],
        },
        "xaxis2": {
            "title": {"text": "risks: working days added at P80"},
            "domain": [0.72, 1],
        },
        "yaxis": {"automargin": True},
        "yaxis2": {"automargin": True, "anchor": "x2"},
        "title": {"text": "Tornado: what drives the finish"},
    }
    return {"data": [task_bars, risk_bars], "layout": layout}


def _with_lines(forecast: JSON, title: str, axis: str) -> JSON:
    """P50/P80/P95 and the deadline as vertical lines, labels staggered in
    the margin above the plot so none crosses another line."""
    duration = forecast["duration"]
    lines = [(label, duration[key], color) for label, key, color in LINES]
    if forecast["deadline"] is not None:
        lines.append(("deadline", forecast["deadline"], "#111"))
    shapes = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": day,
            "x1": day,
            "y0": 0,
            "y1": 1,
            "line": {"color": color, "dash": "dash", "width": 1.5},
        }
        for _, day, color in lines
    ]
    labels = [
        {
            "x": day,
            "y": 1.0 + 0.07 * (1 + n),
            "xref": "x",
            "yref": "paper",
            "showarrow": False,
            "text": f"{label} {day:.1f}",
            "font": {"color": color},
            "xanchor": "left",
        }
        for n, (label, day, color) in enumerate(sorted(lines, key=lambda line: line[1]))
    ]
    return {
        **LAYOUT,
        "margin": {**LAYOUT["margin"], "t": 40 + 20 * len(lines)},
        "title": {"text": title, "y": 0.98, "yanchor": "top"},
        "xaxis": {"title": {"text": "working days from the start"}},
        "yaxis": {"title": {"text": axis}, "tickformat": ".0%", "rangemode": "tozero"},
        "shapes": shapes,
        "annotations": labels,
    }


def _bars(x: list[Any], y: list[str], color: str, hover: str, axis: str) -> JSON:
    """Horizontal bars on the axis pair `x{axis}`/`y{axis}` ("" for the first)."""
    return {
        "type": "bar",
        "orientation": "h",
        "x": x,
        "y": y,
        "marker": {"color": color},
        "hovertemplate": hover,
        "xaxis": f"x{axis}",
        "yaxis": f"y{axis}",
    }
