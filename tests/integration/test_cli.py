"""The command line, run in process, against its DESIGN.md output contracts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from service.cli import main
from service.commands import EXIT_SLIPPED
from service.demo import sample_document

DATA = Path(__file__).resolve().parents[1] / "data"


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_solve_psplib_keeps_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "solve", str(DATA / "j301_1.sm"), "--time-limit", "20")
    assert result["status"] == "optimal"
    assert result["makespan"] == 43  # best known (and optimal) for j301_1
    assert result["lower_bound"] == 43
    assert set(result["starts"]) == {str(job) for job in range(1, 33)}
    assert result["assignments"] == {}


def test_forecast_document_keeps_the_contract(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "launch.json"
    path.write_text(json.dumps(sample_document()))
    result = run_json(
        capsys,
        "forecast",
        str(path),
        "--samples",
        "2000",
        "--time-limit",
        "5",
        "--seed",
        "3",
    )
    duration = result["duration"]
    assert duration["mean"] > 0
    assert duration["p50"] <= duration["p80"] <= duration["p95"]
    assert 0 <= result["deadline_probability"] <= 1
    assert {t["id"] for t in result["tasks"]} == {
        t["id"] for t in sample_document()["tasks"]
    }
    assert result["plan"]["assignments"]["api_core"]  # people chosen by skill


def test_solve_reports_bad_input_with_exit_code_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"name": "x", "tasks": [{"id": "a", "duration": -1}]}))
    assert main(["solve", str(path)]) == 2
    assert "tasks[a].duration: must be >= 0" in capsys.readouterr().err


def test_demo_and_replan_use_the_configured_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANFORGE_DATA_DIR", str(tmp_path))
    assert main(["demo", "--time-limit", "5", "--samples", "2000"]) == 0
    out = capsys.readouterr().out
    assert "P80" in out
    assert "Most critical tasks" in out
    assert (tmp_path / "planforge.db").is_file()

    code = main(["replan", "--time-limit", "5", "--samples", "1000", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert len(report) == 1
    # The demo's P80 is past its deadline: the nightly job says so and exits 3.
    assert code == EXIT_SLIPPED
    assert "is past the deadline" in report[0]["slip_reasons"][0]
    assert report[0]["name"] == "Product launch 2027"
    assert report[0]["baseline_makespan"] is not None


def test_migrate_prepares_the_store_for_workers(
    event_store_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from eventstore import ProjectStore

    monkeypatch.setenv("PLANFORGE_DATABASE_URL", event_store_url)
    assert main(["migrate"]) == 0
    assert "tables ready" in capsys.readouterr().out
    with ProjectStore(event_store_url, create_tables=False) as worker:
        created = worker.create_project(sample_document(), "alice")
        assert worker.get_project(created.id).version == 1
