"""MS Project's split tasks <-> stated pauses (`domain.pauses`).

MS Project keeps the parts of a split task in its assignments' timephased
work (`TimephasedData`, one record per stretch of time with the work done in
it): a stretch of working time holding no work inside the task's span is a
gap. Read: the days a task would work from its Start to its Finish (its
calendar's, its resources' own, `domain.worktime`) that hold no work become
pauses, when the parts add up to its duration in whole days. Write: a task
with pauses gets one remaining-work record per day of its span, zero on the
days it pauses, on each assignment (the unassigned one, resource -65535,
when it has no resource), as MS Project writes them; without a plan, from the
earliest start the task's own dates allow (a file without dates still keeps
its parts).

Also counts the tasks whose stored span neither pauses nor calendars
explain (planned without their gaps).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime

from lxml import etree

from domain import Project, ScheduledTask, Task
from domain.pauses import Pause, paused_days
from domain.worktime import worked_days, workers
from formats.clock import Clock
from formats.mspdi_xml import Q, add, flag, minutes, moment, text
from formats.report import ImportReport

REMAINING_WORK = "1"
ACTUAL_WORK = "2"
DAYS_UNIT = "2"
NO_WORK = "PT0H0M0S"
# How far past its work a split task's days are looked for (people away).
LONGEST_SEARCH = 64


def read_pauses(
    root: etree._Element, project: Project, clock: Clock, report: ImportReport
) -> Project:
    """The project with each split task's gaps as its pauses, and the gap of
    a started task between its Stop and a later Resume."""
    worked = _worked_dates(root, clock)
    elements = {
        text(element, "UID"): element for element in root.iterfind(f"{Q}Tasks/{Q}Task")
    }
    tasks = []
    for task in project.tasks:
        work = worked.get(task.id)
        if work and task.duration is not None:
            task = _with_pauses(project, task, work, clock, report)
        if not task.pauses and task.id in elements:
            task = _with_resume(project, task, elements[task.id], clock, report)
        tasks.append(task)
    project = replace(project, tasks=tuple(tasks))
    _count_unexplained_spans(root, project, clock, report)
    return project


def _worked_dates(root: etree._Element, clock: Clock) -> dict[str, set[date]]:
    """Per task UID: the dates its assignments' timephased records hold work
    on (tasks whose assignments have such records)."""
    found: dict[str, set[date]] = {}
    for assignment in root.iterfind(f"{Q}Assignments/{Q}Assignment"):
        for record in assignment.iterfind(f"{Q}TimephasedData"):
            if text(record, "Type") not in (REMAINING_WORK, ACTUAL_WORK):
                continue
            start, finish = moment(record, "Start"), moment(record, "Finish")
            work = found.setdefault(text(assignment, "TaskUID"), set())
            if start is not None and finish is not None and minutes(record, "Value"):
                work.update(_working_dates(start, finish, clock))
    return found


def _working_dates(start: datetime, finish: datetime, clock: Clock) -> Iterator[date]:
    """The dates whose working hours [day_start, day_finish) the stretch
    [start, finish) overlaps."""
    day = start.date()
    while day <= finish.date():
        opens = datetime.combine(day, clock.day_start)
        closes = datetime.combine(day, clock.day_finish)
        if start < closes and opens < finish:
            yield day
        day = date.fromordinal(day.toordinal() + 1)


def _with_pauses(
    project: Project,
    task: Task,
    work: set[date],
    clock: Clock,
    report: ImportReport,
) -> Task:
    """The task with the gaps between its worked days as pauses (unchanged,
    and counted, when its worked days are not its whole-day duration)."""
    first, end = clock.index(min(work)), clock.index(max(work)) + 1
    axis = clock.dates(0, end)
    days = worked_days(
        project,
        end - first,
        first,
        workers(task, ()),
        axis,
        project.task_calendar(task),
    )
    pauses: list[Pause] = []
    done = 0
    for day in days:
        if axis[day] in work:
            done += 1
        elif pauses and pauses[-1].after == done:
            pauses[-1] = Pause(done, pauses[-1].days + 1)
        else:
            pauses.append(Pause(done, 1))
    if not pauses:
        return task
    if done != task.duration:
        report.unmapped["split tasks whose parts are not whole days (one piece)"] += 1
        return task
    report.mapped["split tasks (their gaps as pauses)"] += 1
    return replace(task, pauses=tuple(pauses))


def _with_resume(
    project: Project,
    task: Task,
    element: etree._Element,
    clock: Clock,
    report: ImportReport,
) -> Task:
    """A started task MS Project resumes later than its work stopped: the
    days it would work from Stop to Resume as a pause after the days it
    worked from its actual start to Stop."""
    started, stop, resume = (
        task.timing.actual_start,
        moment(element, "Stop"),
        moment(element, "Resume"),
    )
    if (
        started is None
        or task.timing.actual_finish is not None
        or task.duration is None
    ):
        return task
    if stop is None or resume is None:
        return task
    stopped, resumes = clock.finish_day(stop), clock.start_day(resume)
    if resumes <= stopped:
        return task
    axis = clock.dates(0, resumes)
    team, calendar = workers(task, ()), project.task_calendar(task)
    days = worked_days(project, resumes - started, started, team, axis, calendar)
    done = sum(1 for day in days if day < stopped)
    if done == len(days):  # no day of the task's own between them
        return task
    if not 0 < done < task.duration:
        report.unmapped["Resume after Stop outside the task's work (ignored)"] += 1
        return task
    report.mapped["started tasks resumed later (Stop to Resume as a pause)"] += 1
    return replace(task, pauses=(Pause(done, len(days) - done),))


def stop_and_resume(
    project: Project, task: Task, clock: Clock
) -> tuple[datetime, datetime] | None:
    """Where a started, unfinished task's work stops and resumes: around its
    first pause (MS Project's Stop and Resume); None for other tasks."""
    started, timing = task.timing.actual_start, task.timing
    if started is None or timing.actual_finish is not None or not task.pauses:
        return None
    place = unplanned_place(project, task, clock)
    axis = clock.dates(0, place.finish)
    team, calendar = workers(task, ()), project.task_calendar(task)
    span = place.finish - started
    would = worked_days(project, span, started, team, axis, calendar)
    first = task.pauses[0]
    if len(would) <= first.after + first.days:
        return None
    stop, resume = would[first.after - 1], would[first.after + first.days]
    return clock.finish_moment(stop + 1, stop), clock.start_moment(resume)


def _count_unexplained_spans(
    root: etree._Element, project: Project, clock: Clock, report: ImportReport
) -> None:
    """Count leaf tasks MS Project spans over more days than their work,
    pauses, calendars and resources' days off take from their start."""
    for element in root.iterfind(f"{Q}Tasks/{Q}Task"):
        uid = text(element, "UID")
        start, finish = moment(element, "Start"), moment(element, "Finish")
        if uid not in project.task_index or start is None or finish is None:
            continue
        task = project.task(uid)
        if task.duration is None or flag(element, "Summary"):
            continue
        first, end = clock.start_day(start), clock.finish_day(finish)
        duration = math.ceil(task.duration - 1e-9)
        axis = clock.dates(0, max(end, first + duration) + 1)
        team = workers(task, ())
        calendar = project.task_calendar(task)
        days = worked_days(project, duration, first, team, axis, calendar, task.pauses)
        if days and end > days[-1] + 1:
            report.unmapped[
                "tasks spanning more days than their work, pauses and calendars "
                "take (planned without the gap)"
            ] += 1


def add_parts(
    assignment: etree._Element,
    project: Project,
    scheduled: ScheduledTask,
    clock: Clock,
    day_of_work: str,
) -> None:
    """Append to `assignment` one remaining-work record per day its task
    would work in its planned span: `day_of_work` (a duration text), or none
    on the days it pauses."""
    task = project.task(scheduled.task_id)
    axis = clock.dates(0, scheduled.finish)
    team, calendar = workers(task, scheduled.assignees), project.task_calendar(task)
    span = scheduled.finish - scheduled.start
    would = worked_days(project, span, scheduled.start, team, axis, calendar)
    duration = task.planned_duration
    worked = set(
        worked_days(
            project, duration, scheduled.start, team, axis, calendar, task.pauses
        )
    )
    uid = text(assignment, "UID")
    for day in would:
        record = etree.SubElement(assignment, f"{Q}TimephasedData")
        add(record, "Type", REMAINING_WORK)
        add(record, "UID", uid)
        add(record, "Start", datetime.combine(axis[day], clock.day_start))
        add(record, "Finish", datetime.combine(axis[day], clock.day_finish))
        add(record, "Unit", DAYS_UNIT)
        add(record, "Value", day_of_work if day in worked else NO_WORK)


def unplanned_place(project: Project, task: Task, clock: Clock) -> ScheduledTask:
    """A split task's span in a file without a plan: its work and pauses
    from the earliest start its own dates allow (actual start, release, pin,
    constraint; else the project start), on its calendar and people's days."""
    duration = task.planned_duration
    start, _ = task.timing.start_window(duration)
    team, calendar = workers(task, ()), project.task_calendar(task)
    end = start + duration + paused_days(task.pauses, duration)
    while True:
        axis = clock.dates(0, end)
        days = worked_days(project, duration, start, team, axis, calendar, task.pauses)
        if len(days) >= duration or end > LONGEST_SEARCH * (start + duration + 1):
            break
        end *= 2
    return ScheduledTask(task.id, start, days[-1] + 1 if days else start)
