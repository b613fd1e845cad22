"""A task that pauses is drawn in parts on the Gantt: its bar clipped to the
days it works, a dotted line across each gap (`service.web.gantt`)."""

from __future__ import annotations

import re
from datetime import date

from domain import Absence, Plan, Project, Resource, ScheduledTask, SolveStatus, Task
from domain.pauses import Pause
from service.web.gantt import gantt_svg, idle_stretches

MONDAY = date(2027, 1, 4)


def plan_of(*tasks: ScheduledTask) -> Plan:
    finish = max(task.finish for task in tasks)
    return Plan(SolveStatus.OPTIMAL, finish, finish, tasks=tasks)


def test_a_split_task_is_idle_over_its_pause_and_nothing_else_is() -> None:
    split = Task("a", duration=5, pauses=(Pause(2, 3),))
    project = Project("split", (split, Task("b", duration=2)), start=MONDAY)
    plan = plan_of(ScheduledTask("a", 0, 8), ScheduledTask("b", 0, 2))
    assert idle_stretches(project, plan) == {"a": ((2, 5),)}


def test_a_task_is_idle_over_its_persons_days_off() -> None:
    away = Absence(date(2027, 1, 6), date(2027, 1, 6))  # Wednesday
    ann = Resource("ann", absences=(away,))
    project = Project("away", (Task("a", duration=3),), start=MONDAY, resources=(ann,))
    plan = plan_of(ScheduledTask("a", 0, 4, assignees=("ann",)))
    assert idle_stretches(project, plan) == {"a": ((2, 3),)}


def test_the_bar_is_clipped_to_its_parts_with_a_dotted_gap() -> None:
    split = Task("a", duration=5, pauses=(Pause(2, 3),))
    project = Project("split", (split,), start=MONDAY)
    svg = gantt_svg(project, plan_of(ScheduledTask("a", 0, 8)))
    bar = re.search(r'<rect [^>]*data-task-id="a"[^>]*>', svg)
    assert bar is not None
    clip = re.search(r'clip-path="url\(#([^)]+)\)"', bar.group(0))
    assert clip is not None
    parts = re.search(rf'<clipPath id="{clip.group(1)}">(.*?)</clipPath>', svg, re.S)
    assert parts is not None
    spans = [
        (float(x), float(x) + float(w))
        for x, w in re.findall(r'x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', parts[1])
    ]
    gap = re.search(
        r'd="M([\d.]+),[\d.]+ L([\d.]+),[\d.]+"[^>]*class="pause"[^>]*>', svg
    )
    assert gap is not None
    start, end = float(gap[1]), float(gap[2])
    # two parts (Mon-Tue, then Mon-Wed), the gap Wed-Fri between them
    assert len(spans) == 2
    assert spans[0][1] == start < end < spans[1][0]
    assert 'data-days="3"' in gap.group(0)


def test_a_bar_without_gaps_is_not_clipped() -> None:
    project = Project("plain", (Task("a", duration=5),), start=MONDAY)
    svg = gantt_svg(project, plan_of(ScheduledTask("a", 0, 5)))
    assert "clipPath" not in svg
    assert 'class="pause"' not in svg
