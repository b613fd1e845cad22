"""People's fields in the v1 document: calendars, absences, cost, load, splitting."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain import Absence, Calendar, Resource, ValidationError
from domain.document import project_from_document
from domain.document_writer import project_to_document

MONDAY = date(2027, 1, 4)


def document(**resource: Any) -> dict[str, Any]:
    return {
        "name": "people",
        "start": "2027-01-04",
        "resources": [{"id": "alice", "skills": {"be": 2}, **resource}],
        "tasks": [{"id": "a", "duration": 3, "skills": {"be": 1}, "splittable": False}],
    }


def test_new_fields_round_trip() -> None:
    doc = document(
        calendar={"workdays": ["Mon", "Tue", "Wed"], "holidays": ["2027-01-06"]},
        absences=[{"start": "2027-02-01", "end": "2027-02-05", "reason": "vacation"}],
        cost_rate=80.5,
        max_load=0.5,
    )
    doc["priority"] = 3
    project = project_from_document(doc)
    alice = project.resource("alice")
    assert alice.absences == (Absence(date(2027, 2, 1), date(2027, 2, 5), "vacation"),)
    assert alice.calendar == Calendar(
        ("Mon", "Tue", "Wed"), frozenset({date(2027, 1, 6)})
    )
    assert (alice.cost_rate, alice.max_load, project.priority) == (80.5, 0.5, 3)
    assert project.task("a").splittable is False
    assert project_from_document(project_to_document(project)) == project


def test_old_documents_gain_nothing_on_round_trip() -> None:
    doc = document()
    doc["tasks"][0].pop("splittable")
    written = project_to_document(project_from_document(doc))
    assert set(written["resources"][0]) == {"id", "capacity", "skills"}
    assert set(written["tasks"][0]) == {"id", "duration", "skills", "people"}
    assert "priority" not in written


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        (
            {"absences": [{"start": "2027-02-05", "end": "2027-02-01"}]},
            "absences[0].end",
        ),
        ({"absences": [{"end": "2027-02-01"}]}, "absences[0].start"),
        ({"absences": "soon"}, "absences"),
        ({"max_load": 1.5}, "max_load"),
        ({"max_load": 0}, "max_load"),
        ({"cost_rate": -1}, "cost_rate"),
        ({"calendar": {"workdays": ["Funday"]}}, "calendar.workdays"),
    ],
)
def test_bad_people_fields_are_named(fields: dict[str, Any], where: str) -> None:
    with pytest.raises(ValidationError) as error:
        project_from_document(document(**fields))
    assert where in str(error.value)


def test_absences_and_unsplittable_tasks_need_a_start_date() -> None:
    doc = document(absences=[{"start": "2027-02-01"}])
    del doc["start"]
    with pytest.raises(ValidationError) as error:
        project_from_document(doc)
    assert "resource alice has a calendar or absences" in str(error.value)
    assert "task a is not splittable" in str(error.value)


def test_a_person_works_only_on_days_both_calendars_allow() -> None:
    organisation = Calendar(holidays=frozenset({date(2027, 1, 5)}))
    alice = Resource(
        "alice",
        calendar=Calendar(("Mon", "Tue", "Wed")),
        absences=(Absence(date(2027, 1, 11), date(2027, 1, 11)),),
    )
    works = [alice.works_on(date(2027, 1, d), organisation) for d in range(4, 14)]
    #         Mon4  Tue5(hol) Wed6 Thu7  Fri8  Sat9  Sun10 Mon11(away) Tue12 Wed13
    assert works == [True, False, True, False, False, False, False, False, True, True]


def test_working_dates_skip_weekends_and_holidays() -> None:
    calendar = Calendar(holidays=frozenset({date(2027, 1, 6)}))
    dates = calendar.working_dates(MONDAY, 5)
    assert [d.day for d in dates] == [4, 5, 7, 8, 11]
    assert dates == [calendar.date_of(MONDAY, k) for k in range(5)]
