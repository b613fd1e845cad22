"""A planforge project (and optionally its plan) -> MSPDI, valid against MS
Project's `mspdi_pj12.xsd` (element order is part of that schema).

Tasks come in outline order with OutlineNumber/OutlineLevel and Summary;
durations and lags in hours of `minutes_per_day` working days (format: days),
or of periods of one where the project counts them (`Calendar.periods_per_day`,
times of day then from MS Project's standard day, as its calendars are written);
an elapsed task's duration in hours of the clock (format "ed"), its Finish
at the time of day it started; constraints, due dates (MS Project's soft
Deadline), notes and custom fields
read from MSPDI (keys ending in their FieldID) go back where they came from.
With a plan, tasks carry its dates and its people appear as assignments.
Task ids that are whole numbers (as imported) stay the UIDs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

from lxml import etree

from domain import Plan, Project, Resource, ScheduledTask, Task
from domain.constraint import Constraint, ConstraintType
from formats.clock import MINUTES_PER_DAY, Clock
from formats.mspdi_calendars_write import add_calendar, resource_calendar
from formats.mspdi_layout import layout_of
from formats.mspdi_resources import UNASSIGNED
from formats.mspdi_splits import add_parts, stop_and_resume, unplanned_place
from formats.mspdi_xml import (
    CONSTRAINT_CODES,
    DAYS_FORMAT,
    ELAPSED_DAYS_FORMAT,
    MINUTES_PER_CLOCK_DAY,
    NS,
    add,
    duration_text,
    number_text,
)

FIELD_ID = re.compile(r"^(.*) \((\d+)\)$")


def write_mspdi(
    project: Project, plan: Plan | None = None, minutes_per_day: int = MINUTES_PER_DAY
) -> bytes:
    """The project as MSPDI bytes (UTF-8, with an XML declaration)."""
    return _Writer(project, plan, minutes_per_day).document()


class _Writer:
    def __init__(self, project: Project, plan: Plan | None, per_day: int) -> None:
        self.project, self.plan, self.per_day = project, plan, per_day
        # Minutes of one time unit: a working day, or a period of one.
        self.per_unit = per_day / project.calendar.periods_per_day
        self.clock = Clock(project.time_calendar, project.start or date.today())
        self.layout = layout_of(project, plan)

    def document(self) -> bytes:
        root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS})
        project = self.project
        add(root, "SaveVersion", "12")
        add(root, "Name", project.name)
        add(root, "Title", project.name)
        add(root, "ScheduleFromStart", "1")
        add(root, "StartDate", self.clock.start_moment(0))
        if self.plan is not None and self.plan.makespan is not None:
            add(root, "FinishDate", self._finish(self.plan.makespan, 0))
        # Required by the schema; planforge holds no currency: ISO 4217's "none".
        add(root, "CurrencyCode", "XXX")
        add(root, "CalendarUID", "1")
        add(root, "DefaultStartTime", "08:00:00")
        add(root, "DefaultFinishTime", "17:00:00")
        add(root, "MinutesPerDay", str(self.per_day))
        add(root, "MinutesPerWeek", str(self.per_day * len(project.calendar.workdays)))
        add(root, "DaysPerMonth", "20")
        add(root, "DurationFormat", str(DAYS_FORMAT))
        add(root, "HonorConstraints", "1" if project.constraints_over_links else "0")
        if (status := project.status_date) is not None:
            day = status if isinstance(status, date) else self.clock.date_of(status)
            add(root, "StatusDate", datetime.combine(day, self.clock.day_finish))
        self._custom_field_definitions(
            etree.SubElement(root, f"{{{NS}}}ExtendedAttributes")
        )
        calendars = etree.SubElement(root, f"{{{NS}}}Calendars")
        add_calendar(calendars, "1", "Standard", project.calendar, None)
        for resource in project.resources:
            if resource.id in self.layout.calendar_uids:
                own = resource_calendar(resource, project.calendar)
                name = resource.name or resource.id
                add_calendar(
                    calendars, self.layout.calendar_uids[resource.id], name, own, "1"
                )
        for calendar, calendar_uid in self.layout.task_calendars.items():
            name = f"Task calendar {calendar_uid}"
            add_calendar(calendars, calendar_uid, name, calendar, None)
        tasks = etree.SubElement(root, f"{{{NS}}}Tasks")
        for position, task in enumerate(self.layout.order, start=1):
            self._task(etree.SubElement(tasks, f"{{{NS}}}Task"), task, position)
        resources = etree.SubElement(root, f"{{{NS}}}Resources")
        for position, resource in enumerate(project.resources, start=1):
            self._resource(
                etree.SubElement(resources, f"{{{NS}}}Resource"), resource, position
            )
        assignments = etree.SubElement(root, f"{{{NS}}}Assignments")
        for uid, (task, resource_uid, units) in enumerate(self._assignments(), start=1):
            element = etree.SubElement(assignments, f"{{{NS}}}Assignment")
            add(element, "UID", str(uid))
            add(element, "TaskUID", self.layout.uids[task.id])
            add(element, "ResourceUID", resource_uid)
            add(element, "Units", number_text(units))
            if task.pauses:
                work = duration_text(self.per_day * units)
                add_parts(element, self.project, self._place(task), self.clock, work)
        return bytes(
            etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", pretty_print=True
            )
        )

    def _task(self, element: etree._Element, task: Task, position: int) -> None:
        is_summary = task.id in self.layout.summaries
        add(element, "UID", self.layout.uids[task.id])
        add(element, "ID", str(position))
        add(element, "Name", task.name or task.id)
        outline_number = self.layout.outline_numbers[task.id]
        add(element, "OutlineNumber", outline_number)
        add(element, "OutlineLevel", str(outline_number.count(".") + 1))
        if isinstance(priority := task.custom.get("Priority"), int):
            add(element, "Priority", str(priority))
        if task.id in self.layout.spans:
            start, finish = self.layout.spans[task.id]
            add(element, "Start", self.clock.start_moment(start))
            # Elapsed time runs on through the night: to the next start.
            elapsed = task.id in self.layout.elapsed_ends and finish > start
            ends = self.clock.start_moment(finish) if elapsed else None
            add(element, "Finish", ends or self._finish(finish, start))
        if not is_summary:
            days = task.planned_duration if task.estimate else (task.duration or 0)
            self._duration(element, task, days)
            if stopped := stop_and_resume(self.project, task, self.clock):
                add(element, "Stop", stopped[0])
                add(element, "Resume", stopped[1])
        add(element, "Milestone", "1" if not is_summary and not days else "0")
        add(element, "Summary", "1" if is_summary else "0")
        if task.fixed_cost:
            add(element, "FixedCost", number_text(task.fixed_cost))
        if task.progress.percent_complete is not None:
            add(element, "PercentComplete", f"{round(task.progress.percent_complete)}")
        timing = task.timing
        if timing.actual_start is not None:
            add(element, "ActualStart", self.clock.start_moment(timing.actual_start))
        if timing.actual_finish is not None and timing.actual_start is not None:
            add(
                element,
                "ActualFinish",
                self._finish(timing.actual_finish, timing.actual_start),
            )
        if task.progress.actual_cost is not None:
            add(element, "ActualCost", number_text(task.progress.actual_cost))
        constraint = _constraint_of(task)
        if constraint is not None:
            add(element, "ConstraintType", str(CONSTRAINT_CODES[constraint.type]))
        if task.calendar is not None:
            add(element, "CalendarUID", self.layout.task_calendars[task.calendar])
        if constraint is not None and constraint.day is not None:
            add(element, "ConstraintDate", self._constraint_date(constraint))
        due = timing.due if timing.due is not None else timing.deadline
        if due is not None:
            add(element, "Deadline", self._finish(due, due - 1))
        if task.notes:
            add(element, "Notes", task.notes)
        for link in self.layout.links_to.get(task.id, []):
            self._link(etree.SubElement(element, f"{{{NS}}}PredecessorLink"), *link)
        for field_id, value in _custom_values(task):
            attribute = etree.SubElement(element, f"{{{NS}}}ExtendedAttribute")
            add(attribute, "FieldID", field_id)
            add(attribute, "Value", value)

    def _duration(self, element: etree._Element, task: Task, days: float) -> None:
        """Duration in working hours (days format), or for an elapsed task
        in hours of the clock, 24 a day (MS Project's "ed")."""
        if task.elapsed:
            clock_days = days / self.project.calendar.periods_per_day
            add(element, "Duration", duration_text(clock_days * MINUTES_PER_CLOCK_DAY))
            add(element, "DurationFormat", str(ELAPSED_DAYS_FORMAT))
            return
        add(element, "Duration", duration_text(days * self.per_unit))
        add(element, "DurationFormat", str(DAYS_FORMAT))

    def _link(
        self, element: etree._Element, predecessor: str, code: str, lag: int
    ) -> None:
        add(element, "PredecessorUID", self.layout.uids[predecessor])
        add(element, "Type", code)
        add(element, "CrossProject", "0")
        add(element, "LinkLag", str(round(lag * self.per_unit * 10)))
        add(element, "LagFormat", str(DAYS_FORMAT))

    def _resource(
        self, element: etree._Element, resource: Resource, position: int
    ) -> None:
        add(element, "UID", str(position))
        add(element, "ID", str(position))
        add(element, "Name", resource.name or resource.id)
        add(element, "Type", "1")
        add(element, "MaxUnits", str(resource.capacity))
        add(
            element,
            "StandardRate",
            number_text(resource.cost_rate * 60 / self.per_unit),
        )
        add(element, "StandardRateFormat", "2")
        if resource.id in self.layout.calendar_uids:
            add(element, "CalendarUID", self.layout.calendar_uids[resource.id])

    def _custom_field_definitions(self, parent: etree._Element) -> None:
        names: dict[str, str] = {}
        for task in self.project.tasks:
            for key in task.custom:
                if match := FIELD_ID.match(key):
                    names.setdefault(match.group(2), match.group(1))
        for field_id, name in sorted(names.items()):
            definition = etree.SubElement(parent, f"{{{NS}}}ExtendedAttribute")
            add(definition, "FieldID", field_id)
            add(definition, "FieldName", name)

    def _constraint_date(self, constraint: Constraint) -> datetime:
        day = constraint.day or 0
        if constraint.type.on_finish:
            return self._finish(day, day - 1)
        return self.clock.start_moment(day)

    def _finish(self, finish: int, start: int) -> datetime:
        return self.clock.finish_moment(finish, start)

    def _place(self, task: Task) -> ScheduledTask:
        """Where a split task's parts go: its planned place, or without a
        plan the earliest its own dates allow."""
        if self.plan is not None and task.id in self.layout.spans:
            return self.plan.scheduled(task.id)
        return unplanned_place(self.project, task, self.clock)

    def _assignments(self) -> Iterator[tuple[Task, str, float]]:
        """(task, resource UID, units); a task that pauses and has no resource
        gets MS Project's unassigned one, to carry its parts."""
        people = {t.task_id: t.assignees for t in self.plan.tasks} if self.plan else {}
        index = self.project.resource_index
        for task in self.layout.order:
            units = dict(task.demands)
            for person in people.get(task.id, ()):
                units[person] = max(units.get(person, 0), 1)
            for resource_id, amount in units.items():
                yield task, str(index[resource_id] + 1), amount
            if task.pauses and not units:
                yield task, UNASSIGNED, 1.0


def _constraint_of(task: Task) -> Constraint | None:
    """The task's constraint; else its release or pin as MS Project says it."""
    timing = task.timing
    if timing.constraint is not None:
        return timing.constraint
    if timing.pin is not None and timing.pin.start is not None:
        return Constraint(ConstraintType.MSO, timing.pin.start)
    if timing.release:
        return Constraint(ConstraintType.SNET, timing.release)
    return None


def _custom_values(task: Task) -> Iterator[tuple[str, str]]:
    for key, value in task.custom.items():
        if match := FIELD_ID.match(key):
            yield match.group(2), str(value)
