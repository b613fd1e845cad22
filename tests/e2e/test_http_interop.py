"""MS Project XML and CSV in over HTTP; MSPDI, CSV and iCalendar out."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from icalendar import Calendar as ICalendar
from lxml import etree

DATA = Path(__file__).parents[1] / "data" / "mspdi"
SCHEMA = etree.XMLSchema(etree.parse(DATA / "mspdi_pj12.xsd"))
CSV = """ID,Name,Duration,Predecessors,Outline Level,Resource Names,Colour,Start
1,Build,,,1,,red,2027-01-04
2,Frame,3d,,2,Ann[50%],,2027-01-04
3,Roof,16h,2SS+1d,2,Ann[50%],,
4,Handover,0d,1,1,,,
"""


def post(client: httpx.Client, body: bytes, media: str) -> httpx.Response:
    return client.post(
        "/projects?name=upload", content=body, headers={"Content-Type": media}
    )


def committed(client: httpx.Client, project_id: str) -> None:
    plan = client.post(f"/projects/{project_id}/plans", json={"time_limit": 5})
    assert plan.status_code == 201, plan.text
    done = client.post(f"/projects/{project_id}/plans/{plan.json()['id']}/commit")
    assert done.status_code == 200, done.text


def test_an_ms_project_file_becomes_a_project_with_its_report(
    client: httpx.Client,
) -> None:
    response = post(client, (DATA / "sample1.xml").read_bytes(), "application/xml")
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    assert body["name"] == "upload"
    assert body["import"]["mapped"]["tasks"] == 22
    assert body["import"]["unmapped"] == {
        "constraints before the project start (day 0)": 1,
    }
    assert body["import"]["mapped"]["task priorities (as weights of lateness)"] == 18
    exported = client.get(
        f"/projects/{body['id']}", headers={"Accept": "application/xml"}
    )
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/xml")
    assert SCHEMA.validate(etree.fromstring(exported.content)), SCHEMA.error_log


def test_a_csv_task_list_round_trips_with_the_plan_dates(client: httpx.Client) -> None:
    response = post(client, CSV.encode(), "text/csv")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["import"]["unmapped"] == {"values in column 'Colour' (not read)": 1}
    tasks = {t["id"]: t for t in body["tasks"]}
    assert tasks["3"]["demands"] == {"ann": 0.5}
    assert tasks["2"]["parent"] == "1"
    committed(client, body["id"])
    exported = client.get(f"/projects/{body['id']}", headers={"Accept": "text/csv"})
    assert exported.status_code == 200
    lines = exported.text.splitlines()
    assert lines[0].endswith(",Start,Finish")
    assert lines[3].startswith("3,Roof,2d,2SS+1d,2,Ann[50%],")


def test_milestones_and_deadlines_as_icalendar(client: httpx.Client) -> None:
    body = post(client, CSV.encode(), "text/csv").json()
    committed(client, body["id"])
    exported = client.get(
        f"/projects/{body['id']}", headers={"Accept": "text/calendar"}
    )
    assert exported.status_code == 200
    events = ICalendar.from_ical(exported.content).walk("VEVENT")
    assert [(str(e["summary"]), e.decoded("dtstart")) for e in events] == [
        ("Milestone: Handover", date(2027, 1, 7))
    ]


def test_bad_files_are_422_naming_the_line_and_other_media_415(
    client: httpx.Client,
) -> None:
    broken = post(client, b"<Project xmlns='x'>\n<Name>", "application/xml")
    assert broken.status_code == 422
    assert "line 2" in broken.json()["detail"]
    bad_csv = post(client, b"ID,Name,Duration\n1,a,soon\n", "text/csv")
    assert bad_csv.status_code == 422
    assert "line 2, Duration: cannot read 'soon'" in bad_csv.json()["detail"]
    other = post(client, b"hello", "text/plain")
    assert other.status_code == 415


def test_a_browser_accept_header_still_gets_json(client: httpx.Client) -> None:
    body = post(client, CSV.encode(), "text/csv").json()
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(f"/projects/{body['id']}", headers={"Accept": browser})
    assert response.headers["content-type"].startswith("application/json")
    preferred = "application/json;q=0.5, text/csv"
    response = client.get(f"/projects/{body['id']}", headers={"Accept": preferred})
    assert response.headers["content-type"].startswith("text/csv")


def test_other_schedule_files_go_through_mpxj(client: httpx.Client) -> None:
    pytest.importorskip("mpxj")
    data = (DATA / "sample1.xml").read_bytes()
    response = post(client, data, "application/octet-stream")
    assert response.status_code == 201, response.text
    report = response.json()["import"]
    assert report["format"] == "mpxj:MSPDI"
    assert report["mapped"]["tasks"] == 22
    garbage = post(client, b"\x00\x01 not a schedule", "application/vnd.ms-project")
    assert garbage.status_code == 422


def test_ms_project_split_tasks_keep_their_pauses_over_http(
    client: httpx.Client,
) -> None:
    """The split tasks' gaps come in as `pauses`, plan to MS Project's finish,
    go out in the MSPDI export, and a bad pause is refused naming it."""
    body = post(client, (DATA / "mspdisplittask.xml").read_bytes(), "application/xml")
    assert body.status_code == 201, body.text
    project_id = body.json()["id"]
    document = client.get(f"/projects/{project_id}").json()
    assert {t["id"]: t.get("pauses") for t in document["tasks"]} == {
        "1": [{"after": 4, "days": 3}],
        "2": [{"after": 3, "days": 2}, {"after": 8, "days": 3}],
    }
    plan = client.post(f"/projects/{project_id}/plans", json={"time_limit": 5})
    assert plan.status_code == 201, plan.text
    assert max(t["finish_date"] for t in plan.json()["tasks"]) == "2006-10-18"
    committed(client, project_id)
    exported = client.get(
        f"/projects/{project_id}", headers={"Accept": "application/xml"}
    )
    assert exported.content.count(b"<Value>PT0H0M0S</Value>") == 8  # 3 + 2 + 3 days
    bad = client.patch(
        f"/projects/{project_id}/tasks/1", json={"pauses": [{"after": 10, "days": 1}]}
    )
    assert bad.status_code == 422
    assert "tasks[1].pauses[0].after" in bad.text


def test_hours_within_the_day_go_in_and_out_as_ms_project_has_them(
    client: httpx.Client,
) -> None:
    # 7.5 h from 09:00 on a day working 08:00-12:00, 13:00-17:00
    response = post(client, (DATA / "baselines.xml").read_bytes(), "application/xml")
    assert response.status_code == 201, response.text
    project_id = response.json()["id"]
    document = client.get(f"/projects/{project_id}").json()
    assert document["calendar"]["periods_per_day"] == 16
    assert document["calendar"]["start_period"] == 2
    plan = client.post(f"/projects/{project_id}/plans", json={"time_limit": 5})
    assert plan.status_code == 201, plan.text
    assert plan.json()["makespan"] == 15
    assert plan.json()["finish_date"] == "2008-01-31"
    committed(client, project_id)
    rows = client.get("/portfolio").json()
    row = next(r for r in rows if r["id"] == project_id)
    assert row["committed_finish_date"] == "2008-01-31"
    forecast = client.post(
        f"/projects/{project_id}/forecasts",
        json={"plan_id": plan.json()["id"], "samples": 200, "seed": 1},
    )
    assert forecast.status_code in (200, 201), forecast.text
    assert forecast.json()["duration"]["p50"] == 15
    exported = client.get(
        f"/projects/{project_id}", headers={"Accept": "application/xml"}
    )
    assert SCHEMA.validate(etree.fromstring(exported.content)), SCHEMA.error_log
    task = etree.fromstring(exported.content).find(
        "{http://schemas.microsoft.com/project}Tasks/"
        "{http://schemas.microsoft.com/project}Task"
    )
    assert task is not None
    times = [
        task.findtext(f"{{http://schemas.microsoft.com/project}}{tag}")
        for tag in ("Start", "Finish")
    ]
    assert times == ["2008-01-30T09:00:00", "2008-01-31T08:30:00"]
