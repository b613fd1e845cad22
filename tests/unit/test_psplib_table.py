"""benchmarks.psplib_table: instance lines read back, a sample's parts merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.psplib_table import Outcome, merged, summary, worst
from domain import SolveStatus

SOLVED = Outcome("j601_1", SolveStatus.OPTIMAL, 77, 77, 77, 0.06, ())
LONGER = Outcome("j6013_1", SolveStatus.FEASIBLE, 114, 70, 112, 10.02, ())
BROKEN = Outcome(
    "j6041_7",
    SolveStatus.UNKNOWN,
    None,
    None,
    132,
    10.0,
    ("no schedule", "lower bound 140 > best known 132"),
)


@pytest.mark.parametrize("outcome", [SOLVED, LONGER, BROKEN])
def test_an_instance_line_reads_back_as_its_outcome(outcome: Outcome) -> None:
    assert Outcome.parse(outcome.line() + "\n") == outcome


def test_other_lines_are_not_outcomes() -> None:
    assert Outcome.parse("| j60 | 240 | 192 | 213 | 0.14 | 4.55 |") is None
    assert Outcome.parse("time limit 10.0s, 2 workers, seed 0") is None


def test_parts_merge_into_one_row_of_the_set(tmp_path: Path) -> None:
    first, second = tmp_path / "part0.txt", tmp_path / "part1.txt"
    first.write_text(f"time limit 10.0s\n{SOLVED.line()}\n| j60 | 1 |\n")
    second.write_text(f"{LONGER.line()}\nj301_1: optimal 43 (bound 43, best 43) 0.1s\n")

    outcomes = merged("j60", [first, second])

    assert sorted(o.instance for o in outcomes) == ["j6013_1", "j601_1"]
    assert summary("j60", outcomes).startswith("| j60 | 2 | 1 | 1 | 0.89 | 1.79 |")
    assert worst(outcomes) == "j6013_1 114 vs 112 (1.79 %)"


def test_an_instance_in_two_parts_is_refused(tmp_path: Path) -> None:
    first, again = tmp_path / "part0.txt", tmp_path / "rerun.txt"
    first.write_text(LONGER.line())
    again.write_text(LONGER.line())

    with pytest.raises(ValueError, match="j6013_1 appears twice"):
        merged("j60", [first, again])


def test_no_instance_of_the_set_is_an_error(tmp_path: Path) -> None:
    part = tmp_path / "part0.txt"
    part.write_text(SOLVED.line())

    with pytest.raises(ValueError, match="no j120 instance"):
        merged("j120", [part])
