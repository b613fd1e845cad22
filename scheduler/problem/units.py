"""Shares of a resource in whole numbers, for a model that counts in integers.

A task may hold a share of a resource (0.5 of a person, 1.25 cranes; whole
percent, as `domain.validation` checks). CP-SAT's cumulative constraint needs
integers, so each resource with a fractional demand is counted in hundredths:
its capacity and every demand on it are multiplied by 100. Resources used in
whole units keep their scale of 1, so their figures (and explanations) read
as before.
"""

from __future__ import annotations

from domain import Project

SHARE_SCALE = 100


def unit_scales(project: Project) -> dict[str, int]:
    """Resource id -> factor making every capacity and demand on it whole."""
    fractional = {
        resource_id
        for task in project.tasks
        for resource_id, units in task.demands.items()
        if units != int(units)
    }
    return {
        resource.id: SHARE_SCALE if resource.id in fractional else 1
        for resource in project.resources
    }


def scaled(units: float, scale: int) -> int:
    """`units` counted in 1/scale steps (validation ensured it is whole)."""
    return round(units * scale)
