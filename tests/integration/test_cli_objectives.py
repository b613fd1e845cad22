"""`planforge solve` with objectives, a previous plan, and explained conflicts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from service.cli import main

DOCUMENT: dict[str, Any] = {
    "name": "release",
    "resources": [{"id": "crane", "capacity": 1}],
    "tasks": [
        {"id": "kickoff", "duration": 0},
        {"id": "build", "duration": 15, "demands": {"crane": 1}},
        {"id": "deploy", "duration": 8, "demands": {"crane": 1}, "due": 30},
        {
            "id": "docs",
            "duration": 3,
            "demands": {"crane": 1},
            "due": 3,
            "tardiness_weight": 4,
        },
    ],
    "dependencies": [
        {"from": "kickoff", "to": "build"},
        {"from": "build", "to": "deploy"},
    ],
}


def write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_tardiness_objective_and_stable_replan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project = write(tmp_path, "p.json", DOCUMENT)
    assert main(["solve", str(project), "--objective", "tardiness", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["starts"]["docs"] == 0
    assert first["objective"]["name"] == "tardiness"
    assert {t["id"]: t["critical"] for t in first["tasks"]}["deploy"] is True

    previous = write(tmp_path, "plan.json", first)
    argv = ["solve", str(project), "--objective", "stability", "--previous"]
    assert main([*argv, str(previous), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["starts"] == first["starts"]
    assert again["objective"]["value"] == 0  # no task moved


def test_infeasible_deadline_prints_the_chain(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = {**DOCUMENT, "deadline": 20}
    path = str(write(tmp_path, "p.json", document))
    assert main(["solve", path, "--deadlines", "hard", "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "infeasible"
    assert result["conflicts"] == [
        "the project cannot finish by its deadline (day 20): the chain "
        "kickoff -> build (15 d) -> deploy (8 d) needs 23 days"
    ]


def test_a_soft_deadline_gives_the_least_late_plan_and_warns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = {**DOCUMENT, "deadline": 20}
    assert main(["solve", str(write(tmp_path, "p.json", document)), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["status"], result["makespan"], result["deadlines"]) == (
        "optimal",
        26,  # the crane does 15 + 8 + 3 days of work
        "soft",
    )
    assert result["warnings"] == [
        "the project finishes on day 26, 6 days after its deadline (day 20)",
        "the project cannot finish by its deadline (day 20): the chain "
        "kickoff -> build (15 d) -> deploy (8 d) needs 23 days",
    ]


def test_a_bad_previous_plan_is_rejected(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project = write(tmp_path, "p.json", DOCUMENT)
    bad = write(tmp_path, "plan.json", {"starts": {"build": "monday"}})
    assert main(["solve", str(project), "--previous", str(bad)]) != 0
    assert "previous" in capsys.readouterr().err


def test_staffing_weights_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = {
        "name": "staffing",
        "resources": [
            {"id": "alice", "skills": {"be": 1}, "cost_rate": 100},
            {"id": "carol", "skills": {"be": 1}, "cost_rate": 10},
        ],
        "tasks": [
            {"id": "a", "duration": 3, "skills": {"be": 1}},
            {"id": "b", "duration": 3, "skills": {"be": 1}},
        ],
        "dependencies": [{"from": "a", "to": "b"}],
    }
    project = write(tmp_path, "people.json", people)
    argv = ["solve", str(project), "--cost-weight", "1", "--continuity-weight", "5"]
    assert main([*argv, "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["assignments"] == {"a": ["carol"], "b": ["carol"]}
    assert main([*argv[:2], "--cost-weight", "-1"]) != 0
    assert "cost_weight" in capsys.readouterr().err


def test_pins_from_the_command_line_hold_and_are_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project = write(tmp_path, "p.json", DOCUMENT)
    arguments = [
        "solve",
        str(project),
        "--json",
        "--pin",
        "docs=20",
        "--pin",
        "build=2..",
    ]
    assert main(arguments) == 0
    plan = json.loads(capsys.readouterr().out)

    assert plan["starts"]["docs"] == 20
    assert plan["starts"]["build"] >= 2
    assert plan["pins"] == {"build": {"earliest": 2}, "docs": {"start": 20}}


@pytest.mark.parametrize(
    ("pin", "named"), [("ghost=3", "pins.ghost"), ("docs=soon", "pins.docs.start")]
)
def test_a_bad_pin_argument_names_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pin: str, named: str
) -> None:
    project = write(tmp_path, "p.json", DOCUMENT)
    assert main(["solve", str(project), "--pin", pin]) == 2
    assert named in capsys.readouterr().err
