"""An independent re-check of a plan against its project, without the solver.

Knows only domain types: it re-derives every rule (each task once with its
planned duration, dependencies with lags, resource capacities, skills,
makespan) from the Project, so a modelling bug in the solver cannot hide.
Times are organisation working days; people's own calendars, absences,
unsplittable tasks and load limits are re-checked against calendar dates: a
task with people is worked on the first `duration` days from its start that
all of them work (`domain.worktime`), and its finish must leave room for them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from functools import partial

from domain import (
    DeadlineMode,
    Dependency,
    DependencyType,
    Plan,
    Project,
    ScheduledTask,
)
from domain.bookings import BusySpan, reserved_days
from domain.honoured import Honoured, honour_constraints
from domain.outline import leaf_project
from domain.progress import RemainingAfter
from domain.status import as_of_status
from domain.worktime import worked_days

Schedule = dict[str, ScheduledTask]
BOOKED_ELSEWHERE = "committed work in other projects"
Load = tuple[int, int, float, str]  # start, finish, units, task id
SHARE_TOLERANCE = 1e-9


def validate_plan(
    project: Project, plan: Plan, busy: Sequence[BusySpan] = ()
) -> list[str]:
    """Every rule the plan breaks, as a sentence naming tasks, resources, days.

    An empty list means the plan is valid. A plan without a schedule
    (infeasible or unknown) is valid when it carries no tasks and no makespan.
    `busy`: the people's committed work in other projects, which the plan
    must leave free (`domain.bookings`).
    """
    if not plan.has_schedule:
        return list(_unscheduled_violations(plan))
    project = leaf_project(project)  # summary tasks span their leaves
    project = as_of_status(project)  # dependencies work already done has met
    honoured = honour_constraints(project)  # links kept short for a date
    violations = list(_coverage_violations(project, plan))
    violations.extend(_unwarned_relaxations(honoured, plan))
    project = honoured.project
    schedule = {
        task.task_id: task for task in plan.tasks if task.task_id in project.task_index
    }
    checks: tuple[Callable[[Project, Schedule], Iterator[str]], ...] = (
        _timing_violations,
        _dependency_violations,
        _skill_violations,
        partial(time_window_violations, soft=plan.deadlines == DeadlineMode.SOFT),
        people_time_violations,
        progress_violations,
    )
    for check in checks:
        violations.extend(check(project, schedule))
    violations.extend(_capacity_violations(project, schedule, busy))
    violations.extend(_makespan_violations(plan))
    violations.extend(_lateness_violations(project, plan))
    return violations


def _unwarned_relaxations(honoured: Honoured, plan: Plan) -> Iterator[str]:
    """A link kept short for a date constraint is a warning of the plan."""
    for relaxation in honoured.relaxations:
        if relaxation.sentence(honoured.project) not in plan.warnings:
            link = relaxation.dependency
            days = f"{relaxation.days} day{'s' if relaxation.days != 1 else ''}"
            yield (
                f"link {link.id} may be broken by {days} for task "
                f"{link.successor}'s date, but no warning says so"
            )


def _unscheduled_violations(plan: Plan) -> Iterator[str]:
    if plan.tasks:
        yield f"a plan with status {plan.status} must not schedule tasks"
    if plan.makespan is not None:
        yield f"a plan with status {plan.status} must not have a makespan"


def _coverage_violations(project: Project, plan: Plan) -> Iterator[str]:
    """Each project task appears exactly once, and nothing else appears."""
    counts: dict[str, int] = defaultdict(int)
    for scheduled in plan.tasks:
        counts[scheduled.task_id] += 1
    for task in project.tasks:
        if counts[task.id] == 0:
            yield f"task {task.id} is not scheduled"
        elif counts[task.id] > 1:
            yield f"task {task.id} is scheduled {counts[task.id]} times"
    for task_id in counts.keys() - project.task_index.keys():
        yield f"task {task_id} is scheduled but not in the project"


def _timing_violations(project: Project, schedule: Schedule) -> Iterator[str]:
    """No task starts before day 0, and each lasts its planned duration (a task
    with people or its own calendar at least that: it may pause over their
    days off, checked in `people_time_violations`)."""
    for task_id, scheduled in schedule.items():
        if scheduled.start < 0:
            yield f"task {task_id} starts at day {scheduled.start}, before day 0"
        task = project.task(task_id)
        duration = task.planned_duration
        span = scheduled.finish - scheduled.start
        timed = bool(scheduled.assignees) or project.task_calendar(task) is not None
        may_pause = timed and project.start is not None
        if span != duration and not (may_pause and span > duration):
            yield (
                f"task {task_id} runs {scheduled.finish - scheduled.start} days "
                f"(day {scheduled.start} to {scheduled.finish}), "
                f"its planned duration is {duration}"
            )


def _dependency_violations(project: Project, schedule: Schedule) -> Iterator[str]:
    """Each dependency holds with its lag (FS, SS, FF and SF alike)."""
    for dependency in project.dependencies:
        before = schedule.get(dependency.predecessor)
        after = schedule.get(dependency.successor)
        if before is None or after is None:
            yield f"dependency {dependency.id} cannot hold: a task is not scheduled"
            continue
        message = broken_dependency(dependency, before, after)
        if message:
            yield message


def broken_dependency(
    dependency: Dependency, before: ScheduledTask, after: ScheduledTask
) -> str | None:
    """Describe how `dependency` is broken, or None when it holds."""
    after_is_start = dependency.type in (DependencyType.FS, DependencyType.SS)
    before_is_start = dependency.type in (DependencyType.SS, DependencyType.SF)
    actual = after.start if after_is_start else after.finish
    reference = before.start if before_is_start else before.finish
    required = reference + dependency.lag
    if actual >= required:
        return None
    return (
        f"dependency {dependency.id} ({dependency.type}, lag {dependency.lag}) "
        f"broken: task {after.task_id} {'starts' if after_is_start else 'finishes'} "
        f"at day {actual}, but task {before.task_id} "
        f"{'starts' if before_is_start else 'finishes'} at day {reference}, "
        f"so not before day {required}"
    )


def _capacity_violations(
    project: Project, schedule: Schedule, busy: Sequence[BusySpan]
) -> Iterator[str]:
    """At no day does a resource hold more units than its capacity (counting
    its people's committed work in other projects)."""
    loads = loads_by_resource(project, schedule, busy)
    for resource_id, resource_loads in sorted(loads.items()):
        if resource_id not in project.resource_index:
            tasks = ", ".join(sorted({load[3] for load in resource_loads}))
            yield f"resource {resource_id} used by task(s) {tasks} does not exist"
            continue
        capacity = project.resource(resource_id).capacity
        yield from _overloads(resource_id, capacity, resource_loads)


def loads_by_resource(
    project: Project, schedule: Schedule, busy: Sequence[BusySpan] = ()
) -> dict[str, list[Load]]:
    """Named demands, plus one unit per assigned person, for every task; and
    the days people of the plan work in other projects."""
    loads: dict[str, list[Load]] = defaultdict(list)
    assigned = {person for task in schedule.values() for person in task.assignees}
    for person, first, end, days_units in reserved_days(project, busy):
        if person in assigned:
            loads[person].append((first, end, days_units, BOOKED_ELSEWHERE))
    for task_id, scheduled in schedule.items():
        span = (scheduled.start, scheduled.finish)
        for resource_id, units in project.task(task_id).demands.items():
            if units:
                loads[resource_id].append((*span, units, task_id))
        for person in scheduled.assignees:
            loads[person].append((*span, 1, task_id))
    return loads


def _overloads(resource_id: str, capacity: int, loads: list[Load]) -> Iterator[str]:
    """Sweep the load's change points; report each day the load goes over."""
    changes: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for start, finish, units, task_id in loads:
        if finish > start:  # a zero-length task occupies no day
            changes[start].append((units, task_id))
            changes[finish].append((-units, task_id))
    held: dict[str, float] = defaultdict(float)
    for day in sorted(changes):
        for units, task_id in changes[day]:
            held[task_id] += units
            if abs(held[task_id]) < SHARE_TOLERANCE:
                del held[task_id]
        total = sum(held.values())
        if total > capacity + SHARE_TOLERANCE:  # shares such as 0.3 add inexactly
            tasks = ", ".join(f"{t} ({u:g})" for t, u in sorted(held.items()))
            yield (
                f"resource {resource_id} over capacity from day {day}: "
                f"{total:g} units in use, capacity {capacity} (tasks {tasks})"
            )


def _skill_violations(project: Project, schedule: Schedule) -> Iterator[str]:
    """Tasks asking for skills get `people` distinct qualified people; others none."""
    for task_id, scheduled in schedule.items():
        task = project.task(task_id)
        assignees = scheduled.assignees
        if not task.skills:
            if assignees:
                yield f"task {task_id} needs no people but has {', '.join(assignees)}"
            continue
        if len(set(assignees)) != len(assignees):
            yield f"task {task_id} lists a person twice: {', '.join(assignees)}"
        if len(set(assignees)) != task.people:
            yield (
                f"task {task_id} needs {task.people} people, has {len(set(assignees))}"
            )
        for person in sorted(set(assignees)):
            if person not in project.resource_index:
                yield f"task {task_id} is assigned unknown resource {person}"
            elif not project.resource(person).qualifies_for(task):
                yield f"task {task_id} is assigned {person}, who lacks its skills"


def time_window_violations(
    project: Project, schedule: Schedule, soft: bool = False
) -> Iterator[str]:
    """Releases, pins and actual starts hold; deadlines are met (`soft`: may
    be missed, see `_lateness_violations`)."""
    for task_id, scheduled in schedule.items():
        timing = project.task(task_id).timing
        start, finish = scheduled.start, scheduled.finish
        limit = timing.latest_finish(project.task(task_id).planned_duration)
        if soft and limit is not None:
            finish = min(finish, limit)
        said = f"task {task_id} starts on day {start}"
        if timing.release is not None and start < timing.release:
            yield f"{said}, before its release (day {timing.release})"
        if timing.deadline is not None and finish > timing.deadline:
            yield (
                f"task {task_id} finishes on day {finish}, "
                f"after its deadline (day {timing.deadline})"
            )
        pin = timing.pin
        latest = pin.latest if pin and pin.latest is not None else start
        if pin and not (pin.earliest or 0) <= start <= latest:
            yield f"{said}, outside its pin (days {pin.earliest}..{pin.latest})"
        if timing.actual_start is not None and start != timing.actual_start:
            yield f"{said}, but it actually started on day {timing.actual_start}"
        broken = timing.constraint and timing.constraint.broken_by(start, finish)
        if broken:
            yield f"task {task_id} {broken}"


def _lateness_violations(project: Project, plan: Plan) -> Iterator[str]:
    """A soft plan states how late each task is and lists every missed
    deadline in its warnings; a hard plan is never late."""
    soft = plan.deadlines == DeadlineMode.SOFT
    for scheduled in plan.tasks:
        if scheduled.task_id not in project.task_index:
            continue
        task = project.task(scheduled.task_id)
        limit = task.timing.latest_finish(task.planned_duration)
        late = max(scheduled.finish - limit, 0) if soft and limit is not None else 0
        if scheduled.late_by != late:
            yield (
                f"task {task.id} finishes {late} days after its deadline, "
                f"but the plan says late_by {scheduled.late_by}"
            )
        if late and not any(f"task '{task.id}'" in w for w in plan.warnings):
            yield f"task {task.id} misses its deadline, but no warning says so"
    finish, deadline = plan.makespan or 0, project.deadline
    if deadline is None or finish <= deadline:
        return
    if not soft:
        yield (
            f"the plan finishes on day {finish}, after the project deadline "
            f"(day {deadline})"
        )
    elif not any(w.startswith("the project finishes") for w in plan.warnings):
        yield "the project misses its deadline, but no warning says so"


def progress_violations(project: Project, schedule: Schedule) -> Iterator[str]:
    """Recorded progress, read from the actual dates themselves rather than
    the releases and durations the status view derives from them: a finished
    task sits at its actual dates; with a status date that work waits for
    (`remaining_after`), a started task still runs after it and no unstarted
    task starts before it."""
    status = project.status_time
    for task_id, scheduled in schedule.items():
        timing = project.task(task_id).timing
        start, finish = scheduled.start, scheduled.finish
        if timing.actual_finish is not None:
            if (start, finish) != (timing.actual_start, timing.actual_finish):
                yield (
                    f"task {task_id} is planned on days {start}..{finish}, but it "
                    f"ran from day {timing.actual_start} to {timing.actual_finish}"
                )
        elif project.status_date is None or project.remaining_after is not (
            RemainingAfter.STATUS_DATE
        ):
            continue
        elif timing.actual_start is not None:
            if finish <= status:
                yield (
                    f"task {task_id} is unfinished, yet planned to finish on day "
                    f"{finish}, not after the status time (day {status})"
                )
        elif start < status:
            yield (
                f"task {task_id} has not started, yet is planned to start on day "
                f"{start}, before the status time (day {status})"
            )


def _makespan_violations(plan: Plan) -> Iterator[str]:
    """The makespan is the latest finish, and no bound exceeds it."""
    latest = max((task.finish for task in plan.tasks), default=0)
    if plan.makespan != latest:
        yield f"makespan is {plan.makespan}, but the latest finish is day {latest}"
    if plan.lower_bound is not None and plan.lower_bound > latest:
        yield f"lower bound {plan.lower_bound} exceeds the makespan {latest}"


# -- people's time: calendars, absences, unsplittable tasks, load limits ------


def people_time_violations(project: Project, schedule: Schedule) -> Iterator[str]:
    """Every broken availability, splitting or load rule, as a sentence."""
    yield from working_day_violations(project, schedule)
    yield from load_violations(project, schedule)


def working_day_violations(project: Project, schedule: Schedule) -> Iterator[str]:
    """Tasks held on days their equipment or people do not work, or split
    though they may not be (each task on its own)."""
    if project.start is None:
        return
    latest = max((t.finish for t in schedule.values()), default=0)
    dates = project.time_calendar.working_dates(project.start, latest + 1)
    yield from _availability_violations(project, schedule, dates)
    yield from _work_day_violations(project, schedule, dates)
    yield from _split_violations(project, schedule, dates)


def _availability_violations(
    project: Project, schedule: Schedule, dates: list[date]
) -> Iterator[str]:
    """No equipment (a named demand) is held on a day it is off."""
    for task_id, scheduled in sorted(schedule.items()):
        for resource_id in project.task(task_id).demands:
            if resource_id not in project.resource_index:
                continue  # reported by the capacity and skill checks
            resource = project.resource(resource_id)
            if not resource.has_own_time:
                continue
            for day in range(scheduled.start, scheduled.finish):
                if not resource.works_on(dates[day], project.time_calendar):
                    yield (
                        f"task {task_id} uses {resource_id} on day {day} "
                        f"({dates[day].isoformat()}), when {resource_id} does not work"
                    )
                    break


def _work_day_violations(
    project: Project, schedule: Schedule, dates: list[date]
) -> Iterator[str]:
    """A task with people gets `duration` days all of them work within its
    span; a one-person task ends right after the last of them (a task of
    several people may keep them a little longer)."""
    for task_id, scheduled in sorted(schedule.items()):
        task = project.task(task_id)
        calendar = project.task_calendar(task)
        if not (scheduled.assignees or calendar):
            continue
        start, finish = scheduled.start, scheduled.finish
        duration = task.planned_duration
        days = worked_days(
            project, duration, start, scheduled.assignees, dates[:finish], calendar
        )
        who = ", ".join(scheduled.assignees) or "its calendar"
        if days and days[0] != start and not scheduled.assignees:
            yield f"task {task_id} starts on day {start}, a day off in its calendar"
        elif days and days[0] != start:
            yield f"task {task_id} starts on day {start}, when {who} do not all work"
        elif len(days) < duration:
            yield (
                f"task {task_id} needs {duration} working days of {who} but gets "
                f"{len(days)} from day {start} to day {finish}"
            )
        elif task.people <= 1 and finish != (days[-1] + 1 if days else start):
            yield (
                f"task {task_id} finishes on day {finish}, but its {duration} "
                f"working days by {who} end on day {days[-1] + 1}"
            )


def _split_violations(
    project: Project, schedule: Schedule, dates: list[date]
) -> Iterator[str]:
    """A non-splittable task's working days are consecutive calendar dates,
    all worked by its people."""
    for task_id, scheduled in sorted(schedule.items()):
        task = project.task(task_id)
        if task.splittable:
            continue
        start, duration = scheduled.start, task.planned_duration
        days = worked_days(
            project,
            duration,
            start,
            scheduled.assignees,
            dates,
            project.task_calendar(task),
        )
        if days != list(range(start, start + duration)):
            yield (
                f"task {task_id} is not splittable but its people do not work "
                f"every day from day {start} to day {start + duration}"
            )
            continue
        for day in range(scheduled.start + 1, scheduled.finish):
            if dates[day] - dates[day - 1] > timedelta(days=1):
                yield (
                    f"task {task_id} is not splittable but spans the non-working "
                    f"days before {dates[day].isoformat()} (day {day})"
                )
                break


def load_violations(project: Project, schedule: Schedule) -> Iterator[str]:
    """Assigned work days of a person stay within max_load x the plan's span."""
    span = max((t.finish for t in schedule.values()), default=0)
    worked: dict[str, int] = defaultdict(int)
    for task_id, scheduled in schedule.items():
        for person in scheduled.assignees:
            worked[person] += project.task(task_id).planned_duration
    for resource in project.resources:
        limit = resource.max_load
        if limit is None or worked[resource.id] == 0:
            continue
        # Same rounding as the solver: whole percents.
        if 100 * worked[resource.id] > round(limit * 100) * span:
            yield (
                f"resource {resource.id} works {worked[resource.id]} of {span} days, "
                f"over its max_load {limit}"
            )
