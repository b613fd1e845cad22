"""The project document v1 (DESIGN.md): JSON in, domain objects out.

`parse_project` checks shapes and types, naming the offending field;
`project_from_document` also applies the project-wide rules of `validation`;
`domain.document_writer` turns a project back into a document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
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
from domain.pauses import parse_pauses
from domain.progress import (
    PROGRESS_FIELDS,
    parse_day_ref,
    parse_progress,
    parse_remaining_after,
)
from domain.readers import (
    as_boolean,
    as_custom_fields,
    as_date,
    as_identifier,
    as_int_map,
    as_integer,
    as_list,
    as_mapping,
    as_number,
    as_number_map,
    as_numbers,
    as_optional_date,
    as_optional_number,
    as_string,
    read_items,
)
from domain.thresholds import parse_thresholds
from domain.timing import TIMING_FIELDS, parse_timing
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
    "committed_plan_id",
    "priority",
    "status_date",
    "remaining_after",
    "constraints_over_links",
    "stale_after",
    "thresholds",
}
TASK_FIELDS = (
    {
        "id",
        "name",
        "group",
        "duration",
        "estimate",
        "demands",
        "skills",
        "people",
        "splittable",
        "parent",
        "notes",
        "custom",
        "fixed_cost",
        "gate",
        "calendar",
        "pauses",
        "elapsed",
    }
    | TIMING_FIELDS
    | PROGRESS_FIELDS
)
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


Parsed = tuple[Mapping[str, Any], Project]


def parse_project(document: Any, like: Parsed | None = None) -> Project:
    """Parse shapes and types only (no cross-references): used for replay too.

    `like`: another document and the project parsed from it. A collection
    equal to its counterpart there, and an entity equal to the one at its
    place there, are taken from that project unparsed (parsing is a pure
    function of the value), so judging an edit parses what it touched.
    """
    doc = as_mapping(document, "", PROJECT_FIELDS)
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValidationError.at("name", "required, a non-empty string")
    return Project(
        name=name,
        start=as_optional_date(doc.get("start"), "start"),
        deadline=as_optional_number(doc.get("deadline"), "deadline", integer=True),
        calendar=like[1].calendar
        if like is not None and doc.get("calendar") == like[0].get("calendar")
        else parse_calendar(doc.get("calendar", {}), "calendar", axis=True),
        resources=_entities(doc, "resources", parse_resource, like),
        tasks=_entities(doc, "tasks", parse_task, like, required=True),
        dependencies=_dependencies(doc, like),
        risks=_entities(doc, "risks", parse_risk, like),
        priority=as_integer(doc.get("priority", 1), "priority"),
        correlations=tuple(read_items(doc, "correlations", parse_correlation)),
        status_date=parse_day_ref(doc.get("status_date"), "status_date"),
        remaining_after=parse_remaining_after(
            doc.get("remaining_after"), "remaining_after"
        ),
        constraints_over_links=as_boolean(
            doc.get("constraints_over_links", False), "constraints_over_links"
        ),
        stale_after=as_integer(doc.get("stale_after", 5), "stale_after"),
        thresholds=parse_thresholds(doc.get("thresholds")),
    )


def _entities(
    doc: Mapping[str, Any],
    key: str,
    parse: Any,
    like: Parsed | None,
    required: bool = False,
) -> tuple[Any, ...]:
    """The parsed items of `doc[key]`, those equal to `like`'s taken from it."""
    items = doc.get(key)
    if like is None or not isinstance(items, list):
        return tuple(read_items(doc, key, parse, required))
    before_items = like[0].get(key) or []
    before: tuple[Any, ...] = getattr(like[1], key)
    if items == before_items:
        return before
    known = len(before_items)
    return tuple(
        before[index]
        if index < known and item == before_items[index]
        else parse(item, f"{key}[{index}]")
        for index, item in enumerate(items)
    )


def _dependencies(
    doc: Mapping[str, Any], like: Parsed | None
) -> tuple[Dependency, ...]:
    """Links are named against each other (`distinct_link_ids`): taken from
    `like` only as a whole."""
    if like is not None and doc.get("dependencies") == like[0].get("dependencies"):
        return like[1].dependencies
    return distinct_link_ids(read_items(doc, "dependencies", parse_dependency))


