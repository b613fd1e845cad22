"""What the terminal prints: whole names, every week, risks by name."""

from __future__ import annotations

from domain.loading import LoadRow, every_week
from service.portfolio import load_table


def test_every_week_fills_gaps_and_crosses_years() -> None:
    assert every_week({"2026-W52", "2027-W02"}) == [
        "2026-W52",
        "2026-W53",
        "2027-W01",
        "2027-W02",
    ]
    assert every_week({"week-3", "week-1"}) == ["week-1", "week-2", "week-3"]
    assert every_week(set()) == []


def test_load_table_shows_every_week_in_quarter_blocks() -> None:
    rows = [
        LoadRow("ana", "2027-W01", "Launch", 5),
        LoadRow("a-very-long-resource-name", "2027-W15", "Launch", 3),
    ]
    text = load_table(rows)
    assert "2027-W01 to 2027-W15, 15 weeks" in text
    headers = [line for line in text.splitlines() if line.startswith("resource")]
    assert len(headers) == 2  # weeks 1-13, then 14-15
    assert headers[1].split()[1:] == ["W14", "W15"]
    assert "a-very-long-resource-name" in text
    last = next(line for line in text.splitlines()[::-1] if line.startswith("a-very"))
    assert last.split()[1:] == ["0", "3"]
