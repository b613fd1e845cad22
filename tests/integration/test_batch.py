"""The nightly replan: minimal change against the baseline, and the same
outcomes whether projects run here, in a process pool or on a Dask cluster."""

from __future__ import annotations

from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pytest

from domain.changes import Change, ChangeAction, EntityKind
from service.batch import ReplanOutcome, replan_all
from service.compute import ForecastRequest, PlanRequest
from service.settings import Settings
from service.usecases import Planforge

CHAIN: dict[str, Any] = {
    "name": "chain",
    "deadline": 14,
    "thresholds": {"slip_days": 1},
    "resources": [{"id": "crane", "capacity": 1}],
    "tasks": [
        {"id": "a", "duration": 4, "demands": {"crane": 1}},
        {"id": "b", "duration": 3, "demands": {"crane": 1}},
        {"id": "c", "duration": 5},
        {"id": "d", "duration": 2},
    ],
    "dependencies": [{"from": "a", "to": "c"}, {"from": "c", "to": "d"}],
}
PLAN = PlanRequest(time_limit=5, workers=1, stability_weight=1)
FORECAST = ForecastRequest(samples=500, seed=1)


def committed_store(tmp_path: Path, name: str) -> Planforge:
    """Two projects, each with a committed plan; then `b` takes longer."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / name}")
    app = Planforge(settings)
    for project_name in ("alpha", "beta"):
        state = app.create_project({**CHAIN, "name": project_name}, "pmo")
        record = app.propose_plan(state.id, PlanRequest(time_limit=5, workers=1), "pmo")
        app.commit_plan(state.id, record.id, "pmo", expected_version=None)
        change = Change(ChangeAction.UPDATE, EntityKind.TASK, "b", {"duration": 9})
        app.change_project(state.id, change, "pmo", expected_version=None)
    return app


def summary(outcomes: list[ReplanOutcome]) -> list[tuple[Any, ...]]:
    return [
        (o.name, o.status, o.baseline_makespan, o.makespan, o.slipped, o.moved_tasks)
        for o in outcomes
    ]


def test_replan_flags_the_slip_and_moves_only_what_must_move(tmp_path: Path) -> None:
    app = committed_store(tmp_path, "here.db")
    outcomes = replan_all(app, PLAN, FORECAST)
    assert [o.name for o in outcomes] == ["alpha", "beta"]
    for outcome in outcomes:
        # a and b share the crane: 4 + 9 = 13 days; c and d wait for a only.
        assert outcome.makespan == 13
        assert outcome.baseline_makespan == 11
        assert outcome.slipped
        assert outcome.p80 is not None
    events = app.store.events(outcomes[0].project_id)
    assert [e.type for e in events][-3:] == [
        "PlanProposed",
        "ForecastRecorded",
        "ForecastSlipped",
    ]


@pytest.mark.parametrize("runner", ["process pool", "dask"])
def test_parallel_replan_gives_the_same_outcomes(tmp_path: Path, runner: str) -> None:
    expected = summary(replan_all(committed_store(tmp_path, "seq.db"), PLAN, FORECAST))
    app = committed_store(tmp_path, "par.db")
    if runner == "dask":
        distributed = pytest.importorskip("distributed")
        with distributed.Client(processes=False, n_workers=2) as client:
            outcomes = replan_all(app, PLAN, FORECAST, executor=client.get_executor())
    else:
        pool: Executor
        with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
            outcomes = replan_all(app, PLAN, FORECAST, executor=pool)
    assert summary(outcomes) == expected