def parse_task(data: Any, where: str) -> Task:
    doc = as_mapping(data, where, TASK_FIELDS)
    task_id = as_identifier(doc.get("id"), f"{where}.id")
    where = f"tasks[{task_id}]"
    duration = as_optional_number(doc.get("duration"), f"{where}.duration")
    estimate = None
    if doc.get("estimate") is not None:
        estimate = parse_estimate(doc["estimate"], f"{where}.estimate")
    if duration is not None and estimate is not None:
        raise ValidationError.at(
            where, "needs either a duration or an estimate, not both"
        )
    return Task(
        id=task_id,
        duration=duration,
        estimate=estimate,
        name=as_string(doc.get("name", ""), f"{where}.name"),
        group=as_string(doc.get("group", ""), f"{where}.group"),
        demands=as_number_map(doc.get("demands", {}), f"{where}.demands"),
        skills=as_int_map(doc.get("skills", {}), f"{where}.skills"),
        people=as_integer(doc.get("people", 1), f"{where}.people"),
        splittable=as_boolean(doc.get("splittable", True), f"{where}.splittable"),
        timing=parse_timing(doc, where),
        parent=as_string(doc.get("parent", ""), f"{where}.parent"),
        notes=as_string(doc.get("notes", ""), f"{where}.notes"),
        custom=as_custom_fields(doc.get("custom", {}), f"{where}.custom"),
        progress=parse_progress(doc, where),
        fixed_cost=as_number(doc.get("fixed_cost", 0.0), f"{where}.fixed_cost"),
        gate=as_boolean(doc.get("gate", False), f"{where}.gate"),
        calendar=None
        if doc.get("calendar") is None
        else parse_calendar(doc["calendar"], f"{where}.calendar"),
        pauses=parse_pauses(doc.get("pauses", []), f"{where}.pauses"),
        elapsed=as_boolean(doc.get("elapsed", False), f"{where}.elapsed"),
    )


def parse_estimate(data: Any, where: str) -> Estimate:
    """Three points (`fixed`: most_likely alone; `discrete`: values, weights)."""
    doc = as_mapping(data, where, ESTIMATE_FIELDS)
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
        as_number(doc[key], f"{where}.{key}") if key in doc else _required(where, key)
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
    values = as_numbers(doc.get("values"), f"{where}.values")
    if not values:
        raise ValidationError.at(f"{where}.values", "required, a non-empty list")
    weights = as_numbers(doc.get("weights", []), f"{where}.weights")
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
    doc = as_mapping(data, where, CORRELATION_FIELDS)
    members = {}
    for key in ("tasks", "risks"):
        items = doc.get(key, [])
        if not isinstance(items, list):
            raise ValidationError.at(f"{where}.{key}", "expected a list of ids")
        members[key] = tuple(as_identifier(i, f"{where}.{key}") for i in items)
    if "coefficient" not in doc:
        raise ValidationError.at(f"{where}.coefficient", "required, within [-1, 1]")
    return Correlation(
        coefficient=as_number(doc["coefficient"], f"{where}.coefficient"), **members
    )


def parse_resource(data: Any, where: str) -> Resource:
    doc = as_mapping(data, where, RESOURCE_FIELDS)
    resource_id = as_identifier(doc.get("id"), f"{where}.id")
    where = f"resources[{resource_id}]"
    return Resource(
        id=resource_id,
        capacity=as_integer(doc.get("capacity", 1), f"{where}.capacity"),
        name=as_string(doc.get("name", ""), f"{where}.name"),
        skills=as_int_map(doc.get("skills", {}), f"{where}.skills"),
        calendar=None
        if doc.get("calendar") is None
        else parse_calendar(doc["calendar"], f"{where}.calendar"),
        absences=tuple(
            parse_absence(item, f"{where}.absences[{index}]")
            for index, item in enumerate(
                as_list(doc.get("absences", []), f"{where}.absences")
            )
        ),
        cost_rate=as_number(doc.get("cost_rate", 0.0), f"{where}.cost_rate"),
        max_load=as_optional_number(doc.get("max_load"), f"{where}.max_load"),
    )


def parse_absence(data: Any, where: str) -> Absence:
    """An absence `{"start": ISO date, "end": ISO date, "reason": text}`."""
    doc = as_mapping(data, where, ABSENCE_FIELDS)
    if "start" not in doc:
        raise ValidationError.at(f"{where}.start", "required, an ISO date")
    start = as_date(doc["start"], f"{where}.start")
    end = as_date(doc.get("end", doc["start"]), f"{where}.end")
    if end < start:
        raise ValidationError.at(f"{where}.end", f"{end} is before the start {start}")
    return Absence(start, end, as_string(doc.get("reason", ""), f"{where}.reason"))


LINK_TYPES = frozenset(t.value for t in DependencyType)


