"""The aggregate's state as the store hands it out: frozen copies."""

from __future__ import annotations

import copy
from uuid import UUID

from eventstore.aggregate import ProjectAggregate
from eventstore.records import PlanRecord, ProjectState, plan_from_json


def project_state(project: ProjectAggregate) -> ProjectState:
    """The project at the aggregate's version. It hands out the aggregate's
    own document: every load gives a fresh aggregate (rebuilt, or a deep copy
    of the cached one) that nothing uses after this, so no second copy."""
    return ProjectState(
        id=project.id,
        version=project.version,
        document=project.document,
        committed_plan_id=project.committed_plan_id,
        modified_on=project.modified_on,
    )


def plan_record(project: ProjectAggregate, plan_id: UUID) -> PlanRecord:
    """A plan of the project, as recorded, with its forecasts so far."""
    record = project.plan_record(plan_id)
    return PlanRecord(
        id=plan_id,
        plan=plan_from_json(record["plan"], plan_id),
        project_version=record["project_version"],
        committed=project.committed_plan_id == plan_id,
        proposed_at=record["proposed_at"],
        actor=record["actor"],
        forecasts=tuple(copy.deepcopy(record["forecasts"])),
    )
