"""Reading PSPLIB single-mode `.sm` files into a domain.Project."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain import Dependency, DependencyType, ValidationError
from formats import parse_psplib, read_psplib

J301_1 = Path(__file__).parents[1] / "data" / "j301_1.sm"


@pytest.fixture(scope="module")
def text() -> str:
    return J301_1.read_text()


def test_reads_tasks_with_durations_and_nonzero_demands() -> None:
    project = read_psplib(J301_1)

    assert project.name == "j301_1"
    assert [task.id for task in project.tasks] == [str(n) for n in range(1, 33)]
    assert project.task("1").duration == 0
    assert project.task("1").demands == {}
    assert project.task("2").duration == 8
    assert project.task("2").demands == {"R1": 4}
    assert project.task("8").demands == {"R2": 1}
    assert project.task("32").duration == 0


def test_reads_resource_capacities() -> None:
    project = read_psplib(J301_1)

    capacities = {r.id: r.capacity for r in project.resources}
    assert capacities == {"R1": 12, "R2": 13, "R3": 4, "R4": 12}


def test_reads_successors_as_fs_dependencies_without_lag() -> None:
    project = read_psplib(J301_1)

    assert len(project.dependencies) == 48
    assert project.dependencies[0] == Dependency("1", "2", DependencyType.FS, 0)
    assert all(d.type is DependencyType.FS for d in project.dependencies)
    assert all(d.lag == 0 for d in project.dependencies)
    into_sink = {d.predecessor for d in project.dependencies if d.successor == "32"}
    assert into_sink == {"29", "30", "31"}


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        ("PRECEDENCE RELATIONS:", "PRECEDENCES:", "PRECEDENCE RELATIONS"),
        ("   2        1          3           6  11  15", "   2  1  3  6  11", "line"),
        (
            "   2        1          3           6  11  15",
            "   2  2  3  6  11  15",
            "mode",
        ),
        ("   7        1          1          27", "   7  1  1  99", "successor"),
        ("   7        1          1          27", "   7  1  1  2x", "integers"),
        ("  2      1     8       4    0    0    0", "  2  1  8  4  0  0", "demands"),
        ("  2      1     8       4    0    0    0", "  3  1  8  4  0  0  0", "twice"),
        ("  2      1     8       4    0    0    0", "  2  1  -8  4  0  0  0", ">= 0"),
        ("   12   13    4   12", "   12   13    4", "RESOURCEAVAILABILITIES"),
        ("  - nonrenewable              :  0", "  - nonrenewable  :  2", "nonre"),
        ("jobs (incl. supersource/sink ):  32", "jobs:  32", "number of jobs"),
    ],
)
def test_rejects_malformed_file(text: str, old: str, new: str, complaint: str) -> None:
    assert old in text
    broken = text.replace(old, new, 1)

    with pytest.raises(ValidationError, match=complaint):
        parse_psplib(broken, name="broken")


def test_rejects_missing_job(text: str) -> None:
    broken = text.replace(
        "jobs (incl. supersource/sink ):  32", "jobs (incl. supersource/sink ):  33"
    )

    with pytest.raises(ValidationError, match=r"jobs missing \[33\]"):
        parse_psplib(broken)
