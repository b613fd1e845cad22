"""Projects whose times count periods of a working day (real CP-SAT solves)."""

from __future__ import annotations

from datetime import date

from domain.document import project_from_document
from scheduler import SolveOptions, solve, validate_plan

OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)


def test_a_part_timer_is_waited_for_over_whole_days_of_periods() -> None:
    # Eight periods a day; the only person works Fridays: a (one day) waits
    # four days from Monday, b the next Friday. The horizon must allow for
    # waits of days, not of periods.
    project = project_from_document(
        {
            "name": "x",
            "start": "2027-01-04",
            "calendar": {"periods_per_day": 8},
            "resources": [
                {"id": "fri", "capacity": 1, "calendar": {"workdays": ["Fri"]}}
            ],
            "tasks": [
                {"id": "a", "duration": 8, "demands": {"fri": 1}},
                {"id": "b", "duration": 4, "demands": {"fri": 1}},
            ],
            "dependencies": [{"from": "a", "to": "b"}],
        }
    )
    plan = solve(project, OPTIONS)
    assert validate_plan(project, plan) == []
    spans = {t.task_id: (t.start, t.finish) for t in plan.tasks}
    assert spans == {"a": (32, 40), "b": (72, 76)}
    assert plan.makespan is not None
    assert project.finish_date(plan.makespan) == date(2027, 1, 15)


def test_tasks_share_a_day_in_periods() -> None:
    # Two half-day tasks in a row finish on the first day; in whole days
    # (rounded up) they would take two.
    project = project_from_document(
        {
            "name": "x",
            "start": "2027-01-04",
            "calendar": {"periods_per_day": 2},
            "tasks": [{"id": "a", "duration": 1}, {"id": "b", "duration": 1}],
            "dependencies": [{"from": "a", "to": "b"}],
        }
    )
    plan = solve(project, OPTIONS)
    assert plan.makespan == 2
    assert project.finish_date(plan.makespan) == date(2027, 1, 4)
