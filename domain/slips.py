"""Whether a project's forecast has slipped, and why, in planners' words.

A forecast has slipped when its P80 finish is later than the committed
baseline's P80 (the first forecast recorded of the baseline; its makespan if
it has none) by more than the project's `thresholds.slip_days`, or later
than the deadline. The reasons name the P80 move and the reported work
behind it, latest first: "P80 2027-04-20 -> 2027-05-03 (+9 working days):
frontend_features reported 60 % after 12 of 15 days".
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.model import Project, Task
from domain.plan import Plan, ScheduledTask

MAX_CAUSES = 3


@dataclass(frozen=True)
class Slip:
    baseline_p80: float | None
    p80: float
    deadline: int | None
    reasons: tuple[str, ...]


def forecast_slip(
    project: Project,
    baseline: Plan | None,
    baseline_p80: float | None,
    plan: Plan,
    p80: float,
) -> Slip | None:
    """The slip of a new forecast against the baseline, or None."""
    if baseline_p80 is None and baseline is not None:
        baseline_p80 = baseline.makespan
    moved = None if baseline_p80 is None else p80 - baseline_p80
    later = moved is not None and moved > project.thresholds.slip_days
    past = project.deadline is not None and p80 > project.deadline
    if not (later or past):
        return None
    reasons = []
    if later and baseline_p80 is not None:
        said = f"P80 {_when(project, baseline_p80)} -> {_when(project, p80)} "
        said += f"(+{p80 - baseline_p80:.1f} working days)"
        causes = causes_of_delay(project, baseline, plan)
        reasons.append(said + (": " + "; ".join(causes) if causes else ""))
    if past and project.deadline is not None:
        reasons.append(
            f"P80 {_when(project, p80)} is past the deadline "
            f"{_when(project, project.deadline)}"
        )
    return Slip(baseline_p80, p80, project.deadline, tuple(reasons))


def causes_of_delay(project: Project, baseline: Plan | None, plan: Plan) -> list[str]:
    """Reported work whose finish moved later than the baseline's, most moved
    first (at most MAX_CAUSES)."""
    if baseline is None:
        return []
    planned = {t.task_id: t for t in baseline.tasks}
    moved = []
    for scheduled in plan.tasks:
        before = planned.get(scheduled.task_id)
        if before is None or scheduled.finish <= before.finish:
            continue
        said = _what_happened(project, project.task(scheduled.task_id), before)
        if said:
            moved.append((scheduled.finish - before.finish, said))
    moved.sort(key=lambda item: -item[0])
    return [said for _, said in moved[:MAX_CAUSES]]


def _what_happened(project: Project, task: Task, before: ScheduledTask) -> str:
    timing, progress = task.timing, task.progress
    planned_days = before.finish - before.start
    if timing.actual_finish is not None:
        late = timing.actual_finish - before.finish
        return f"{task.id} finished {late} working days after its baseline finish"
    if timing.actual_start is None:
        status = project.status_time
        if before.start < status:
            return f"{task.id} has not started (baseline start day {before.start})"
        return ""
    spent = max(project.status_time - timing.actual_start, 0)
    after = f"after {spent} of {planned_days} days"
    if progress.percent_complete is not None:
        return f"{task.id} reported {progress.percent_complete:g} % {after}"
    if progress.remaining_duration is not None:
        left = progress.remaining_duration
        return f"{task.id} reported {left:g} days remaining {after}"
    return f"{task.id} has no report {after}"


def _when(project: Project, finish: float) -> str:
    day = project.finish_date(finish)
    return f"day {finish:g}" if day is None else day.isoformat()
