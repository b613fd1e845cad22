"""MSPDI (MS Project XML) -> a planforge project, and a report of what mapped.

Tasks keep their UID as id and their name; the outline (OutlineLevel) gives
each task its `parent`; summary tasks get no duration (they span their
leaves). Durations and lags are converted with the file's minutes per day;
dates with the project's time axis (`formats.clock`; the project calendar,
plus the days task calendars add: `Project.time_calendar`). Links FS/SS/FF/SF,
the eight constraint types, deadlines, actual dates, notes and custom fields
(ExtendedAttribute) map onto the document; split tasks' gaps become pauses
(`formats.mspdi_splits`); elapsed durations of whole days ("30 edays")
become elapsed tasks (`Task.elapsed`: days of 24 h, every day); resources
keep max units (whole units) and standard rate (per working day),
assignments their units. What
has no place in planforge is counted in the report (`formats.report`).
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime, time

from lxml import etree

from domain import Calendar, Dependency, Project, Task, ValidationError
from domain.constraint import Constraint, ConstraintType
from domain.progress import RemainingAfter, TaskProgress
from domain.timing import TaskTiming
from domain.validation import validate_project
from formats.clock import DAY_FINISH, DAY_START, MINUTES_PER_DAY, Clock
from formats.mspdi_calendars import read_calendars
from formats.mspdi_grain import read_grain
from formats.mspdi_resources import read_assignments, read_resources
from formats.mspdi_splits import read_pauses
from formats.mspdi_xml import (
    CONSTRAINTS,
    ELAPSED_FORMATS,
    LINK_TYPES,
    PERCENT_FORMATS,
    Q,
    base_format,
    elapsed_days,
    flag,
    minutes,
    moment,
    number,
    parse_xml,
    text,
    where,
)
from formats.report import Imported, ImportReport


def read_mspdi(data: bytes, name: str = "") -> Imported:
    """Read an MSPDI file; ValidationError names the line or element."""
    root = parse_xml(data)
    report = ImportReport("mspdi")
    calendars = read_calendars(root, report.unmapped)
    calendar = calendars.get(text(root, "CalendarUID"), Calendar())
    if not calendar.workdays:
        raise ValidationError.at(
            "Project.CalendarUID", "the calendar has no working day"
        )
    per_day = number(root, "MinutesPerDay", MINUTES_PER_DAY)
    if per_day <= 0:
        raise ValidationError.at("Project.MinutesPerDay", "must be > 0")
    earliest = _earliest_moment(root)
    start = earliest.date()
    grain = read_grain(root, per_day, calendar, earliest)
    clock = Clock(
        grain.axis(_time_axis(root, calendars, calendar, start)),
        start,
        _time(root, "DefaultStartTime", DAY_START),
        _time(root, "DefaultFinishTime", DAY_FINISH),
        grain.work_times,
    )
    reader = _TaskReader(root, clock, calendars, calendar, grain.unit_minutes, report)
    tasks = reader.read_tasks()
    resources = read_resources(root, calendars, calendar, grain.unit_minutes, report)
    tasks = read_assignments(root, tasks, resources, report)
    status = moment(root, "StatusDate")
    project = Project(
        name=name or text(root, "Name") or text(root, "Title") or "imported",
        status_date=None if status is None else status.date(),
        # Without a status date MS Project holds no work back to a "now".
        remaining_after=RemainingAfter.STATUS_DATE
        if status is not None
        else RemainingAfter.ACTUAL_WORK,
        # The schema's default is on: "tasks will always honor their constraint dates".
        constraints_over_links=text(root, "HonorConstraints", "1") in ("1", "true"),
        start=clock.start,
        calendar=grain.axis(calendar),
        tasks=tuple(tasks.values()),
        resources=tuple(resources.values()),
        dependencies=tuple(reader.links),
    )
    project = read_pauses(root, project, clock, report)
    validate_project(project)
    report.mapped["tasks"] = len(project.tasks)
    return Imported(project, report)


def _time_axis(
    root: etree._Element,
    calendars: dict[str, Calendar],
    calendar: Calendar,
    start: date,
) -> Calendar:
    """The days the project's times count: the project calendar and every
    task calendar the file's tasks name (`Project.time_calendar`)."""
    leaves = [t for t in root.iterfind(f"{Q}Tasks/{Q}Task") if not flag(t, "Summary")]
    named = {
        calendars[uid]
        for task in leaves
        if elapsed_days(task) is None
        and (uid := text(task, "CalendarUID")) in calendars
    }
    tasks = tuple(Task(str(k), calendar=own) for k, own in enumerate(named))
    if any(elapsed_days(task) is not None for task in leaves):
        tasks += (Task("elapsed", elapsed=True),)
    return Project("axis", tasks, start=start, calendar=calendar).time_calendar


