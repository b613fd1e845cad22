"""What an import made of a file: the project, what was mapped, what was not.

Every concept a reader meets is either mapped (counted under `mapped`) or
reported under `unmapped` with its count and what planforge did instead;
nothing is dropped without a line here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from domain import Project


@dataclass
class ImportReport:
    """Counts by concept: `mapped["tasks"] == 12`, and for what could not be
    held, `unmapped["manually scheduled tasks (planned automatically)"]`."""

    format: str
    mapped: Counter[str] = field(default_factory=Counter)
    unmapped: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        """The report as sentences a planner reads, mapped first."""
        found = [f"mapped {count} {what}" for what, count in self.mapped.items()]
        lost = [f"NOT mapped: {count} {what}" for what, count in self.unmapped.items()]
        return found + lost

    def as_dict(self) -> dict[str, object]:
        return {
            "format": self.format,
            "mapped": dict(self.mapped),
            "unmapped": dict(self.unmapped),
        }


@dataclass(frozen=True)
class Imported:
    """A project read from an outside file, with its report."""

    project: Project
    report: ImportReport
