"""Domain objects back to the project document v1 (DESIGN.md), the inverse of
`domain.document`'s parsers: `parse_project(project_to_document(p)) == p`."""

from __future__ import annotations

from typing import Any

from domain.calendar import Calendar
from domain.model import (
    Absence,
    Correlation,
    Dependency,
    Distribution,
    Estimate,
    Project,
    Resource,
    Risk,
    Task,
)
from domain.pauses import pauses_to_document
from domain.progress import (
    RemainingAfter,
    day_ref_to_document,
    progress_to_document,
)
from domain.thresholds import thresholds_to_document
from domain.timing import timing_to_document

Document = dict[str, Any]


def project_to_document(project: Project) -> Document:
    """The project as a v1 document; `parse_project` reads it back unchanged."""
    doc: Document = {"name": project.name}
    if project.start is not None:
        doc["start"] = project.start.isoformat()
    if project.deadline is not None:
        doc["deadline"] = project.deadline
    doc["calendar"] = calendar_to_document(project.calendar)
    doc["resources"] = [resource_to_document(r) for r in project.resources]
    doc["tasks"] = [task_to_document(t) for t in project.tasks]
    doc["dependencies"] = [dependency_to_document(d) for d in project.dependencies]
    doc["risks"] = [risk_to_document(r) for r in project.risks]
    if project.priority != 1:
        doc["priority"] = project.priority
    if project.correlations:
        doc["correlations"] = [correlation_to_document(c) for c in project.correlations]
    if project.status_date is not None:
        doc["status_date"] = day_ref_to_document(project.status_date)
    if project.remaining_after is not RemainingAfter.STATUS_DATE:
        doc["remaining_after"] = project.remaining_after.value
    if project.constraints_over_links:
        doc["constraints_over_links"] = True
    if project.stale_after != 5:
        doc["stale_after"] = project.stale_after
    if thresholds := thresholds_to_document(project.thresholds):
        doc["thresholds"] = thresholds
    return doc


def task_to_document(task: Task) -> Document:
    doc: Document = {"id": task.id}
    if task.name:
        doc["name"] = task.name
    if task.group:
        doc["group"] = task.group
    if task.parent:
        doc["parent"] = task.parent
    if task.estimate is not None:
        doc["estimate"] = estimate_to_document(task.estimate)
    elif task.duration is not None:
        doc["duration"] = task.duration
    if task.demands:
        doc["demands"] = dict(task.demands)
    if task.skills:
        doc["skills"] = dict(task.skills)
        doc["people"] = task.people
    if not task.splittable:
        doc["splittable"] = False
    if task.fixed_cost:
        doc["fixed_cost"] = task.fixed_cost
    if task.gate:
        doc["gate"] = True
    if task.calendar is not None:
        doc["calendar"] = calendar_to_document(task.calendar)
    if task.elapsed:
        doc["elapsed"] = True
    if task.pauses:
        doc["pauses"] = pauses_to_document(task.pauses)
    doc.update(timing_to_document(task.timing))
    if task.notes:
        doc["notes"] = task.notes
    if task.custom:
        doc["custom"] = dict(task.custom)
    doc.update(progress_to_document(task.progress))
    return doc


def estimate_to_document(estimate: Estimate) -> Document:
    if estimate.distribution is Distribution.DISCRETE:
        doc: Document = {"distribution": "discrete", "values": list(estimate.values)}
        if estimate.weights:
            doc["weights"] = list(estimate.weights)
        return doc
    return {
        "optimistic": estimate.optimistic,
        "most_likely": estimate.most_likely,
        "pessimistic": estimate.pessimistic,
        "distribution": estimate.distribution.value,
    }


def correlation_to_document(correlation: Correlation) -> Document:
    doc: Document = {}
    if correlation.tasks:
        doc["tasks"] = list(correlation.tasks)
    if correlation.risks:
        doc["risks"] = list(correlation.risks)
    doc["coefficient"] = correlation.coefficient
    return doc


def resource_to_document(resource: Resource) -> Document:
    doc: Document = {"id": resource.id, "capacity": resource.capacity}
    if resource.name:
        doc["name"] = resource.name
    if resource.skills:
        doc["skills"] = dict(resource.skills)
    if resource.calendar is not None:
        doc["calendar"] = calendar_to_document(resource.calendar)
    if resource.absences:
        doc["absences"] = [absence_to_document(a) for a in resource.absences]
    if resource.cost_rate:
        doc["cost_rate"] = resource.cost_rate
    if resource.max_load is not None:
        doc["max_load"] = resource.max_load
    return doc


def calendar_to_document(calendar: Calendar) -> Document:
    doc: Document = {
        "workdays": list(calendar.workdays),
        "holidays": sorted(h.isoformat() for h in calendar.holidays),
    }
    if calendar.extra_workdays:
        doc["extra_workdays"] = sorted(d.isoformat() for d in calendar.extra_workdays)
    if calendar.within_day:
        doc["periods_per_day"] = calendar.periods_per_day
        doc["start_period"] = calendar.start_period
    return doc


def absence_to_document(absence: Absence) -> Document:
    doc: Document = {"start": absence.start.isoformat(), "end": absence.end.isoformat()}
    if absence.reason:
        doc["reason"] = absence.reason
    return doc


def dependency_to_document(dependency: Dependency) -> Document:
    doc: Document = {
        "from": dependency.predecessor,
        "to": dependency.successor,
        "type": dependency.type.value,
        "lag": dependency.lag,
    }
    if dependency.id != f"{dependency.predecessor}->{dependency.successor}":
        doc["id"] = dependency.id
    return doc


def risk_to_document(risk: Risk) -> Document:
    impact = risk.impact
    doc: Document = {
        "id": risk.id,
        "probability": risk.probability,
        "tasks": list(risk.tasks),
        "impact": estimate_to_document(impact)
        if isinstance(impact, Estimate)
        else impact,
    }
    if risk.name:
        doc["name"] = risk.name
    return doc
