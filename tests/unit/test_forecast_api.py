"""`simulation.forecast`: inputs it refuses, reproducibility, criticality."""

from __future__ import annotations

import numpy as np
import pytest

from domain import (
    Dependency,
    Distribution,
    Estimate,
    Plan,
    Project,
    ScheduledTask,
    SolveStatus,
    Task,
    ValidationError,
)
from simulation import MAX_SAMPLES, forecast
from simulation.montecarlo import CHUNK_SIZE, Simulation
from simulation.tally import SUBSAMPLE

SPREAD = Estimate(10, 12, 20, Distribution.TRIANGULAR)


def project_with_slack() -> Project:
    """a -> b is the long chain; `side` is short and has a lot of float."""
    tasks = (
        Task("a", estimate=SPREAD),
        Task("b", estimate=SPREAD),
        Task("side", duration=1),
    )
    return Project("slack", tasks, dependencies=(Dependency("a", "b"),), deadline=26)


def plan_for(project: Project) -> Plan:
    scheduled = (
        ScheduledTask("a", 0, 12),
        ScheduledTask("b", 12, 24),
        ScheduledTask("side", 0, 1),
    )
    return Plan(SolveStatus.OPTIMAL, 24, 24, scheduled, id="plan-7")


@pytest.mark.parametrize("samples", [0, -5, MAX_SAMPLES + 1])
def test_refuses_sample_counts_out_of_range(samples: int) -> None:
    project = project_with_slack()
    with pytest.raises(ValidationError) as caught:
        forecast(project, plan_for(project), samples=samples)
    assert caught.value.problems[0].field == "samples"


def test_refuses_a_negative_seed() -> None:
    project = project_with_slack()
    with pytest.raises(ValidationError) as caught:
        forecast(project, plan_for(project), samples=10, seed=-1)
    assert caught.value.problems[0].field == "seed"


@pytest.mark.parametrize("status", [SolveStatus.INFEASIBLE, SolveStatus.UNKNOWN])
def test_refuses_a_plan_without_schedule(status: SolveStatus) -> None:
    project = project_with_slack()
    with pytest.raises(ValidationError, match="no schedule"):
        forecast(project, Plan(status, None, None), samples=10)


def test_refuses_a_plan_missing_a_task() -> None:
    project = project_with_slack()
    partial = Plan(SolveStatus.FEASIBLE, 12, None, (ScheduledTask("a", 0, 12),))
    with pytest.raises(ValidationError, match="'b' is not scheduled") as caught:
        forecast(project, partial, samples=10)
    assert caught.value.problems[0].field == "plan.tasks"


def test_refuses_an_invalid_project() -> None:
    bad = Task("x", estimate=Estimate(5, 3, 9))
    project = Project("bad", (bad,))
    plan = Plan(SolveStatus.OPTIMAL, 3, 3, (ScheduledTask("x", 0, 3),))
    with pytest.raises(ValidationError, match="optimistic 5 > most_likely 3"):
        forecast(project, plan, samples=10)


def test_same_seed_same_forecast_and_another_seed_another() -> None:
    project = project_with_slack()
    plan = plan_for(project)
    first = forecast(project, plan, samples=3_000, seed=42)
    assert forecast(project, plan, samples=3_000, seed=42) == first
    assert forecast(project, plan, samples=3_000, seed=43) != first


def test_a_chunk_depends_only_on_seed_and_its_position() -> None:
    project = project_with_slack()
    simulation = Simulation.prepare(project, plan_for(project))
    one_chunk = next(simulation.chunks(CHUNK_SIZE, seed=5))
    first_of_two = next(simulation.chunks(CHUNK_SIZE + 17, seed=5))
    np.testing.assert_array_equal(one_chunk.durations, first_of_two.durations)


def test_records_what_reproduces_it() -> None:
    project = project_with_slack()
    result = forecast(project, plan_for(project), samples=1_234, seed=8)
    assert (result.samples, result.seed, result.plan_id) == (1_234, 8, "plan-7")
    assert [task.task_id for task in result.tasks] == ["a", "b", "side"]


def test_criticality_is_one_on_the_chain_and_zero_with_large_float() -> None:
    project = project_with_slack()
    result = forecast(project, plan_for(project), samples=2_000, seed=1)
    criticality = {task.task_id: task.criticality for task in result.tasks}
    assert criticality == {"a": 1.0, "b": 1.0, "side": 0.0}


def test_deadline_probability_counts_samples_within_the_deadline() -> None:
    project = project_with_slack()
    simulation = Simulation.prepare(project, plan_for(project))
    durations = np.concatenate(
        [c.project_duration for c in simulation.chunks(5_000, seed=2)]
    )
    result = forecast(project, plan_for(project), samples=5_000, seed=2)
    assert result.deadline == 26
    assert result.deadline_probability == pytest.approx(np.mean(durations <= 26))
    assert 0.0 < result.deadline_probability < 1.0


def test_without_deadline_there_is_no_deadline_probability() -> None:
    tasks = (Task("a", duration=2),)
    plan = Plan(SolveStatus.OPTIMAL, 2, 2, (ScheduledTask("a", 0, 2),))
    result = forecast(Project("p", tasks), plan, samples=1)
    assert result.deadline is None
    assert result.deadline_probability is None
    assert result.duration.p50 == 2.0


def test_task_percentiles_are_within_the_stated_error_of_the_exact_ones() -> None:
    """Task finishes are summarised by streaming histograms; against the exact
    percentiles of the same samples each is off by at most the stated error."""
    project = project_with_slack()
    plan = plan_for(project)
    result = forecast(project, plan, samples=9_000, seed=3)
    finishes = np.concatenate(
        [c.finishes for c in Simulation.prepare(project, plan).chunks(9_000, 3)],
        axis=1,
    )
    assert result.precision is not None
    error = result.precision.task_finish_error
    assert error is not None
    assert 0 < error < 0.04  # 1,024 bins over b's 20-40 day finish range
    for row, task in zip(finishes, result.tasks, strict=True):
        exact = np.percentile(row, [10, 50, 80, 90, 95])
        streamed = [
            getattr(task.finish, k) for k in ("p10", "p50", "p80", "p90", "p95")
        ]
        np.testing.assert_allclose(streamed, exact, atol=error)
        assert task.finish.mean == pytest.approx(float(row.mean(dtype=np.float64)))
        assert task.finish.std == pytest.approx(float(row.std(dtype=np.float64)))


def test_cruciality_uses_the_stated_subsample() -> None:
    project = project_with_slack()
    result = forecast(project, plan_for(project), samples=9_000, seed=3)
    assert result.precision is not None
    assert result.precision.rank_samples == SUBSAMPLE
    # b's duration drives half the finish: a large rank correlation.
    assert result.tasks[1].cruciality > 0.6
