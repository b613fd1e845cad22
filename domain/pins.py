"""Pins given with one plan request: the project as if these tasks were pinned.

A planner may pin tasks for one solve ("what if the crane work starts on day
12?") without editing the project. Each pin replaces the task's own pin, is
checked like one in a document, and the plan records the pins it was computed
with, so it can be reproduced. Document form: `{"task id": {"start": 12}}` or
`{"task id": {"earliest": 10, "latest": 14}}`, days from the project start.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from domain.errors import ValidationError
from domain.model import Project
from domain.plan import Pins
from domain.timing import Pin, parse_pin, pin_to_document
from domain.validation import validate_project


def parse_pins(value: Any, where: str = "pins") -> Pins:
    """Read `{"task": {pin}}`; errors name `pins.<task>...`."""
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise ValidationError.at(where, 'expected {"task id": {"start": day}, ...}')
    pins = []
    for task_id, pin_doc in sorted(value.items()):
        pin = parse_pin(pin_doc, f"{where}.{task_id}")
        if pin is None:
            raise ValidationError.at(f"{where}.{task_id}", "expected a pin, got null")
        pins.append((str(task_id), pin))
    return tuple(pins)


def pins_to_document(pins: Pins) -> dict[str, dict[str, int]]:
    return {task_id: pin_to_document(pin) for task_id, pin in pins}


def with_pins(project: Project, pins: Pins, where: str = "pins") -> Project:
    """The project with these tasks pinned; ValidationError for an unknown task
    or a pin that contradicts the task's own release, deadline or dates."""
    if not pins:
        return project
    known = {task.id for task in project.tasks}
    for task_id, _pin in pins:
        if task_id not in known:
            raise ValidationError.at(f"{where}.{task_id}", "unknown task")
    chosen = dict(pins)
    tasks = tuple(
        replace(task, timing=replace(task.timing, pin=chosen[task.id]))
        if task.id in chosen
        else task
        for task in project.tasks
    )
    pinned = replace(project, tasks=tasks)
    try:
        validate_project(pinned)
    except ValidationError as error:
        problems = [
            replace(problem, field=_pin_field(problem.field, chosen, where))
            for problem in error.problems
        ]
        raise ValidationError(problems) from None
    return pinned


def _pin_field(field: str, chosen: Mapping[str, Pin], where: str) -> str:
    """`tasks[<id>]...` of a pinned task becomes `pins.<id>`: the request's field."""
    for task_id in chosen:
        if field == f"tasks[{task_id}]" or field.startswith(f"tasks[{task_id}]."):
            return f"{where}.{task_id}"
    return field