def _earliest_moment(root: etree._Element) -> datetime:
    """The project start, or an earlier task start or actual start: time 0
    must come before every moment the file holds for work."""
    moments = []
    started = moment(root, "StartDate")
    if started is not None:
        moments.append(started)
    for task in root.iterfind(f"{Q}Tasks/{Q}Task"):
        for tag in ("Start", "ActualStart"):
            when = moment(task, tag)
            if when is not None:
                moments.append(when)
    if not moments:
        raise ValidationError.at("Project.StartDate", "required (no task has a start)")
    return min(moments)


def _time(root: etree._Element, tag: str, default: time) -> time:
    raw = text(root, tag)
    try:
        return time.fromisoformat(raw) if raw else default
    except ValueError:
        raise ValidationError.at(
            f"Project.{tag}", f"expected a time, got {raw!r}"
        ) from None


class _TaskReader:
    """Tasks and links, in file order, with the outline as parents."""

    def __init__(
        self,
        root: etree._Element,
        clock: Clock,
        calendars: dict[str, Calendar],
        calendar: Calendar,
        per_unit: float,
        report: ImportReport,
    ) -> None:
        """`per_unit`: the working minutes of one time unit of the axis (a
        working day, or a period of one: `formats.mspdi_grain`)."""
        self.root, self.clock, self.report = root, clock, report
        self.calendars, self.calendar = calendars, calendar
        self.per_unit = per_unit
        self.links: list[Dependency] = []
        self.fields = _custom_field_names(root)
        self.prioritised = any(
            text(task, "Priority", "500") != "500"
            for task in root.iterfind(f"{Q}Tasks/{Q}Task")
        )

    def read_tasks(self) -> dict[str, Task]:
        tasks: dict[str, Task] = {}
        outline: list[str] = []  # ids of the open summary tasks, by level
        for element in self.root.iterfind(f"{Q}Tasks/{Q}Task"):
            level = int(number(element, "OutlineLevel", 1))
            if level == 0 or flag(element, "IsNull"):
                continue  # the project summary task; blank rows
            task_id = text(element, "UID")
            if not task_id or task_id in tasks:
                problem = "a second task with this UID" if task_id else "required"
                raise ValidationError.at(where(element, "UID"), problem)
            del outline[level - 1 :]
            parent = outline[-1] if outline else ""
            outline.append(task_id)
            tasks[task_id] = self._task(element, task_id, parent)
        self.links = [link for link in self.links if link.predecessor in tasks]
        self.report.mapped["links"] = len(self.links)
        self.report.mapped["summary tasks"] = len(
            {t.parent for t in tasks.values()} - {""}
        )
        return tasks

    def _task(self, element: etree._Element, task_id: str, parent: str) -> Task:
        summary = flag(element, "Summary")
        counted = self.report.unmapped
        calendar = self._calendar(element)
        if flag(element, "Recurring"):
            # MS Project writes each occurrence as a subtask with its own date
            # constraint; those are planned, the recurrence rule is not kept.
            counted["recurring tasks (pattern not kept; occurrences planned)"] += 1
        if flag(element, "Manual"):
            counted["manually scheduled tasks (planned automatically)"] += 1
        self._read_links(element, task_id)
        timing = self._timing(element, summary)
        if self.prioritised and not summary:
            timing = replace(timing, tardiness_weight=_lateness_weight(element))
            self.report.mapped["task priorities (as weights of lateness)"] += 1
        elapsed = None if summary else self._elapsed(element, calendar)
        if elapsed is not None:
            calendar = None  # elapsed time works every day (`Task.elapsed`)
        if summary:
            duration = None
        else:
            duration = self._duration(element) if elapsed is None else elapsed
        return Task(
            id=task_id,
            name=text(element, "Name"),
            duration=duration,
            parent=parent,
            timing=timing,
            notes=text(element, "Notes"),
            custom=self._custom(element),
            progress=TaskProgress() if summary else self._progress(element, timing),
            fixed_cost=0.0 if summary else number(element, "FixedCost"),
            calendar=None if summary else calendar,
            elapsed=elapsed is not None,
        )

    def _calendar(self, element: etree._Element) -> Calendar | None:
        """The task's own calendar, when it names one other than the
        project's (days it works beyond the project's are on the time axis:
        `Project.time_calendar`)."""
        uid = text(element, "CalendarUID", "-1")
        own = self.calendars.get(uid)
        if uid in ("-1", text(self.root, "CalendarUID")) or own == self.calendar:
            return None
        if own is None:
            self.report.unmapped["task calendars not in the file (ignored)"] += 1
            return None
        self.report.mapped["task calendars"] += 1
        return own

    def _progress(self, element: etree._Element, timing: TaskTiming) -> TaskProgress:
        """Percent complete of a started task (100 once finished) and its
        actual cost; a summary's are its leaves' and not read."""
        percent = number(element, "PercentComplete")
        cost = number(element, "ActualCost") or None
        if timing.actual_finish is not None:
            return TaskProgress(
                percent_complete=100 if percent else None, actual_cost=cost
            )
        if timing.actual_start is None:
            if percent:
                self.report.unmapped["percent complete without an actual start"] += 1
            return TaskProgress(actual_cost=cost)
        if percent >= 100:
            self.report.unmapped[
                "100 % complete without an actual finish (read as 99 %)"
            ] += 1
            percent = 99
        self.report.mapped["progress reports"] += 1
        return TaskProgress(percent_complete=percent or None, actual_cost=cost)

    def _elapsed(
        self, element: etree._Element, calendar: Calendar | None
    ) -> int | None:
        """An elapsed duration of whole clock days in units of the time axis
        (a day of the axis is one of the clock: the task works every day);
        None for working time."""
        days = elapsed_days(element)
        if days is None:
            return None
        self.report.mapped["elapsed durations (days of 24 h, every day)"] += 1
        if calendar is not None:
            self.report.unmapped["task calendars of elapsed tasks (ignored)"] += 1
        return days * self.clock.calendar.periods_per_day

    def _duration(self, element: etree._Element) -> float:
        """Time units of the Duration of a task not elapsed (`_elapsed`: not
        whole clock days). A task flagged `Milestone` keeps its duration (MS
        Project schedules a flagged 5-day task over five days and only draws
        it as a milestone)."""
        total = minutes(element, "Duration") or 0.0
        code = base_format(int(number(element, "DurationFormat", 7)))
        if code in ELAPSED_FORMATS:
            # Clock time within a day maps onto working periods only where
            # it lies within working hours: counted, not guessed.
            self.report.unmapped[
                "elapsed durations not whole days (read as working time)"
            ] += 1
        days = total / self.per_unit
        if not math.isclose(days, round(days), abs_tol=1e-6):
            self.report.unmapped["durations not whole days (planned rounded up)"] += 1
            return round(days, 4)
        return round(days)

    def _timing(self, element: etree._Element, summary: bool) -> TaskTiming:
        clock = self.clock
        deadline = moment(element, "Deadline")
        started, finished = (
            moment(element, "ActualStart"),
            moment(element, "ActualFinish"),
        )
        timing = TaskTiming(
            due=None if deadline is None else max(clock.finish_day(deadline), 0),
            actual_start=None
            if started is None or summary
            else clock.start_day(started),
            actual_finish=None
            if finished is None or started is None or summary
            else clock.finish_day(finished),
            constraint=self._constraint(element),
        )
        if timing.actual_start is not None and timing.actual_start < 0:
            raise ValidationError.at(
                where(element, "ActualStart"), "before the project start"
            )
        return timing

    def _constraint(self, element: etree._Element) -> Constraint | None:
        code = int(number(element, "ConstraintType", 0))
        if code not in CONSTRAINTS:
            raise ValidationError.at(
                where(element, "ConstraintType"), f"unknown {code}"
            )
        kind = CONSTRAINTS[code]
        if kind is ConstraintType.ASAP:
            return None
        if not kind.dated:
            return Constraint(kind)
        when = moment(element, "ConstraintDate")
        if when is None:
            raise ValidationError.at(
                where(element, "ConstraintDate"), f"{kind} needs one"
            )
        day = (
            self.clock.finish_day(when)
            if kind.on_finish
            else self.clock.start_day(when)
        )
        if day < 0:
            self.report.unmapped["constraints before the project start (day 0)"] += 1
        self.report.mapped[f"{kind} constraints"] += 1
        return Constraint(kind, max(day, 0))

    def _read_links(self, element: etree._Element, task_id: str) -> None:
        for link in element.iterfind(f"{Q}PredecessorLink"):
            if flag(link, "CrossProject"):
                self.report.unmapped["links to other projects"] += 1
                continue
            kind = LINK_TYPES.get(text(link, "Type", "1"))
            if kind is None:
                raise ValidationError.at(where(link, "Type"), "expected 0..3")
            lag = self._lag(link)
            self.links.append(
                Dependency(text(link, "PredecessorUID"), task_id, kind, lag)
            )

    def _lag(self, link: etree._Element) -> int:
        tenths = number(link, "LinkLag")
        code = base_format(int(number(link, "LagFormat", 7)))
        if tenths and code in PERCENT_FORMATS:
            self.report.unmapped["percent lags (read as 0)"] += 1
            return 0
        if tenths and code in ELAPSED_FORMATS:
            self.report.unmapped["elapsed lags (read as working time)"] += 1
        days = tenths / 10 / self.per_unit
        if not math.isclose(days, round(days), abs_tol=1e-6):
            self.report.unmapped["lags not whole days (rounded)"] += 1
        return round(days)

    def _custom(self, element: etree._Element) -> dict[str, str | int | float | bool]:
        custom: dict[str, str | int | float | bool] = {}
        priority = text(element, "Priority")
        if priority and priority != "500":
            custom["Priority"] = int(priority)  # written back on export
        for attribute in element.iterfind(f"{Q}ExtendedAttribute"):
            field_id = text(attribute, "FieldID")
            custom[f"{self.fields.get(field_id, 'Field')} ({field_id})"] = text(
                attribute, "Value"
            )
            self.report.mapped["custom field values"] += 1
        return custom


def _lateness_weight(element: etree._Element) -> int:
    """A task's MS Project priority (0..1000, default 500) as the weight of a
    day of its lateness: priority / 100, at least 1 (500 weighs 5, 1000
    weighs 10): it weighs lateness (soft deadlines, due dates) and orders
    tasks competing for a resource where that costs nothing, as MS Project
    levels by priority (`scheduler.search.priority`); kept for the round trip."""
    priority = number(element, "Priority", 500)
    return max(1, min(round(priority / 100), 10))


def _custom_field_names(root: etree._Element) -> dict[str, str]:
    """FieldID -> the alias or field name the file gives it."""
    return {
        text(e, "FieldID"): text(e, "Alias") or text(e, "FieldName") or "Field"
        for e in root.iterfind(f"{Q}ExtendedAttributes/{Q}ExtendedAttribute")
    }
