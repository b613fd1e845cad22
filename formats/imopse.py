"""Read iMOPSE multi-skill RCPSP instances (`.def`) into a Project.

Resources become people "R1" .. "Rn" (capacity 1, skills `{"Qk": level}`,
`cost_rate` = the salary), tasks become "1" .. "n" asking for one person with
the task's one skill at its level, and predecessor ids become FS dependencies.
A resource qualifies when it owns the skill at a level >= the one required.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from domain import Dependency, Project, Resource, Task, ValidationError

_SKILL = re.compile(r"(Q\d+):\s*(-?\d+)")
_COUNT = re.compile(r"^(Tasks|Resources):\s*(\d+)", re.MULTILINE)


def read_imopse(path: str | os.PathLike[str]) -> Project:
    """Read an iMOPSE `.def` file; the project is named after the file's stem.

    Raises domain.ValidationError naming the line if the file is malformed.
    """
    path = Path(path)
    return parse_imopse(path.read_text(encoding="latin-1"), name=path.stem)


def parse_imopse(text: str, name: str = "imopse") -> Project:
    """Parse the text of an iMOPSE `.def` file (see `read_imopse`)."""
    counts = {match.group(1): int(match.group(2)) for match in _COUNT.finditer(text)}
    lines = text.splitlines()
    resources = [_resource(line, number) for number, line in _rows(lines, "ResourceID")]
    rows = [_task_row(line, number) for number, line in _rows(lines, "TaskID")]
    tasks = tuple(task for task, _ in rows)
    known = {task.id for task in tasks}
    dependencies = []
    for task, predecessors in rows:
        for predecessor in predecessors:
            if predecessor not in known:
                raise ValidationError.at(
                    f"task {task.id}", f"unknown predecessor {predecessor}"
                )
            dependencies.append(Dependency(predecessor, task.id))
    for label, found in (("Resources", len(resources)), ("Tasks", len(tasks))):
        if label in counts and counts[label] != found:
            raise ValidationError.at(
                label, f"header says {counts[label]}, file lists {found}"
            )
    return Project(
        name=name,
        tasks=tasks,
        resources=tuple(resources),
        dependencies=tuple(dependencies),
    )


def _rows(lines: list[str], title: str) -> list[tuple[int, str]]:
    """Numbered data lines after the header line starting with `title`."""
    start = next(
        (i for i, line in enumerate(lines) if line.strip().startswith(title)), None
    )
    if start is None:
        raise ValidationError.at(title, "section not found")
    rows = []
    for number in range(start + 1, len(lines)):
        line = lines[number].strip()
        if line.startswith("="):
            break
        if line:
            rows.append((number + 1, line))
    return rows


def _resource(line: str, number: int) -> Resource:
    head = _SKILL.split(line)[0].split()
    if len(head) != 2:
        raise ValidationError.at(f"line {number}", "expected: id salary skills...")
    skills = {skill: int(level) for skill, level in _SKILL.findall(line)}
    try:
        salary = float(head[1])
    except ValueError:
        raise ValidationError.at(f"line {number}", f"bad salary {head[1]!r}") from None
    return Resource(id=f"R{head[0]}", skills=skills, cost_rate=salary)


def _task_row(line: str, number: int) -> tuple[Task, list[str]]:
    skills = _SKILL.findall(line)
    if len(skills) != 1:
        raise ValidationError.at(f"line {number}", "a task asks for exactly one skill")
    parts = _SKILL.split(line, maxsplit=1)  # before, skill, level, after
    head, after = parts[0].split(), parts[3]
    if len(head) != 2 or not all(part.isdigit() for part in head):
        raise ValidationError.at(f"line {number}", "expected: id duration skill")
    predecessors = after.split()
    if not all(part.isdigit() for part in predecessors):
        raise ValidationError.at(f"line {number}", "predecessor ids must be numbers")
    task = Task(
        id=head[0],
        duration=int(head[1]),
        skills={skills[0][0]: int(skills[0][1])},
        people=1,
    )
    return task, predecessors
