"""How changes are recorded: the event-sourced project and the store around it."""

from eventstore.access import AccessRegistry
from eventstore.access_store import AccessStore
from eventstore.aggregate import ProjectAggregate
from eventstore.application import STORE_UNAVAILABLE
from eventstore.audit import AuditQuery
from eventstore.idempotency import IdempotencyKey
from eventstore.persistence import persistence_environment
from eventstore.records import AuditEntry, PlanRecord, ProjectState
from eventstore.store import ProjectStore

__all__ = [
    "STORE_UNAVAILABLE",
    "AccessRegistry",
    "AccessStore",
    "AuditEntry",
    "AuditQuery",
    "IdempotencyKey",
    "PlanRecord",
    "ProjectAggregate",
    "ProjectState",
    "ProjectStore",
    "persistence_environment",
]
