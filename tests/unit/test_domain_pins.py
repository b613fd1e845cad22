"""Pins given with a plan request: parsed, applied to a copy, checked, named."""

from __future__ import annotations

import pytest

from domain import Dependency, Project, Task, ValidationError
from domain.pins import parse_pins, pins_to_document, with_pins
from domain.timing import Pin, TaskTiming

PROJECT = Project(
    "p",
    (Task("a", 3), Task("b", 2, timing=TaskTiming(release=4, pin=Pin(4, 9)))),
    dependencies=(Dependency("a", "b"),),
)


def test_pins_read_and_write_the_document_form() -> None:
    document = {"b": {"start": 6}, "a": {"earliest": 1}}
    pins = parse_pins(document)

    assert pins == (("a", Pin(1, None)), ("b", Pin(6, 6)))
    assert pins_to_document(pins) == {"a": {"earliest": 1}, "b": {"start": 6}}


def test_a_pin_replaces_the_tasks_own_on_a_copy() -> None:
    pinned = with_pins(PROJECT, parse_pins({"b": {"start": 7}}))

    assert pinned.task("b").timing == TaskTiming(release=4, pin=Pin(7, 7))
    assert PROJECT.task("b").timing.pin == Pin(4, 9)


@pytest.mark.parametrize(
    ("document", "field", "words"),
    [
        ({"zz": {"start": 1}}, "pins.zz", "unknown task"),
        ({"b": {"start": -1}}, "pins.b.start", ">= 0"),
        ({"b": {"start": 1, "latest": 2}}, "pins.b", "either start or"),
        ({"b": {"when": 1}}, "pins.b.when", "unknown field"),
        ({"b": None}, "pins.b", "expected a pin"),
        ({"b": {"start": 2}}, "pins.b", "released on day 4"),
        ([1], "pins", "expected"),
    ],
)
def test_bad_pins_name_their_field(document: object, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        with_pins(PROJECT, parse_pins(document))

    problem = caught.value.problems[0]
    assert problem.field == field
    assert words in problem.message
