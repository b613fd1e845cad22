"""Progress as planners read it: out-of-sequence work in words."""

from __future__ import annotations

from domain import Project
from domain.status import out_of_sequence
from service.views import JSON


def out_of_sequence_rows(project: Project) -> list[JSON]:
    """Each task that started before its FS predecessor finished."""
    rows = []
    for dependency in out_of_sequence(project):
        before = project.task(dependency.predecessor).timing.actual_finish
        after = project.task(dependency.successor).timing.actual_start
        finished = "has not finished" if before is None else f"finished on day {before}"
        rows.append(
            {
                "dependency": dependency.id,
                "predecessor": dependency.predecessor,
                "successor": dependency.successor,
                "message": f"{dependency.successor} started on day {after}, but "
                f"its predecessor {dependency.predecessor} {finished}",
            }
        )
    return rows
