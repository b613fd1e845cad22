"""The project document v1 (DESIGN.md): JSON in, domain objects out, and back.

`parse_project` checks shapes and types, naming the offending field;
`project_from_document` also applies the project-wide rules of `validation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.calendar import WEEKDAYS, Calendar
from domain.errors import ValidationError
from domain.model import (
    Absence,
    Correlation,
    Dependency,
    DependencyType,
    Distribution,
    Estimate,
    Project,
    Resource,
    Risk,
    Task,
)
from domain.timing import TIMING_FIELDS, parse_timing, timing_to_document
from domain.validation import validate_project

Document = dict[str, Any]

PROJECT_FIELDS = {
    "name",
    "start",
    "deadline",
    "calendar",
    "resources",
    "tasks",
    "dependencies",
    "risks",
    "correlations",
    "description",
    "id",
    "version",
    "priority",
}
TASK_FIELDS = {
    "id",
    "name",
    "group",
    "duration",
    "estimate",
    "demands",
    "skills",
    "people",
    "splittable",
} | TIMING_FIELDS
RESOURCE_FIELDS = {
    "id",
    "name",
    "capacity",
    "skills",
    "calendar",
    "absences",
    "cost_rate",
    "max_load",
}
ABSENCE_FIELDS = {"start", "end", "reason"}
DEPENDENCY_FIELDS = {"id", "from", "to", "type", "lag"}
RISK_FIELDS = {"id", "name", "probability", "tasks", "impact"}
ESTIMATE_FIELDS = {
    "optimistic",
    "most_likely",
    "pessimistic",
    "distribution",
    "values",
    "weights",
}
CORRELATION_FIELDS = {"tasks", "risks", "coefficient"}


def project_from_document(document: Any) -> Project:
    """Parse a project document and check every rule; raise ValidationError."""
    project = parse_project(document)
    validate_project(project)
    return project


def parse_project(document: Any) -> Project:
    """Parse shapes and types only (no cross-references): used for replay too."""
    doc = _mapping(document, "", PROJECT_FIELDS)
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValidationError.at("name", "required, a non-empty string")
    return Project(
        name=name,
        start=_optional_date(doc.get("start"), "start"),
        deadline=_optional_number(doc.get("deadline"), "deadline", integer=True),
        calendar=parse_calendar(doc.get("calendar", {}), "calendar"),
        resources=tuple(_items(doc, "resources", parse_resource)),
        tasks=tuple(_items(doc, "tasks", parse_task, required=True)),
        dependencies=tuple(_items(doc, "dependencies", parse_dependency)),
        risks=tuple(_items(doc, "risks", parse_risk)),
        priority=_integer(doc.get("priority", 1), "priority"),
        correlations=tuple(_items(doc, "correlations", parse_correlation)),
    )


def parse_task(data: Any, where: str) -> Task:
    doc = _mapping(data, where, TASK_FIELDS)
    task_id = _identifier(doc.get("id"), f"{where}.id")
    where = f"tasks[{task_id}]"
    duration = _optional_number(doc.get("duration"), f"{where}.duration")
    estimate = None
    if doc.get("estimate") is not None:
        estimate = parse_estimate(doc["estimate"], f"{where}.estimate")
    if (duration is None) == (estimate is None):
        raise ValidationError.at(where, "needs either a duration or an estimate")
    return Task(
        id=task_id,
        duration=duration,
        estimate=estimate,
        name=_string(doc.get("name", ""), f"{where}.name"),
        group=_string(doc.get("group", ""), f"{where}.group"),
        demands=_int_map(doc.get("demands", {}), f"{where}.demands"),
        skills=_int_map(doc.get("skills", {}), f"{where}.skills"),
        people=_integer(doc.get("people", 1), f"{where}.people"),
        splittable=_boolean(doc.get("splittable", True), f"{where}.splittable"),
        timing=parse_timing(doc, where),
    )


def parse_estimate(data: Any, where: str) -> Estimate:
    """Three points (`fixed`: most_likely alone; `discrete`: values, weights)."""
    doc = _mapping(data, where, ESTIMATE_FIELDS)
    distribution = doc.get("distribution", Distribution.PERT.value)
    allowed = [d.value for d in Distribution]
    if distribution not in allowed:
        raise ValidationError.at(
            f"{where}.distribution", f"must be one of {', '.join(allowed)}"
        )
    kind = Distribution(distribution)
    if kind is Distribution.DISCRETE:
        return _discrete_estimate(doc, where)
    for key in ("values", "weights"):
        if key in doc:
            raise ValidationError.at(f"{where}.{key}", "only for a discrete estimate")
    if kind is Distribution.FIXED:
        value = doc.get("most_likely")
        if value is None:
            raise ValidationError.at(f"{where}.most_likely", "required")
        doc = {"optimistic": value, "pessimistic": value, **doc}
    low, mode, high = (
        _number(doc[key], f"{where}.{key}") if key in doc else _required(where, key)
        for key in ("optimistic", "most_likely", "pessimistic")
    )
    return Estimate(low, mode, high, kind)


def _required(where: str, key: str) -> float:
    raise ValidationError.at(f"{where}.{key}", "required")


def _discrete_estimate(doc: Mapping[str, Any], where: str) -> Estimate:
    for key in ("optimistic", "most_likely", "pessimistic"):
        if key in doc:
            raise ValidationError.at(
                f"{where}.{key}", "not for a discrete estimate (give values)"
            )
    values = _numbers(doc.get("values"), f"{where}.values")
    if not values:
        raise ValidationError.at(f"{where}.values", "required, a non-empty list")
    weights = _numbers(doc.get("weights", []), f"{where}.weights")
    if weights and len(weights) != len(values):
        raise ValidationError.at(
            f"{where}.weights",
            f"{len(weights)} weights for {len(values)} values: give one per value",
        )
    if any(w < 0 for w in weights) or (weights and sum(weights) <= 0):
        raise ValidationError.at(
            f"{where}.weights", "must be >= 0 with a positive total"
        )
    return Estimate.discrete(values, weights)


def parse_correlation(data: Any, where: str) -> Correlation:
    """A rank-correlation group: `tasks` and/or `risks` with one `coefficient`."""
    doc = _mapping(data, where, CORRELATION_FIELDS)
    members = {}
    for key in ("tasks", "risks"):
        items = doc.get(key, [])
        if not isinstance(items, list):
            raise ValidationError.at(f"{where}.{key}", "expected a list of ids")
        members[key] = tuple(_identifier(i, f"{where}.{key}") for i in items)
    if "coefficient" not in doc:
        raise ValidationError.at(f"{where}.coefficient", "required, within [-1, 1]")
    return Correlation(
        coefficient=_number(doc["coefficient"], f"{where}.coefficient"), **members
    )


def parse_resource(data: Any, where: str) -> Resource:
    doc = _mapping(data, where, RESOURCE_FIELDS)
    resource_id = _identifier(doc.get("id"), f"{where}.id")
    where = f"resources[{resource_id}]"
    return Resource(
        id=resource_id,
        capacity=_integer(doc.get("capacity", 1), f"{where}.capacity"),
        name=_string(doc.get("name", ""), f"{where}.name"),
        skills=_int_map(doc.get("skills", {}), f"{where}.skills"),
        calendar=None
        if doc.get("calendar") is None
        else parse_calendar(doc["calendar"], f"{where}.calendar"),
        absences=tuple(
            parse_absence(item, f"{where}.absences[{index}]")
            for index, item in enumerate(
                _list(doc.get("absences", []), f"{where}.absences")
            )
        ),
        cost_rate=_number(doc.get("cost_rate", 0.0), f"{where}.cost_rate"),
        max_load=_optional_number(doc.get("max_load"), f"{where}.max_load"),
    )


def parse_absence(data: Any, where: str) -> Absence:
    """An absence `{"start": ISO date, "end": ISO date, "reason": text}`."""
    doc = _mapping(data, where, ABSENCE_FIELDS)
    if "start" not in doc:
        raise ValidationError.at(f"{where}.start", "required, an ISO date")
    start = _date(doc["start"], f"{where}.start")
    end = _date(doc.get("end", doc["start"]), f"{where}.end")
    if end < start:
        raise ValidationError.at(f"{where}.end", f"{end} is before the start {start}")
    return Absence(start, end, _string(doc.get("reason", ""), f"{where}.reason"))


def parse_dependency(data: Any, where: str) -> Dependency:
    doc = _mapping(data, where, DEPENDENCY_FIELDS)
    predecessor = _identifier(doc.get("from"), f"{where}.from")
    successor = _identifier(doc.get("to"), f"{where}.to")
    kind = doc.get("type", "FS")
    if kind not in [t.value for t in DependencyType]:
        raise ValidationError.at(f"{where}.type", "must be one of FS, SS, FF, SF")
    return Dependency(
        predecessor=predecessor,
        successor=successor,
        type=DependencyType(kind),
        lag=_integer(doc.get("lag", 0), f"{where}.lag", minimum=None),
        id=_string(doc.get("id", ""), f"{where}.id"),
    )


def parse_risk(data: Any, where: str) -> Risk:
    doc = _mapping(data, where, RISK_FIELDS)
    risk_id = _identifier(doc.get("id"), f"{where}.id")
    where = f"risks[{risk_id}]"
    tasks = doc.get("tasks")
    if not isinstance(tasks, list) or not tasks:
        raise ValidationError.at(f"{where}.tasks", "required, a non-empty list")
    impact_data = doc.get("impact", 0)
    impact: float | Estimate
    if isinstance(impact_data, Mapping):
        impact = parse_estimate(impact_data, f"{where}.impact")
    else:
        impact = _number(impact_data, f"{where}.impact")
    return Risk(
        id=risk_id,
        probability=_number(doc.get("probability"), f"{where}.probability"),
        tasks=tuple(_identifier(t, f"{where}.tasks") for t in tasks),
        impact=impact,
        name=_string(doc.get("name", ""), f"{where}.name"),
    )


def parse_calendar(data: Any, where: str) -> Calendar:
    doc = _mapping(data, where, {"workdays", "holidays"})
    workdays = doc.get("workdays", ["Mon", "Tue", "Wed", "Thu", "Fri"])
    if not isinstance(workdays, list) or not workdays:
        raise ValidationError.at(f"{where}.workdays", "a non-empty list of weekdays")
    for day in workdays:
        if day not in WEEKDAYS:
            raise ValidationError.at(
                f"{where}.workdays", f"{day!r} is not one of {', '.join(WEEKDAYS)}"
            )
    holidays = doc.get("holidays", [])
    if not isinstance(holidays, list):
        raise ValidationError.at(f"{where}.holidays", "a list of ISO dates")
    return Calendar(
        workdays=tuple(d for d in WEEKDAYS if d in workdays),
        holidays=frozenset(_date(h, f"{where}.holidays") for h in holidays),
    )


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
    return doc


def task_to_document(task: Task) -> Document:
    doc: Document = {"id": task.id}
    if task.name:
        doc["name"] = task.name
    if task.group:
        doc["group"] = task.group
    if task.estimate is not None:
        doc["estimate"] = estimate_to_document(task.estimate)
    else:
        doc["duration"] = task.duration
    if task.demands:
        doc["demands"] = dict(task.demands)
    if task.skills:
        doc["skills"] = dict(task.skills)
        doc["people"] = task.people
    if not task.splittable:
        doc["splittable"] = False
    doc.update(timing_to_document(task.timing))
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
    return {
        "workdays": list(calendar.workdays),
        "holidays": sorted(h.isoformat() for h in calendar.holidays),
    }


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


# -- small typed readers, each naming the field it reads ----------------------


def _mapping(data: Any, where: str, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ValidationError.at(where or "document", "expected a JSON object")
    if "id" in allowed and isinstance(data.get("id"), str) and data["id"]:
        where = f"{where.partition('[')[0]}[{data['id']}]"
    unknown = sorted(set(data) - allowed)
    if unknown:
        prefix = f"{where}." if where else ""
        raise ValidationError.at(
            f"{prefix}{unknown[0]}",
            f"unknown field (allowed: {', '.join(sorted(allowed))})",
        )
    return data


def _items(
    doc: Mapping[str, Any], key: str, parse: Any, required: bool = False
) -> list[Any]:
    items = doc.get(key)
    if items is None:
        if required:
            raise ValidationError.at(key, "required, a list")
        return []
    if not isinstance(items, list):
        raise ValidationError.at(key, "expected a list")
    return [parse(item, f"{key}[{index}]") for index, item in enumerate(items)]


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError.at(where, f"expected a number, got {value!r}")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationError.at(where, "must be a finite number")
    return value


def _numbers(value: Any, where: str) -> tuple[float, ...]:
    if not isinstance(value, list):
        raise ValidationError.at(where, f"expected a list of numbers, got {value!r}")
    return tuple(_number(item, f"{where}[{k}]") for k, item in enumerate(value))


def _optional_number(value: Any, where: str, integer: bool = False) -> Any:
    if value is None:
        return None
    return _integer(value, where) if integer else _number(value, where)


def _integer(value: Any, where: str, minimum: int | None = 0) -> int:
    number = _number(value, where)
    if number != int(number):
        raise ValidationError.at(where, f"expected a whole number, got {value!r}")
    if minimum is not None and number < minimum:
        raise ValidationError.at(where, f"must be >= {minimum}, got {value!r}")
    return int(number)


def _boolean(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError.at(where, f"expected true or false, got {value!r}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValidationError.at(where, "expected a list")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ValidationError.at(where, f"expected a string, got {value!r}")
    return value


def _identifier(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError.at(where, f"required, a non-empty string, got {value!r}")
    return value


def _int_map(value: Any, where: str) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise ValidationError.at(where, "expected a JSON object")
    return {
        _identifier(key, where): _integer(amount, f"{where}.{key}")
        for key, amount in value.items()
    }


def _date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(_string(value, where))
    except ValueError:
        raise ValidationError.at(
            where, f"expected an ISO date, got {value!r}"
        ) from None


def _optional_date(value: Any, where: str) -> date | None:
    return None if value is None else _date(value, where)
