"""Rules of time: durations, dependencies with their lags, releases, pins,
deadlines (hard, or soft and stated), and recorded progress."""

from __future__ import annotations

from collections.abc import Iterator

from domain import (
    DeadlineMode,
    Dependency,
    DependencyType,
    Plan,
    Project,
    ScheduledTask,
)
from domain.progress import RemainingAfter
from domain.worktime import may_stretch
from scheduler.plan.validator.placed import Schedule


def duration_violations(project: Project, schedule: Schedule) -> Iterator[str]:
    """No task starts before day 0, and each lasts its planned duration (a task
    with people, demanded resources, its own calendar or pauses at least
    that: it may pause over their days off, checked in
    `people_time_violations`)."""
    for task_id, scheduled in schedule.items():
        if scheduled.start < 0:
            yield f"task {task_id} starts at day {scheduled.start}, before day 0"
        task = project.task(task_id)
        duration = task.planned_duration
        span = scheduled.finish - scheduled.start
        timed = may_stretch(project, task, scheduled.assignees)
        may_pause = timed and project.start is not None
        if span != duration and not (may_pause and span > duration):
            yield (
                f"task {task_id} runs {scheduled.finish - scheduled.start} days "
                f"(day {scheduled.start} to {scheduled.finish}), "
                f"its planned duration is {duration}"
            )


def dependency_violations(project: Project, schedule: Schedule) -> Iterator[str]:
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


def time_window_violations(
    project: Project, schedule: Schedule, soft: bool = False
) -> Iterator[str]:
    """Releases, pins and actual starts hold; deadlines are met (`soft`: may
    be missed, see `lateness_violations`)."""
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


def lateness_violations(project: Project, plan: Plan) -> Iterator[str]:
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
