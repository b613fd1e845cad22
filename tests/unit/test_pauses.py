"""Stated pauses of split tasks (domain.pauses): the days worked, the
document, the rules, and the loads (no resource held on a paused day)."""

from __future__ import annotations

from datetime import date

import pytest

from domain import Plan, Project, Resource, ScheduledTask, SolveStatus, Task
from domain.document import project_from_document
from domain.document_writer import project_to_document
from domain.errors import ValidationError
from domain.loading import weekly_load
from domain.pauses import Pause, paused_days, pauses_ahead
from domain.worktime import worked_days

MONDAY = date(2027, 1, 4)
SPLIT = Task("a", duration=5, pauses=(Pause(2, 3),), demands={"crane": 1})


def project(*tasks: Task) -> Project:
    return Project("split", tasks, start=MONDAY, resources=(Resource("crane"),))


def test_work_skips_the_days_of_its_pauses() -> None:
    dates = project(SPLIT).time_calendar.working_dates(MONDAY, 20)
    # Mon, Tue; (Wed, Thu, Fri paused); Mon, Tue, Wed
    assert worked_days(project(SPLIT), 5, 0, (), dates, None, SPLIT.pauses) == [
        0,
        1,
        5,
        6,
        7,
    ]
    two = (Pause(1, 1), Pause(3, 2))
    assert worked_days(project(SPLIT), 5, 0, (), dates, None, two) == [0, 2, 3, 6, 7]


def test_pauses_past_the_end_of_the_work_never_happen() -> None:
    assert paused_days((Pause(2, 3), Pause(6, 4)), duration=5) == 3
    dates = project(SPLIT).time_calendar.working_dates(MONDAY, 20)
    assert worked_days(project(SPLIT), 2, 0, (), dates, None, SPLIT.pauses) == [0, 1]


def test_the_document_keeps_pauses_and_old_documents_load() -> None:
    document = project_to_document(project(SPLIT))
    assert document["tasks"][0]["pauses"] == [{"after": 2, "days": 3}]
    assert project_to_document(project_from_document(document)) == document
    del document["tasks"][0]["pauses"]
    assert project_from_document(document).task("a").pauses == ()


@pytest.mark.parametrize(
    ("pauses", "words"),
    [
        ([{"after": 5, "days": 1}], "pauses[0].after: must be before the end of the"),
        ([{"after": 2, "days": 0}], "tasks[a].pauses[0].days: must be >= 1, got 0"),
        (
            [{"after": 3, "days": 1}, {"after": 2, "days": 1}],
            "tasks[a].pauses[1].after: must be after the previous pause (day 3)",
        ),
        ([{"after": 2, "days": 1, "when": 3}], "tasks[a].pauses[0].when: unknown"),
        ("soon", "tasks[a].pauses: expected a list"),
    ],
)
def test_bad_pauses_name_the_field(pauses: object, words: str) -> None:
    document = {
        "name": "x",
        "start": "2027-01-04",
        "tasks": [{"id": "a", "duration": 5, "pauses": pauses}],
    }
    with pytest.raises(ValidationError) as raised:
        project_from_document(document)
    assert words in str(raised.value)


def test_only_a_splittable_task_with_dates_pauses() -> None:
    stiff = {"id": "a", "duration": 5, "splittable": False}
    document = {"name": "x", "start": "2027-01-04", "tasks": [stiff]}
    stiff["pauses"] = [{"after": 2, "days": 1}]
    with pytest.raises(ValidationError, match="not splittable cannot pause"):
        project_from_document(document)
    undated = {"name": "x", "tasks": [{"id": "a", "duration": 5, "pauses": []}]}
    undated["tasks"][0]["pauses"] = [{"after": 2, "days": 1}]
    with pytest.raises(ValidationError, match="required: task a pauses"):
        project_from_document(undated)


def test_a_resource_is_not_loaded_while_its_task_pauses() -> None:
    plan = Plan(
        status=SolveStatus.OPTIMAL,
        makespan=8,
        lower_bound=8,
        tasks=(ScheduledTask("a", 0, 8),),
    )
    load = {row.week: row.days for row in weekly_load(project(SPLIT), plan)}
    assert load == {"2027-W01": 2, "2027-W02": 3}


def test_a_started_task_keeps_the_pauses_ahead_of_the_days_behind_it() -> None:
    pauses = (Pause(2, 1), Pause(4, 3), Pause(9, 2))
    # day 5 lies in the second pause (days 4-6 of the span): 2 of its days left
    assert pauses_ahead(pauses, 5) == (Pause(5, 2), Pause(9, 2))
    assert pauses_ahead(pauses, 2) == pauses
    assert pauses_ahead(pauses, 11) == ()
