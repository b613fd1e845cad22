"""When a project's health turns amber or red, and when a forecast has slipped.

A project setting (`thresholds` in the document, every key optional):

| key | default | meaning |
|---|---|---|
| `spi_amber`, `spi_red` | 0.95, 0.85 | schedule performance index below this |
| `cpi_amber`, `cpi_red` | 0.95, 0.85 | cost performance index below this |
| `deadline_margin_days` | 5 | P80 this close to the deadline: amber (past: red) |
| `stale_red` | 3 | this many stale tasks: red (any: amber) |
| `slip_days` | 5 | P80 later than the committed baseline's by more than this: slipped |
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from typing import Any

from domain.errors import Problem
from domain.readers import as_mapping, as_number


@dataclass(frozen=True)
class Thresholds:
    spi_amber: float = 0.95
    spi_red: float = 0.85
    cpi_amber: float = 0.95
    cpi_red: float = 0.85
    deadline_margin_days: float = 5
    stale_red: float = 3
    slip_days: float = 5


DEFAULT_THRESHOLDS = Thresholds()


def parse_thresholds(value: Any, where: str = "thresholds") -> Thresholds:
    if value is None:
        return DEFAULT_THRESHOLDS
    doc = as_mapping(value, where, {f.name for f in fields(Thresholds)})
    return Thresholds(**{k: as_number(v, f"{where}.{k}") for k, v in doc.items()})


def thresholds_to_document(thresholds: Thresholds) -> dict[str, float]:
    """Only the keys that differ from the defaults."""
    defaults = asdict(DEFAULT_THRESHOLDS)
    return {k: v for k, v in asdict(thresholds).items() if v != defaults[k]}


def threshold_problems(thresholds: Thresholds) -> Iterator[Problem]:
    for key, value in asdict(thresholds).items():
        if value < 0:
            yield Problem(f"thresholds.{key}", f"must be >= 0, got {value}")
    for index in ("spi", "cpi"):
        amber, red = (
            getattr(thresholds, f"{index}_amber"),
            getattr(thresholds, f"{index}_red"),
        )
        if red > amber:
            yield Problem(
                f"thresholds.{index}_red", f"{red} is above {index}_amber {amber}"
            )
