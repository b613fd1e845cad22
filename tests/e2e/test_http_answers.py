"""Real answers read back through the models the spec declares for them give
the same JSON again: no key the model lacks, none of another type."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import httpx
from pydantic import TypeAdapter

from service.api.document_models import ProjectOut
from service.api.plan_models import (
    BaselineOut,
    CommittedPlan,
    ForecastOut,
    PlanOut,
    PortfolioOut,
    ScenarioOut,
)
from service.api.portfolio import PortfolioRow
from service.api.record_models import DiffOut


def same_again(model: Any, sent: Any) -> None:
    """`sent` validates as `model` and serialises back to itself."""
    adapter = TypeAdapter(model)
    read = adapter.validate_python(sent)
    again = adapter.dump_python(read, mode="json", by_alias=True, exclude_unset=True)
    assert again == sent, f"{model}: {_first_difference(again, sent)}"
    assert _types(again) == _types(sent), f"{model}: a value changed type"


def _types(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


def _first_difference(again: Any, sent: Any, where: str = "") -> str:
    if isinstance(sent, dict) and isinstance(again, dict):
        for key in sorted(set(sent) | set(again)):
            if sent.get(key, ...) != again.get(key, ...):
                return _first_difference(
                    again.get(key), sent.get(key), f"{where}.{key}"
                )
    if isinstance(sent, list) and isinstance(again, list) and len(sent) == len(again):
        for index, (a, s) in enumerate(zip(again, sent, strict=True)):
            if a != s:
                return _first_difference(a, s, f"{where}[{index}]")
    return f"{where}: sent {sent!r}, model gives {again!r}"


def test_plan_forecast_and_scenario_answers_are_their_models(
    client: httpx.Client,
) -> None:
    document = json.loads(files("service.data").joinpath("launch.json").read_text())
    created = client.post("/projects", json=document)
    same_again(ProjectOut, created.json())
    project = created.json()["id"]
    same_again(ProjectOut, client.get(f"/projects/{project}").json())

    plan = client.post(f"/projects/{project}/plans", json={"time_limit": 5})
    assert plan.status_code == 201
    assert plan.headers["Location"] == f"/projects/{project}/plans/{plan.json()['id']}"
    same_again(PlanOut, plan.json())
    plan_id = plan.json()["id"]
    same_again(PlanOut, client.get(f"/projects/{project}/plans/{plan_id}").json())
    committed = client.post(f"/projects/{project}/plans/{plan_id}/commit")
    same_again(CommittedPlan, committed.json())

    forecast = client.post(
        f"/projects/{project}/forecasts",
        json={"samples": 400, "precision": 5.0, "calibrate": True},
    )
    assert forecast.status_code == 201
    same_again(ForecastOut, forecast.json())
    same_again(BaselineOut, client.get(f"/projects/{project}/baseline").json())

    first = document["tasks"][1]["id"]
    scenario = client.post(
        f"/projects/{project}/scenarios",
        json={
            "samples": 200,
            "changes": [{"action": "update_task", "id": first, "duration": 30}],
        },
    )
    assert scenario.status_code == 200
    same_again(ScenarioOut, scenario.json())

    client.patch(f"/projects/{project}/tasks/{first}", json={"duration": 9})
    same_again(DiffOut, client.get(f"/projects/{project}/diff?from=1&to=3").json())
    same_again(list[PortfolioRow], client.get("/portfolio").json())
    portfolio = client.post("/portfolio/plans", json={"project_ids": [project]})
    same_again(PortfolioOut, portfolio.json())


def test_an_infeasible_plan_is_its_model(client: httpx.Client) -> None:
    document = {
        "name": "tight",
        "start": "2027-01-04",
        "deadline": 3,
        "tasks": [{"id": "a", "duration": 5, "pin": {"start": 0}}],
    }
    project = client.post("/projects", json=document).json()["id"]
    plan = client.post(f"/projects/{project}/plans", json={"deadlines": "hard"})
    assert plan.json()["status"] == "infeasible"
    same_again(PlanOut, plan.json())
