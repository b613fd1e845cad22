"""Portfolio plans for people: cross-project links in, plan and loading out.

Cross-project dependency format (CLI `--links FILE`, HTTP `links`):
`[{"from": {"project": "Launch", "task": "qa"},
   "to": {"project": "Ops", "task": "deploy"}, "type": "FS", "lag": 0}]`
Projects are named by their `name` (CLI) or id (HTTP); names must be unique.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from domain import DependencyType, Project, ValidationError
from domain.loading import LoadRow, every_week, weekly_load
from scheduler.portfolio import CrossDependency, PortfolioPlan
from service.views import JSON, iso, plan_view


def parse_links(data: Any, where: str = "links") -> list[CrossDependency]:
    """Read the cross-project dependency list, naming any bad field."""
    if not isinstance(data, list):
        raise ValidationError.at(where, "expected a list of links")
    return [_link(item, f"{where}[{index}]") for index, item in enumerate(data)]


def _link(item: Any, where: str) -> CrossDependency:
    if not isinstance(item, Mapping):
        raise ValidationError.at(where, "expected a JSON object")
    ends = [_end(item.get(end), f"{where}.{end}") for end in ("from", "to")]
    kind = item.get("type", "FS")
    if kind not in [t.value for t in DependencyType]:
        raise ValidationError.at(f"{where}.type", "must be one of FS, SS, FF, SF")
    lag = item.get("lag", 0)
    if isinstance(lag, bool) or not isinstance(lag, int):
        raise ValidationError.at(f"{where}.lag", f"expected a whole number: {lag!r}")
    (from_project, from_task), (to_project, to_task) = ends
    return CrossDependency(
        from_project, from_task, to_project, to_task, DependencyType(kind), lag
    )


def _end(value: Any, where: str) -> tuple[str, str]:
    if not isinstance(value, Mapping):
        raise ValidationError.at(where, 'expected {"project": ..., "task": ...}')
    project, task = value.get("project"), value.get("task")
    if not isinstance(project, str) or not isinstance(task, str):
        raise ValidationError.at(where, "project and task must be strings")
    return project, task


def portfolio_view(projects: list[Project], result: PortfolioPlan) -> JSON:
    """Per project finish/tardiness/dates, the merged plan, weekly loading."""
    merged = result.project
    rows = weekly_load(merged, result.plan, result.project_of)
    return {
        "status": result.plan.status.value,
        "makespan": result.plan.makespan,
        "runtime_seconds": round(result.plan.runtime_seconds, 3),
        "projects": [
            {
                "name": p.name,
                "priority": p.priority,
                "deadline": p.deadline,
                "finish": result.finishes.get(p.name),
                "finish_date": iso(merged.finish_date(result.finishes[p.name]))
                if p.name in result.finishes
                else None,
                "tardiness": result.tardiness.get(p.name),
            }
            for p in projects
        ],
        "plan": plan_view(merged, result.plan),
        "load": [vars(row) for row in rows],
    }


def load_table(rows: list[LoadRow], weeks_per_block: int = 13) -> str:
    """Working days per person (rows) and ISO week (columns), all projects,
    every week from the first booking to the last (none skipped, none cut),
    in blocks of a quarter so lines stay readable."""
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        totals[row.resource][row.week] += row.days
    weeks = every_week({row.week for row in rows})
    if not weeks:
        return "Weekly load: nobody is booked"
    width = max(len(name) for name in totals) + 2
    lines = [
        f"Weekly load (working days) over the whole plan: {weeks[0]} to "
        f"{weeks[-1]}, {len(weeks)} weeks"
    ]
    for first in range(0, len(weeks), weeks_per_block):
        block = weeks[first : first + weeks_per_block]
        header = f"{'resource':<{width}}" + "".join(f"{w[-3:]:>5}" for w in block)
        lines += ["", header, "-" * len(header)]
        for resource in sorted(totals):
            cells = "".join(f"{totals[resource].get(w, 0):>5}" for w in block)
            lines.append(f"{resource:<{width}}{cells}")
    return "\n".join(lines)
