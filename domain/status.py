"""A project as it stands at its status date: what is done, under way, to come.

`as_of_status` is the view the scheduler and the simulation are given, so
both start from what actually happened:

- a finished task sits at its actual dates (`Task.planned_duration` is its
  actual duration, its start is fixed);
- a started task keeps its actual start and runs to its expected finish, the
  status time plus the work it has left (`domain.progress`, rules 1-3 at the
  most likely value) plus the days of its stated pauses (`domain.pauses`)
  still ahead of the status time; those behind it are dropped, as for a
  finished task: its dates say when it worked;
- no unstarted work before the status time: it becomes each such task's
  release (each leaf's: a summary task holds no work of its own, and its
  release would hold its started leaves too, `domain.outline`);
- unless the project's `remaining_after` is `actual_work` (MS Project
  without a status date): then unstarted tasks get no release, and a started
  task's status time is its own, where its actual work ends (`resume_time`);
- a dependency whose constrained end already happened (FS/SS into a started
  task, FF/SF into a finished one) is history and is dropped: progress
  overrides logic, as in MS Project, and `out_of_sequence` reports the tasks
  that started before a predecessor finished.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from domain.errors import Problem
from domain.model import Dependency, DependencyType, Project, Task
from domain.pauses import pauses_ahead
from domain.progress import RemainingAfter, RemainingWork, progress_problems
from domain.thresholds import threshold_problems

_START_SIDE = (DependencyType.FS, DependencyType.SS)


def remaining_work(project: Project, task: Task) -> RemainingWork | None:
    """The rule for what a started, unfinished task has left (None for a task
    that is finished or not started)."""
    timing, progress = task.timing, task.progress
    if timing.actual_start is None or timing.actual_finish is not None:
        return None
    status = resume_time(project, task)
    elapsed = max(status - timing.actual_start, 0)
    reported: float = status
    if project.remaining_after is RemainingAfter.ACTUAL_WORK:
        reported = timing.actual_start + _done(task)
    elif progress.reported_on is not None:
        reported = min(project.time_of(progress.reported_on), status)
    offset = float(reported - status)
    if progress.remaining_duration is not None:
        most_likely = _most_likely(task)
        scale = progress.remaining_duration / most_likely if most_likely > 0 else 0.0
        if most_likely <= 0:
            offset += progress.remaining_duration
        return RemainingWork(elapsed, scale, offset)
    if progress.percent_complete is not None:
        return RemainingWork(elapsed, 1 - progress.percent_complete / 100, offset)
    return RemainingWork(elapsed, None)


def resume_time(project: Project, task: Task) -> int:
    """The time a started task's remaining work is counted from: the status
    time, or under `actual_work` the day its actual work ends in."""
    started = task.timing.actual_start
    if project.remaining_after is RemainingAfter.STATUS_DATE or started is None:
        return project.status_time
    return started + math.floor(_done(task) + 1e-9)


def _done(task: Task) -> float:
    """Working days of actual work a report implies at the most likely
    duration m: m - r (rule 1), p/100 x m (rule 2), else none."""
    progress, most_likely = task.progress, _most_likely(task)
    if progress.remaining_duration is not None:
        return max(most_likely - progress.remaining_duration, 0.0)
    if progress.percent_complete is not None:
        return progress.percent_complete / 100 * most_likely
    return 0.0


def _most_likely(task: Task) -> float:
    if task.estimate is not None:
        return task.estimate.most_likely
    return task.duration or 0.0


def as_of_status(project: Project) -> Project:
    """The project with its progress folded in (module docstring); the
    project itself when nothing has happened yet."""
    status = project.status_time
    if status == 0 and not any(
        t.timing.actual_start is not None for t in project.tasks
    ):
        return project
    summaries = {task.parent for task in project.tasks}
    tasks = tuple(
        task if task.id in summaries else _task_at(project, task)
        for task in project.tasks
    )
    started = {t.id for t in project.tasks if t.timing.actual_start is not None}
    finished = {t.id for t in project.tasks if t.timing.actual_finish is not None}
    dependencies = tuple(
        d
        for d in project.dependencies
        if d.successor not in (started if d.type in _START_SIDE else finished)
    )
    return replace(project, tasks=tasks, dependencies=dependencies)


def _task_at(project: Project, task: Task) -> Task:
    timing = task.timing
    if timing.actual_finish is not None:
        return replace(task, pauses=()) if task.pauses else task
    remaining = remaining_work(project, task)
    if remaining is not None and timing.actual_start is not None:
        resume = resume_time(project, task)
        finish = resume + remaining.planned(_most_likely(task))
        return replace(
            task,
            progress=replace(task.progress, expected_finish=finish),
            pauses=pauses_ahead(task.pauses, resume - timing.actual_start),
        )
    if project.remaining_after is RemainingAfter.ACTUAL_WORK:
        return task
    status = project.status_time
    if status > (timing.release or 0):
        return replace(task, timing=replace(timing, release=status))
    return task


def out_of_sequence(project: Project) -> list[Dependency]:
    """FS dependencies whose successor started before its predecessor
    finished (accepted, as in MS Project, and reported)."""
    by_id = {task.id: task.timing for task in project.tasks}
    late = []
    for dependency in project.dependencies:
        before = by_id.get(dependency.predecessor)
        after = by_id.get(dependency.successor)
        if before is None or after is None or after.actual_start is None:
            continue
        if dependency.type is not DependencyType.FS:
            continue
        finish = before.actual_finish
        if finish is None or after.actual_start < finish + dependency.lag:
            late.append(dependency)
    return late


def status_problems(project: Project) -> Iterator[Problem]:
    """Progress rules: each report consistent, nothing dated after the status
    date, and dates only in a project with a start."""
    dated = project.status_date is not None and not isinstance(project.status_date, int)
    if dated and project.start is None:
        yield Problem("status_date", "a date needs the project start (or give a day)")
    yield from threshold_problems(project.thresholds)
    for task in project.tasks:
        where = f"tasks[{task.id}]"
        timing = task.timing
        yield from progress_problems(
            task.progress, timing.actual_start, timing.actual_finish, where
        )
        if task.fixed_cost < 0:
            yield Problem(f"{where}.fixed_cost", f"must be >= 0, got {task.fixed_cost}")
        reported = task.progress.reported_on
        if isinstance(reported, date) and project.start is None:
            yield Problem(f"{where}.reported_on", "a date needs the project start")
            continue
        if project.status_date is None or (dated and project.start is None):
            continue
        yield from _after_status(project, task, where)


def _after_status(project: Project, task: Task, where: str) -> Iterator[Problem]:
    """Each actual date and the report's date at or before the status date
    (an actual start on day s is the work of day s, so s < status time; a
    milestone done at the status time is not after it)."""
    status = project.status_time
    timing, reported = task.timing, task.progress.reported_on
    start = timing.actual_start
    milestone = start is not None and timing.actual_finish == start
    times = {
        "actual_start": None if start is None else start + (not milestone),
        "actual_finish": timing.actual_finish,
        "reported_on": None if reported is None else project.time_of(reported),
    }
    for key, time in times.items():
        if time is not None and time > status:
            yield Problem(
                f"{where}.{key}",
                f"after the status date ({_said(project)}): nothing is dated "
                "after it; move the status date first",
            )


def _said(project: Project) -> str:
    status = project.status_date
    return f"day {status}" if isinstance(status, int) else str(status)
