"""Earned value at the status date against the committed baseline.

Definitions as in PMI's Practice Standard for Earned Value Management (with
its earned-schedule extension for the variance in days), times in working
days from the project start, T the status time:

- BAC of a task = `fixed_cost` + its baseline duration (finish - start in the
  baseline) x the daily `cost_rate` of each person the baseline assigns to
  it (and of each resource it demands, per unit). BAC = the sum.
- PV(t) spreads each task's BAC linearly over its baseline days:
  BAC x clamp((t - start) / (finish - start), 0, 1); a zero-length task is
  planned whole at its start. PV = PV(T).
- EV = sum of BAC x percent complete: 100 % once finished, else the reported
  `percent_complete`, else e / (e + r) with e the days worked to the report
  and r its `remaining_duration`, else 0 (nothing claimed without a report).
- AC = `actual_cost` where reported, else the same rates x the working days
  worked up to T (actual start to actual finish, or to T while running).
- SV = EV - PV, CV = EV - AC, SPI = EV / PV, CPI = EV / AC (None when the
  divisor is 0), EAC = BAC / CPI (the standard's "current cost performance
  continues"; AC + BAC - EV while CPI is undefined).
- Earned schedule ES = the time t at which PV(t) = EV (PV interpolated);
  schedule variance in days = ES - T (negative: behind).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from domain.model import Project, Task
from domain.plan import Plan, ScheduledTask


@dataclass(frozen=True)
class TaskValue:
    """One task's budget, baseline span and its value at the status date."""

    task_id: str
    bac: float
    start: int
    finish: int
    earned_share: float  # 0..1
    actual_cost: float


@dataclass(frozen=True)
class EarnedValue:
    status_time: int
    bac: float
    pv: float
    ev: float
    ac: float
    sv: float
    cv: float
    spi: float | None
    cpi: float | None
    eac: float
    earned_schedule: float
    schedule_variance_days: float


def earned_value(
    project: Project, baseline: Plan, baseline_project: Project
) -> EarnedValue:
    """EVM figures of `project` (now) against `baseline`, planned on
    `baseline_project` (the version the baseline was made from)."""
    status = project.status_time
    values = list(_task_values(project, baseline, baseline_project))
    bac = sum(v.bac for v in values)
    pv = planned_value(values, status)
    ev = sum(v.bac * v.earned_share for v in values)
    ac = sum(v.actual_cost for v in values)
    spi = ev / pv if pv else None
    cpi = ev / ac if ac else None
    eac = bac / cpi if cpi else ac + bac - ev
    earned = earned_schedule(values, ev)
    return EarnedValue(
        status,
        bac,
        pv,
        ev,
        ac,
        ev - pv,
        ev - ac,
        spi,
        cpi,
        eac,
        earned,
        earned - status,
    )


def planned_value(values: list[TaskValue], time: float) -> float:
    return sum(v.bac * _planned_share(v, time) for v in values)


def _planned_share(value: TaskValue, time: float) -> float:
    if value.finish <= value.start:
        return 1.0 if time >= value.start else 0.0
    return min(max((time - value.start) / (value.finish - value.start), 0.0), 1.0)


def earned_schedule(values: list[TaskValue], ev: float) -> float:
    """The earliest time at which the baseline planned `ev` (linear between
    the breakpoints where a task starts or finishes)."""
    points = sorted({0, *(v.start for v in values), *(v.finish for v in values)})
    previous_time, previous_pv = points[0], planned_value(values, points[0])
    if ev <= previous_pv:
        return float(previous_time)
    for time in points[1:]:
        pv = planned_value(values, time)
        if pv >= ev:
            fraction = (ev - previous_pv) / (pv - previous_pv)
            return previous_time + fraction * (time - previous_time)
        previous_time, previous_pv = time, pv
    return float(previous_time)


def _task_values(
    project: Project, baseline: Plan, baseline_project: Project
) -> Iterator[TaskValue]:
    status = project.status_time
    for scheduled in baseline.tasks:
        if scheduled.task_id not in project.task_index:
            continue  # removed since the baseline: nothing more to earn
        task = project.task(scheduled.task_id)
        planned = task
        if scheduled.task_id in baseline_project.task_index:
            planned = baseline_project.task(scheduled.task_id)
        rate = _daily_rate(baseline_project, planned, scheduled)
        bac = planned.fixed_cost + (scheduled.finish - scheduled.start) * rate
        yield TaskValue(
            task.id,
            bac,
            scheduled.start,
            scheduled.finish,
            earned_share(task, project),
            _actual_cost(task, rate, status),
        )


def _daily_rate(project: Project, task: Task, scheduled: ScheduledTask) -> float:
    rates: Mapping[str, float] = {r.id: r.cost_rate for r in project.resources}
    people = sum(rates.get(person, 0.0) for person in scheduled.assignees)
    demanded = sum(
        units * rates.get(resource, 0.0)
        for resource, units in task.demands.items()
        if resource not in scheduled.assignees
    )
    return people + demanded


def earned_share(task: Task, project: Project) -> float:
    """The share of a task done (0..1), as the module docstring defines it."""
    timing, progress = task.timing, task.progress
    if timing.actual_finish is not None:
        return 1.0
    if timing.actual_start is None:
        return 0.0
    if progress.percent_complete is not None:
        return progress.percent_complete / 100
    if progress.remaining_duration is not None:
        reported = project.status_time
        if progress.reported_on is not None:
            reported = project.time_of(progress.reported_on)
        worked = max(reported - timing.actual_start, 0)
        total = worked + progress.remaining_duration
        return worked / total if total else 0.0
    return 0.0


def _actual_cost(task: Task, rate: float, status: int) -> float:
    if task.progress.actual_cost is not None:
        return task.progress.actual_cost
    timing = task.timing
    if timing.actual_start is None:
        return 0.0
    end = min(
        timing.actual_finish if timing.actual_finish is not None else status, status
    )
    return max(end - timing.actual_start, 0) * rate
