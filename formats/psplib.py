"""Read single-mode RCPSP instances in the PSPLIB `.sm` format into a Project.

Jobs become tasks named by their job number ("1" .. "n", the zero-duration
supersource and supersink included), renewable resources become "R1" .. "Rk",
and successor lists become FS dependencies with lag 0. Anything the format
allows but the project model cannot hold (several modes, non-renewable
resources) is rejected rather than silently dropped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from domain import Dependency, Problem, Project, Resource, Task, ValidationError

T = TypeVar("T")
Row = tuple[int, list[int]]  # line number, the integers on it

_SEPARATOR = re.compile(r"^\*{10,}\s*$")
_JOBS = re.compile(r"^jobs \(incl\. supersource/sink \)\s*:\s*(\d+)", re.MULTILINE)
_RENEWABLE = re.compile(r"^\s*- renewable\s*:\s*(\d+)", re.MULTILINE)
_OTHER_RESOURCES = re.compile(
    r"^\s*- (nonrenewable|doubly constrained)\s*:\s*(\d+)", re.MULTILINE
)


def read_psplib(path: str | os.PathLike[str]) -> Project:
    """Read a PSPLIB `.sm` file; the project is named after the file's stem.

    Raises domain.ValidationError (naming the line) if the file is malformed,
    and OSError if it cannot be read.
    """
    path = Path(path)
    return parse_psplib(path.read_text(encoding="latin-1"), name=path.stem)


def parse_psplib(text: str, name: str = "psplib") -> Project:
    """Parse the text of a PSPLIB `.sm` file (see `read_psplib`)."""
    lines = text.splitlines()
    jobs = _header_count(text, _JOBS, "number of jobs")
    renewable = _header_count(text, _RENEWABLE, "number of renewable resources")
    for match in _OTHER_RESOURCES.finditer(text):
        if int(match.group(2)) != 0:
            raise ValidationError.at(name, f"{match.group(1)} resources unsupported")
    names, capacities = _availabilities(_section(lines, "RESOURCEAVAILABILITIES"))
    if len(names) != renewable:
        raise ValidationError.at(
            "RESOURCEAVAILABILITIES",
            f"{len(names)} resources listed, header says {renewable}",
        )
    successors = _successors(_section(lines, "PRECEDENCE RELATIONS"), jobs)
    requests = _requests(_section(lines, "REQUESTS/DURATIONS"), jobs, renewable)
    resources = tuple(Resource(n, c) for n, c in zip(names, capacities, strict=True))
    tasks = tuple(
        Task(
            id=str(job),
            duration=duration,
            demands={
                n: units for n, units in zip(names, demands, strict=True) if units
            },
        )
        for job, (duration, demands) in sorted(requests.items())
    )
    dependencies = tuple(
        Dependency(str(job), str(successor))
        for job, following in sorted(successors.items())
        for successor in following
    )
    return Project(name, tasks, resources=resources, dependencies=dependencies)


def _header_count(text: str, pattern: re.Pattern[str], what: str) -> int:
    match = pattern.search(text)
    if match is None:
        raise ValidationError.at("header", f"{what} is missing")
    return int(match.group(1))


def _section(lines: list[str], title: str) -> list[Row]:
    """The numeric rows of a titled section, up to the next row of asterisks."""
    starts = [i for i, line in enumerate(lines) if line.strip().startswith(title)]
    if not starts:
        raise ValidationError.at(title, "section is missing")
    rows: list[Row] = []
    for number, line in enumerate(lines[starts[0] + 1 :], start=starts[0] + 2):
        if _SEPARATOR.match(line):
            break
        fields = line.split()
        if not fields or not fields[0].lstrip("-").isdigit():
            continue  # column headings and rules
        try:
            rows.append((number, [int(field) for field in fields]))
        except ValueError:
            raise ValidationError.at(f"line {number}", "expected integers") from None
    return rows


def _availabilities(rows: list[Row]) -> tuple[list[str], list[int]]:
    """Resource names ("R1" ..) and capacities; the names come from the heading."""
    if len(rows) != 1:
        raise ValidationError.at("RESOURCEAVAILABILITIES", "expected one row")
    number, capacities = rows[0]
    names = [f"R{index}" for index in range(1, len(capacities) + 1)]
    if any(capacity < 0 for capacity in capacities):
        raise ValidationError.at(f"line {number}", "capacities must not be negative")
    return names, capacities


def _successors(rows: list[Row], jobs: int) -> dict[int, list[int]]:
    """Job -> successor jobs, checking modes, counts and job numbers."""
    successors: dict[int, list[int]] = {}
    for number, values in rows:
        where = f"line {number}"
        if len(values) < 3 or len(values) != 3 + values[2]:
            raise ValidationError.at(where, "expected job, modes, count, successors")
        job, modes, _, following = values[0], values[1], values[2], values[3:]
        if modes != 1:
            raise ValidationError.at(where, f"job {job} has {modes} modes, need 1")
        if any(not 1 <= successor <= jobs for successor in following):
            raise ValidationError.at(where, f"job {job} has an unknown successor")
        _add_job(successors, job, following, where)
    _check_jobs(successors.keys(), jobs, "PRECEDENCE RELATIONS")
    return successors


def _requests(
    rows: list[Row], jobs: int, resources: int
) -> dict[int, tuple[int, list[int]]]:
    """Job -> (duration, demand per renewable resource)."""
    requests: dict[int, tuple[int, list[int]]] = {}
    for number, values in rows:
        where = f"line {number}"
        if len(values) != 3 + resources:
            raise ValidationError.at(
                where, f"expected job, mode, duration and {resources} demands"
            )
        if values[1] != 1:
            raise ValidationError.at(where, f"job {values[0]}: only mode 1 allowed")
        if any(value < 0 for value in values[2:]):
            raise ValidationError.at(where, "durations and demands must be >= 0")
        _add_job(requests, values[0], (values[2], values[3:]), where)
    _check_jobs(requests.keys(), jobs, "REQUESTS/DURATIONS")
    return requests


def _add_job(table: dict[int, T], job: int, value: T, where: str) -> None:
    if job in table:
        raise ValidationError.at(where, f"job {job} is listed twice")
    table[job] = value


def _check_jobs(found: Iterable[int], jobs: int, section: str) -> None:
    listed = set(found)
    expected = set(range(1, jobs + 1))
    if listed != expected:
        missing = sorted(expected - listed)
        extra = sorted(listed - expected)
        raise ValidationError(
            [Problem(section, f"jobs missing {missing}, unexpected {extra}")]
        )
