"""Read RCPSP/max instances (ProGen/max `.sch`, the j10-j30 and UBO sets).

The text is whitespace-separated integers: a header `n K 0 0`, then per job
0 .. n+1 `job mode count successors... [lag]...`, then per job `job mode
duration demand_1 .. demand_K`, then the K capacities. A lag l from i to j
means start(j) >= start(i) + l, so each becomes an SS dependency with that
lag; a negative lag is a maximum time lag seen backwards. Jobs become tasks
named by their number, resources "R1" .. "RK". Several modes are rejected.
"""

from __future__ import annotations

import re
from pathlib import Path

from domain import (
    Dependency,
    DependencyType,
    Project,
    Resource,
    Task,
    ValidationError,
)

_LAG = re.compile(r"\[(-?\d+)\]")


def read_rcpsp_max(path: Path) -> Project:
    """The instance at `path` as a project named after the file."""
    return parse_rcpsp_max(path.read_text(), path.stem)


def parse_rcpsp_max(text: str, name: str = "rcpsp-max") -> Project:
    """Parse the text of a `.sch` file (see the module docstring)."""
    lines = [line.split() for line in text.splitlines() if line.strip()]
    try:
        jobs, kinds = int(lines[0][0]) + 2, int(lines[0][1])
        links = [_links(row) for row in lines[1 : 1 + jobs]]
        modes = [[int(v) for v in row] for row in lines[1 + jobs : 1 + 2 * jobs]]
        capacities = [int(v) for v in lines[1 + 2 * jobs]][:kinds]
    except (IndexError, ValueError) as error:
        raise ValidationError.at(name, f"not an RCPSP/max file: {error}") from None
    if any(row[1] != 1 for row in modes) or len(capacities) != kinds:
        raise ValidationError.at(name, "only single-mode instances are read")
    resources = tuple(Resource(f"R{k + 1}", c) for k, c in enumerate(capacities))
    tasks = tuple(
        Task(
            str(row[0]),
            row[2],
            demands={f"R{k + 1}": u for k, u in enumerate(row[3 : 3 + kinds]) if u},
        )
        for row in modes
    )
    dependencies = tuple(
        Dependency(str(job), str(successor), DependencyType.SS, lag)
        for job, successors in enumerate(links)
        for successor, lag in successors
    )
    return Project(name, tasks, resources=resources, dependencies=dependencies)


def _links(row: list[str]) -> list[tuple[int, int]]:
    """(successor, lag) pairs of one job's line."""
    count = int(row[2])
    successors = [int(v) for v in row[3 : 3 + count]]
    lags = [_lag(value) for value in row[3 + count : 3 + 2 * count]]
    return list(zip(successors, lags, strict=True))


def _lag(value: str) -> int:
    match = _LAG.fullmatch(value)
    if match is None:
        raise ValueError(f"expected a lag like [-3], got {value!r}")
    return int(match.group(1))
