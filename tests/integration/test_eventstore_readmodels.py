"""Read models spanning projects: current from the log, each event applied
once, a rebuild from zero equal to the kept-current model, on every backend."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError

from domain import Plan, ScheduledTask, SolveStatus
from domain.changes import Change, ChangeAction, EntityKind
from domain.loading import weekly_load
from eventstore import ProjectStore
from eventstore.logged import LogDecoder
from eventstore.logrows import log_rows
from eventstore.readmodels import Portfolio
from tests.integration.conftest import Opener
from tests.integration.stores import DOCUMENT, PLAN

STAFFED = Plan(
    SolveStatus.OPTIMAL,
    15,
    15,
    (ScheduledTask("a", 0, 10, ("pat",)), ScheduledTask("b", 10, 15, ("pat", "sam"))),
)


def build_portfolio(store: ProjectStore) -> tuple[Any, Any]:
    """Two projects: one committed and forecast past its deadline, one draft."""
    late = store.create_project({**DOCUMENT, "deadline": 16}, "alice").id
    plan = store.propose_plan(late, STAFFED, "planner")
    store.commit_plan(late, plan.id, "pmo")
    store.record_forecast(late, plan.id, 1, 100, {"duration": {"p80": 18.0}}, "n")
    draft = store.create_project({**DOCUMENT, "name": "Draft"}, "alice").id
    return late, draft


def test_portfolio_and_resource_load(open_store: Opener) -> None:
    store = open_store()
    late, draft = build_portfolio(store)

    rows = store.portfolio.catch_up().rows()
    load = store.resource_load.catch_up().load()

    assert [(r["id"], r["status"]) for r in rows] == [
        (str(late), "at_risk"),
        (str(draft), "draft"),
    ]
    assert rows[0]["committed_makespan"] == 15
    assert rows[0]["committed_finish_date"] == "2027-01-22"
    assert rows[0]["latest_p80"] == 18.0
    # 2027-01-04 is a Monday: days 0-4 week 1, 5-9 week 2, 10-14 week 3.
    assert load == {
        "pat": {"2027-W01": 5, "2027-W02": 5, "2027-W03": 5},
        "sam": {"2027-W03": 5},
    }


def test_each_event_is_applied_once_across_restarts(
    open_store: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store()
    late, _ = build_portfolio(store)
    store.portfolio.catch_up()
    applied: list[int] = []
    apply = Portfolio.apply

    def counting(self: Portfolio, event: Any) -> None:
        applied.append(event.originator_version)
        apply(self, event)

    monkeypatch.setattr(Portfolio, "apply", counting)
    store.close()

    restarted = open_store()
    restarted.portfolio.catch_up()  # resumes from the stored checkpoint
    plan = restarted.propose_plan(late, PLAN, "planner")
    restarted.commit_plan(late, plan.id, "pmo")
    rows = restarted.portfolio.catch_up().rows()
    restarted.portfolio.catch_up()

    assert applied == [5, 6]
    assert rows[0]["committed_plan_id"] == str(plan.id)
    assert rows[0]["latest_p80"] is None  # the new baseline has no forecast yet


def test_a_rebuild_from_zero_equals_the_kept_current_model(
    open_store: Opener, event_store_url: str
) -> None:
    store = open_store()
    store._app.log_section_size = 2  # page through the log (and its gaps)
    late, _ = build_portfolio(store)
    kept = store.portfolio.catch_up().rows()
    # Refused inserts: on PostgreSQL they use up notification ids (gaps).
    duplicate = store._app.recorder.select_events(late, limit=1)
    for _ in range(3):
        with pytest.raises(IntegrityError):
            store._app.recorder.insert_events(duplicate)
    third = store.create_project({**DOCUMENT, "name": "Third"}, "alice").id
    kept = store.portfolio.catch_up().rows()
    load = store.resource_load.catch_up().load()

    rebuilt = open_store()
    assert rebuilt.portfolio.rebuild().rows() == kept
    assert rebuilt.resource_load.rebuild().load() == load
    assert kept[-1]["id"] == str(third)
    ids = [n.id for n in store.notification_log.select(None, 100)]
    if event_store_url.startswith("postgresql"):
        assert ids != list(range(ids[0], ids[0] + len(ids))), "expected a gap"


def test_log_rows_are_the_notifications_the_library_reads(open_store: Opener) -> None:
    store = open_store()
    build_portfolio(store)
    application = store._app
    decoder = LogDecoder(Portfolio.reads, application.mapper)
    notifications = application.recorder.select_notifications(
        None, 100, topics=decoder.topics
    )

    rows = list(log_rows(application.recorder, decoder.topics, 0, page_size=3))
    logged = [decoder.decode(row) for row in rows]

    assert [row[0] for row in rows] == [n.id for n in notifications]
    assert [row[3:] for row in rows] == [(n.topic, n.state) for n in notifications]
    assert [(e.project_id, e.originator_version) for e in logged] == [
        (str(n.originator_id), n.originator_version) for n in notifications
    ]
    assert len(rows) == 5  # two created, proposed, committed, forecast


PART_TIMER: dict[str, Any] = {
    "name": "Part-time",
    "start": "2027-01-04",
    "resources": [
        {
            "id": "pat",
            "skills": {"be": 1},
            "calendar": {"workdays": ["Mon", "Tue", "Wed"]},
        }
    ],
    "tasks": [{"id": "a", "duration": 5, "skills": {"be": 1}}],
}


def test_resource_load_counts_only_the_days_people_work(open_store: Opener) -> None:
    store = open_store()
    project_id = store.create_project(PART_TIMER, "alice").id
    # Mon-Wed, then Mon-Tue of the next week: five days over seven.
    paused = Plan(SolveStatus.OPTIMAL, 7, 7, (ScheduledTask("a", 0, 7, ("pat",)),))
    plan = store.propose_plan(project_id, paused, "planner")
    store.commit_plan(project_id, plan.id, "pmo")
    expected = {"pat": {"2027-W01": 3, "2027-W02": 2}}
    assert store.resource_load.catch_up().load() == expected
    project = store.get_project(project_id).project
    rows = weekly_load(project, paused)
    assert {(r.resource, r.week): r.days for r in rows} == {
        ("pat", "2027-W01"): 3,
        ("pat", "2027-W02"): 2,
    }
    # A later absence leaves the committed plan's recorded load as it was.
    store.record_absence(project_id, "pat", {"start": "2027-01-11"}, "alice")
    assert store.resource_load.catch_up().load() == expected
    assert open_store().resource_load.rebuild().load() == expected


ON_ITS_CALENDAR: dict[str, Any] = {
    "name": "Mon-Wed-Fri",
    "start": "2027-01-04",
    "resources": [{"id": "pat", "skills": {"be": 1}}],
    "tasks": [
        {
            "id": "a",
            "duration": 5,
            "skills": {"be": 1},
            "calendar": {"workdays": ["Mon", "Wed", "Fri"]},
        }
    ],
}


def test_a_task_calendar_books_its_people_only_on_its_days(
    open_store: Opener,
) -> None:
    store = open_store()
    project_id = store.create_project(ON_ITS_CALENDAR, "alice").id
    # Mon 4, Wed 6, Fri 8, Mon 11, Wed 13: days 0 .. 7 of the Mon-Fri axis.
    paused = Plan(SolveStatus.OPTIMAL, 8, 8, (ScheduledTask("a", 0, 8, ("pat",)),))
    plan = store.propose_plan(project_id, paused, "planner")
    store.commit_plan(project_id, plan.id, "pmo")

    expected = {"pat": {"2027-W01": 3, "2027-W02": 2}}
    model = store.resource_load.catch_up()
    assert model.load() == expected
    busy = model.busy(["pat"])
    assert [(span.start.day, span.end.day) for span in busy] == [
        (4, 5),
        (6, 7),
        (8, 9),
        (11, 12),
        (13, 14),
    ]  # Tuesdays and Thursdays stay free for other projects
    project = store.get_project(project_id).project
    rows = weekly_load(project, paused)
    assert {(r.resource, r.week): r.days for r in rows} == {
        ("pat", "2027-W01"): 3,
        ("pat", "2027-W02"): 2,
    }
    assert open_store().resource_load.rebuild().load() == expected
    # Without its calendar (an edit), the task books every day of its span.
    cleared = Change(ChangeAction.UPDATE, EntityKind.TASK, "a", {"calendar": None})
    store.change_project(project_id, cleared, "alice")
    plan = store.propose_plan(project_id, paused, "planner")
    store.commit_plan(project_id, plan.id, "pmo")
    assert store.resource_load.catch_up().load() == {
        "pat": {"2027-W01": 5, "2027-W02": 3}
    }


def test_the_portfolio_dates_a_plan_on_a_widened_time_axis(
    open_store: Opener,
) -> None:
    store = open_store()
    weekends = {
        "name": "Weekends",
        "start": "2027-01-04",
        "tasks": [
            {"id": "a", "duration": 10, "calendar": {"workdays": list(WEEK)}},
        ],
    }
    project_id = store.create_project(weekends, "alice").id
    straight = Plan(SolveStatus.OPTIMAL, 10, 10, (ScheduledTask("a", 0, 10),))
    plan = store.propose_plan(project_id, straight, "planner")
    store.commit_plan(project_id, plan.id, "pmo")

    rows = store.portfolio.catch_up().rows()

    assert rows[0]["committed_finish_date"] == "2027-01-13"  # ten days, Mon-Wed


WEEK = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def test_the_portfolio_dates_an_elapsed_plan_by_the_clock(open_store: Opener) -> None:
    store = open_store()
    clock = {
        "name": "Curing",
        "start": "2027-01-04",
        "tasks": [{"id": "b", "duration": 2}],
    }
    project_id = store.create_project(clock, "alice").id
    store.apply_changes(  # a task made elapsed after the project was created
        project_id,
        [
            Change(ChangeAction.ADD, EntityKind.TASK, "a", {"id": "a", "duration": 10}),
            Change(ChangeAction.UPDATE, EntityKind.TASK, "a", {"elapsed": True}),
        ],
        "alice",
    )
    straight = Plan(
        SolveStatus.OPTIMAL,
        10,
        10,
        (ScheduledTask("a", 0, 10), ScheduledTask("b", 0, 2)),
    )
    plan = store.propose_plan(project_id, straight, "planner")
    store.commit_plan(project_id, plan.id, "pmo")

    rows = store.portfolio.catch_up().rows()

    # ten days of 24 h from Monday 4 at 08:00, weekend too: Thursday 14 08:00
    assert rows[0]["committed_finish_date"] == "2027-01-14"
