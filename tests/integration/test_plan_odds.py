"""Plans chosen for their odds (objectives p80 and p_deadline), real solves.

The constructed project: `prototype` (most likely 2 days, a long tail to 20)
only alice can do; `build` (10 days) alice or bob; `setup` (3 days) only bob.
The shortest plans (12 days) put build on alice after the prototype, so its
tail delays everything: P80 about 22. Giving build to bob costs a day (13)
but the prototype's tail then runs beside it: P80 13.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

import scheduler
from domain import (
    Distribution,
    Estimate,
    Plan,
    Project,
    Resource,
    Risk,
    Task,
    ValidationError,
)
from service.choosing import choose_plan
from service.cli import main
from service.compute import ForecastRequest, PlanRequest, simulate

LONG_TAIL = Estimate(1, 2, 20, Distribution.TRIANGULAR)


def risky_first(deadline: int | None = None) -> Project:
    people = (
        Resource("alice", 1, skills={"r": 1, "s": 1}),
        Resource("bob", 1, skills={"x": 1, "s": 1}),
    )
    tasks = (
        Task("prototype", estimate=LONG_TAIL, skills={"r": 1}),
        Task("setup", duration=3, skills={"x": 1}),
        Task("build", duration=10, skills={"s": 1}),
    )
    return Project("risky first", tasks, resources=people, deadline=deadline)


def choose(project: Project, objective: str, seed: int = 0) -> Plan:
    request = PlanRequest(6.0, seed, objective=objective, odds_samples=4096)
    return choose_plan(project, request)


def test_p80_takes_the_longer_plan_when_the_shortest_is_the_riskier() -> None:
    project = risky_first()
    plan = choose(project, "p80")
    makespan_plan, *_ = plan.candidates
    chosen = next(c for c in plan.candidates if c.chosen)
    assert makespan_plan.source == "makespan plan"
    assert makespan_plan.makespan == 12
    assert makespan_plan.p80 > 20  # 10 days of build wait for the tail
    assert plan.makespan == chosen.makespan == 13
    assert chosen.p80 == pytest.approx(13.0)
    assert plan.assignments["build"] == ["bob"]
    assert plan.objective == "p80"
    assert scheduler.validate_plan(project, plan) == []
    # The chosen P80 is what a forecast of the plan under the same seed says.
    again = simulate(project, plan, ForecastRequest(4096, 0))
    assert round(again.duration.p80, 3) == chosen.p80


def test_p_deadline_takes_the_plan_most_likely_to_meet_it() -> None:
    project = risky_first(deadline=14)
    plan = choose(project, "p_deadline")
    makespan_plan = plan.candidates[0]
    chosen = next(c for c in plan.candidates if c.chosen)
    assert makespan_plan.deadline_probability is not None
    # Build on alice meets day 14 only if the prototype takes at most 4 days:
    # 1 - 16^2 / (19 x 18) for the triangular (1, 2, 20); 5 standard errors.
    exact = 1 - 16**2 / (19 * 18)
    assert makespan_plan.deadline_probability == pytest.approx(exact, abs=0.035)
    # Build on bob: only the prototype itself can pass day 14 (6 days of tail).
    assert chosen.deadline_probability == pytest.approx(1 - 6**2 / (19 * 18), abs=0.03)
    assert plan.makespan == 13


def test_p_deadline_without_a_deadline_names_the_objective() -> None:
    with pytest.raises(ValidationError) as raised:
        choose(risky_first(), "p_deadline")
    assert raised.value.problems[0].field == "objective"


def random_project(seed: int) -> Project:
    """Eight tasks on two shared machines and two people, some risks."""
    rng = random.Random(seed)
    resources = (
        Resource("m1", 1),
        Resource("m2", 1),
        Resource("ann", 1, skills={"q": 1}),
        Resource("ben", 1, skills={"q": 1}),
    )
    tasks = []
    for k in range(8):
        mode = rng.randint(2, 6)
        estimate = Estimate(mode - 1, mode, mode * rng.choice([1.5, 4]))
        demands = {rng.choice(["m1", "m2"]): 1.0}
        skills = {"q": 1} if rng.random() < 0.5 else {}
        tasks.append(Task(f"t{k}", estimate=estimate, demands=demands, skills=skills))
    risks = (Risk("r", 0.3, (tasks[0].id,), 5.0),)
    return Project("random", tuple(tasks), resources=resources, risks=risks)


@pytest.mark.parametrize("seed", range(3))
def test_the_chosen_p80_is_never_worse_than_the_makespan_plans(seed: int) -> None:
    project = random_project(seed)
    plan = choose(project, "p80", seed=seed)
    makespan_plan = plan.candidates[0]
    chosen = next(c for c in plan.candidates if c.chosen)
    assert chosen.p80 <= makespan_plan.p80
    assert scheduler.validate_plan(project, plan) == []
    # The makespan candidate is the plain makespan solve under the same seed.
    plain = scheduler.solve(project, scheduler.SolveOptions(time_limit=1, seed=seed))
    assert makespan_plan.makespan == plain.makespan


def test_cli_objective_p80_lists_the_candidates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document: dict[str, Any] = {
        "name": "risky first",
        "resources": [
            {"id": "alice", "capacity": 1, "skills": {"r": 1, "s": 1}},
            {"id": "bob", "capacity": 1, "skills": {"x": 1, "s": 1}},
        ],
        "tasks": [
            {
                "id": "prototype",
                "estimate": {
                    "optimistic": 1,
                    "most_likely": 2,
                    "pessimistic": 20,
                    "distribution": "triangular",
                },
                "skills": {"r": 1},
            },
            {"id": "setup", "duration": 3, "skills": {"x": 1}},
            {"id": "build", "duration": 10, "skills": {"s": 1}},
        ],
    }
    path = tmp_path / "risky.json"
    path.write_text(json.dumps(document))
    argv = ["solve", str(path), "--objective", "p80", "--time-limit", "6", "--json"]
    assert main(argv) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["makespan"] == 13
    assert answer["objective"]["name"] == "p80"
    assert answer["candidates"][0]["makespan"] == 12
    assert sum(c["chosen"] for c in answer["candidates"]) == 1