def parse_dependency(data: Any, where: str) -> Dependency:
    doc = as_mapping(data, where, DEPENDENCY_FIELDS)
    predecessor = as_identifier(doc.get("from"), f"{where}.from")
    successor = as_identifier(doc.get("to"), f"{where}.to")
    kind = doc.get("type", "FS")
    if not isinstance(kind, str) or kind not in LINK_TYPES:
        raise ValidationError.at(f"{where}.type", "must be one of FS, SS, FF, SF")
    return Dependency(
        predecessor=predecessor,
        successor=successor,
        type=DependencyType(kind),
        lag=as_integer(doc.get("lag", 0), f"{where}.lag", minimum=None),
        id=as_string(doc.get("id", ""), f"{where}.id"),
    )


def distinct_link_ids(dependencies: list[Dependency]) -> tuple[Dependency, ...]:
    """A second link between the same pair (SS and FF, say) without its own id
    is named `from->to:TYPE`, so each link keeps an id of its own; the same
    link twice stays a duplicate."""
    taken = {dependency.id for dependency in dependencies}
    first_type: dict[str, DependencyType] = {}
    named = []
    for dependency in dependencies:
        default = f"{dependency.predecessor}->{dependency.successor}"
        alternative = f"{default}:{dependency.type.value}"
        clash = dependency.id == default and default in first_type
        if (
            clash
            and first_type[default] != dependency.type
            and alternative not in taken
        ):
            dependency = replace(dependency, id=alternative)
            taken.add(alternative)
        first_type.setdefault(dependency.id, dependency.type)
        named.append(dependency)
    return tuple(named)


def parse_risk(data: Any, where: str) -> Risk:
    doc = as_mapping(data, where, RISK_FIELDS)
    risk_id = as_identifier(doc.get("id"), f"{where}.id")
    where = f"risks[{risk_id}]"
    tasks = doc.get("tasks")
    if not isinstance(tasks, list) or not tasks:
        raise ValidationError.at(f"{where}.tasks", "required, a non-empty list")
    impact_data = doc.get("impact", 0)
    impact: float | Estimate
    if isinstance(impact_data, Mapping):
        impact = parse_estimate(impact_data, f"{where}.impact")
    else:
        impact = as_number(impact_data, f"{where}.impact")
    return Risk(
        id=risk_id,
        probability=as_number(doc.get("probability"), f"{where}.probability"),
        tasks=tuple(as_identifier(t, f"{where}.tasks") for t in tasks),
        impact=impact,
        name=as_string(doc.get("name", ""), f"{where}.name"),
    )


GRAIN_FIELDS = ("periods_per_day", "start_period")
CALENDAR_FIELDS = {"workdays", "holidays", "extra_workdays", *GRAIN_FIELDS}
MAX_PERIODS_PER_DAY = 1440  # a minute of a 24-hour day


def parse_calendar(data: Any, where: str, axis: bool = False) -> Calendar:
    """A calendar; only the project's (`axis`) may count times within the day
    (`Calendar.periods_per_day`, `start_period`)."""
    doc = as_mapping(data, where, CALENDAR_FIELDS)
    workdays = doc.get("workdays", ["Mon", "Tue", "Wed", "Thu", "Fri"])
    if not isinstance(workdays, list) or not workdays:
        raise ValidationError.at(f"{where}.workdays", "a non-empty list of weekdays")
    for day in workdays:
        if day not in WEEKDAYS:
            raise ValidationError.at(
                f"{where}.workdays", f"{day!r} is not one of {', '.join(WEEKDAYS)}"
            )
    days = {}
    for key in ("holidays", "extra_workdays"):
        listed = doc.get(key, [])
        if not isinstance(listed, list):
            raise ValidationError.at(f"{where}.{key}", "a list of ISO dates")
        days[key] = frozenset(as_date(d, f"{where}.{key}") for d in listed)
    return Calendar(
        workdays=tuple(d for d in WEEKDAYS if d in workdays),
        holidays=days["holidays"],
        extra_workdays=days["extra_workdays"],
        **_grain(doc, where, axis),
    )


def _grain(doc: Mapping[str, Any], where: str, axis: bool) -> dict[str, int]:
    """`periods_per_day` (1..1440) and `start_period` (0 .. periods_per_day-1)."""
    given = [key for key in GRAIN_FIELDS if key in doc]
    if given and not axis:
        raise ValidationError.at(
            f"{where}.{given[0]}", "only the project's calendar sets the time grain"
        )
    periods = as_integer(doc.get("periods_per_day", 1), f"{where}.periods_per_day", 1)
    if periods > MAX_PERIODS_PER_DAY:
        raise ValidationError.at(
            f"{where}.periods_per_day", f"at most {MAX_PERIODS_PER_DAY}"
        )
    first = as_integer(doc.get("start_period", 0), f"{where}.start_period")
    if first >= periods:
        raise ValidationError.at(
            f"{where}.start_period", f"must be below periods_per_day ({periods})"
        )
    return {"periods_per_day": periods, "start_period": first}
