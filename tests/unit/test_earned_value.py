"""Earned value and health: a worked example by hand (PMI definitions).

Baseline (ann 100/day, bob 200/day):
  a  days 0-10, ann,  fixed 1000   BAC = 1000 + 10 x 100 = 2000
  b  days 10-20, bob               BAC = 10 x 200       = 2000
  c  days 20-25, fixed 500         BAC = 500
  BAC = 4500
Status time 15. a ran 0-12 for an actual cost of 2600; b started on day 12
and is 25 % done (no cost reported: 3 days x 200 = 600); c has not started.
  PV = 2000 + 2000 x 5/10 + 0 = 3000      EV = 2000 + 0.25 x 2000 = 2500
  AC = 2600 + 600 = 3200                  SV = -500, CV = -700
  SPI = 2500 / 3000 = 0.8333              CPI = 2500 / 3200 = 0.78125
  EAC = BAC / CPI = 5760
  ES: PV(t) = 2500 at t = 10 + 500 / 2000 x 10 = 12.5; SV(days) = -2.5
  on-time rate: a finished on day 12, baseline 10: 0 of 1.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain import Plan, Project, Resource, ScheduledTask, SolveStatus, Task
from domain.evm import earned_value
from domain.health import assess
from domain.progress import TaskProgress
from domain.thresholds import Thresholds
from domain.timing import TaskTiming

BASELINE = Plan(
    SolveStatus.OPTIMAL,
    25,
    25,
    (
        ScheduledTask("a", 0, 10),
        ScheduledTask("b", 10, 20),
        ScheduledTask("c", 20, 25),
    ),
)
PLANNED = Project(
    "evm",
    (
        Task("a", 10, demands={"ann": 1}, fixed_cost=1000),
        Task("b", 10, demands={"bob": 1}),
        Task("c", 5, fixed_cost=500),
    ),
    resources=(Resource("ann", cost_rate=100), Resource("bob", cost_rate=200)),
)


def in_progress() -> Project:
    a, b, c = PLANNED.tasks
    return replace(
        PLANNED,
        tasks=(
            replace(
                a,
                timing=TaskTiming(actual_start=0, actual_finish=12),
                progress=TaskProgress(actual_cost=2600),
            ),
            replace(
                b,
                timing=TaskTiming(actual_start=12),
                progress=TaskProgress(percent_complete=25, reported_on=15),
            ),
            c,
        ),
        status_date=15,
    )


def test_the_worked_example() -> None:
    evm = earned_value(in_progress(), BASELINE, PLANNED)
    assert (evm.bac, evm.pv, evm.ev, evm.ac) == (4500, 3000, 2500, 3200)
    assert (evm.sv, evm.cv) == (-500, -700)
    assert evm.spi == pytest.approx(2500 / 3000)
    assert evm.cpi == pytest.approx(0.78125)
    assert evm.eac == pytest.approx(5760)
    assert evm.earned_schedule == pytest.approx(12.5)
    assert evm.schedule_variance_days == pytest.approx(-2.5)


def test_a_remaining_duration_earns_the_share_worked() -> None:
    project = in_progress()
    b = replace(
        project.tasks[1], progress=TaskProgress(remaining_duration=9, reported_on=15)
    )
    project = replace(project, tasks=(project.tasks[0], b, project.tasks[2]))
    # b worked 3 days with 9 left: 3 / 12 = 25 %, the same EV.
    assert earned_value(project, BASELINE, PLANNED).ev == 2500


def test_the_rating_names_its_reasons() -> None:
    project = in_progress()
    evm = earned_value(project, BASELINE, PLANNED)
    health = assess(replace(project, deadline=30), BASELINE, evm, p80=27.5)
    assert health.rag == "red"
    assert health.reasons[:2] == (
        "SPI 0.83 is below 0.85",
        "CPI 0.78 is below 0.85",
    )
    assert (
        "P80 finish day 27.5 is only 2.5 working days before the deadline (day 30)"
        in (health.reasons)
    )
    assert health.on_time_rate == 0.0
    lenient = replace(project, deadline=40, thresholds=Thresholds(spi_amber=0.8,
        spi_red=0.5, cpi_amber=0.7, cpi_red=0.5))  # fmt: skip
    health = assess(lenient, BASELINE, evm, p80=27.5)
    assert (health.rag, health.reasons) == (
        "green",
        ("on track: SPI 0.83, CPI 0.78; P80 finish day 27.5 (deadline day 40)",),
    )


def test_silent_started_work_goes_stale() -> None:
    project = replace(in_progress(), status_date=22, stale_after=5)
    health = assess(project, BASELINE, None, p80=30)
    (stale,) = health.stale
    assert (stale.task_id, stale.last_report, stale.days_silent) == ("b", 15, 7)
    assert health.rag == "amber"
    assert any("1 stale task(s)" in reason for reason in health.reasons)


def test_without_a_baseline_or_forecast_the_rating_says_so() -> None:
    health = assess(PLANNED, None, None, None)
    assert health.rag == "amber"
    assert health.reasons == (
        "no committed baseline: commit a plan to measure against",
        "no forecast yet: run a forecast or the nightly replan",
    )
