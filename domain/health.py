"""A project's health at its status date: stale work, timeliness and a rating.

`rag` is red, amber or green with `reasons` in words, from the project's
`thresholds` (domain.thresholds): red when the P80 finish is past the
deadline, SPI or CPI is below its red line, or `stale_red` tasks are stale;
amber when the P80 is within `deadline_margin_days` of the deadline, SPI or
CPI is below its amber line, any task is stale or out of sequence, there is
no committed baseline or forecast to judge by, or the latest forecast started
from an earlier status; green otherwise.

A task is stale when it has started, is unfinished, and its last report
(`reported_on`, else its actual start) is more than `stale_after` working
days before the status date.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.evm import EarnedValue
from domain.model import Project
from domain.plan import Plan
from domain.status import out_of_sequence


@dataclass(frozen=True)
class StaleTask:
    task_id: str
    last_report: int  # working-day time of the last report
    days_silent: int


@dataclass(frozen=True)
class Health:
    rag: str
    reasons: tuple[str, ...]
    stale: tuple[StaleTask, ...]
    on_time_rate: float | None


def stale_tasks(project: Project) -> list[StaleTask]:
    status = project.status_time
    found = []
    for task in project.tasks:
        timing = task.timing
        if timing.actual_start is None or timing.actual_finish is not None:
            continue
        reported = task.progress.reported_on
        last = timing.actual_start if reported is None else project.time_of(reported)
        if status - last > project.stale_after:
            found.append(StaleTask(task.id, last, status - last))
    return found


def on_time_rate(project: Project, baseline: Plan | None) -> float | None:
    """Share of finished tasks done by their baseline finish (None: none yet)."""
    if baseline is None:
        return None
    planned = {t.task_id: t.finish for t in baseline.tasks}
    finished = [
        task.timing.actual_finish <= planned[task.id]
        for task in project.tasks
        if task.timing.actual_finish is not None and task.id in planned
    ]
    return sum(finished) / len(finished) if finished else None


def assess(
    project: Project,
    baseline: Plan | None,
    evm: EarnedValue | None,
    p80: float | None,
    forecast_outdated: bool = False,
) -> Health:
    """The rating and its reasons (module docstring). `forecast_outdated`:
    the latest forecast started from an earlier status than the project's."""
    limits = project.thresholds
    red: list[str] = []
    amber: list[str] = []
    if baseline is None:
        amber.append("no committed baseline: commit a plan to measure against")
    if p80 is None:
        amber.append("no forecast yet: run a forecast or the nightly replan")
    elif forecast_outdated:
        amber.append(
            "the latest forecast starts from an earlier status than day "
            f"{project.status_time}: replan to forecast from the latest actuals"
        )
    elif project.deadline is not None:
        margin = project.deadline - p80
        if margin < 0:
            red.append(
                f"P80 finish day {p80:.1f} is {-margin:.1f} working days past the "
                f"deadline (day {project.deadline})"
            )
        elif margin <= limits.deadline_margin_days:
            amber.append(
                f"P80 finish day {p80:.1f} is only {margin:.1f} working days before "
                f"the deadline (day {project.deadline})"
            )
    if evm is not None:
        _index(red, amber, "SPI", evm.spi, limits.spi_red, limits.spi_amber)
        _index(red, amber, "CPI", evm.cpi, limits.cpi_red, limits.cpi_amber)
    stale = stale_tasks(project)
    if stale:
        names = ", ".join(f"{s.task_id} ({s.days_silent} d)" for s in stale)
        said = f"{len(stale)} stale task(s) with no report for over "
        said += f"{project.stale_after} working days: {names}"
        (red if len(stale) >= limits.stale_red else amber).append(said)
    late = out_of_sequence(project)
    if late:
        names = ", ".join(f"{d.successor} before {d.predecessor}" for d in late)
        amber.append(f"work started out of sequence: {names}")
    rag = "red" if red else "amber" if amber else "green"
    reasons = red + amber or [_on_track(evm, p80, project.deadline)]
    return Health(rag, tuple(reasons), tuple(stale), on_time_rate(project, baseline))


def _index(
    red: list[str],
    amber: list[str],
    name: str,
    value: float | None,
    red_line: float,
    amber_line: float,
) -> None:
    if value is None:
        return
    if value < red_line:
        red.append(f"{name} {value:.2f} is below {red_line:g}")
    elif value < amber_line:
        amber.append(f"{name} {value:.2f} is below {amber_line:g}")


def _on_track(evm: EarnedValue | None, p80: float | None, deadline: int | None) -> str:
    parts = []
    if evm is not None:
        spi = "n/a" if evm.spi is None else f"{evm.spi:.2f}"
        cpi = "n/a" if evm.cpi is None else f"{evm.cpi:.2f}"
        parts.append(f"SPI {spi}, CPI {cpi}")
    if p80 is not None:
        against = "" if deadline is None else f" (deadline day {deadline})"
        parts.append(f"P80 finish day {p80:.1f}{against}")
    return "on track: " + "; ".join(parts)
