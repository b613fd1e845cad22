"""The RCPSP/max reader: jobs, resources, and time lags as SS links."""

from __future__ import annotations

import pytest

from domain import DependencyType, ValidationError
from formats.rcpsp_max import parse_rcpsp_max

# Two jobs between the dummies; job 2 starts at most 3 days after job 1.
TEXT = """2 1 0 0
0 1 1 1 [0]
1 1 2 2 3 [4] [4]
2 1 2 1 3 [-3] [2]
3 1 0
0 1 0 0
1 1 4 2
2 1 2 1
3 1 0 0
2
"""


def test_lags_become_start_to_start_links() -> None:
    project = parse_rcpsp_max(TEXT, "tiny")

    assert [(t.id, t.duration, dict(t.demands)) for t in project.tasks] == [
        ("0", 0, {}),
        ("1", 4, {"R1": 2}),
        ("2", 2, {"R1": 1}),
        ("3", 0, {}),
    ]
    assert [(r.id, r.capacity) for r in project.resources] == [("R1", 2)]
    links = [(d.predecessor, d.successor, d.type, d.lag) for d in project.dependencies]
    assert ("2", "1", DependencyType.SS, -3) in links
    assert ("1", "2", DependencyType.SS, 4) in links


def test_a_broken_file_names_itself() -> None:
    with pytest.raises(ValidationError, match="tiny: not an RCPSP/max file"):
        parse_rcpsp_max("2 1 0 0\n0 1 x", "tiny")
