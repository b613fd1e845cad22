"""The plan a request asks for: the solver's, or the one with the best odds.

The solver minimises the deterministic makespan (most likely durations), and
the shortest plan can carry worse odds than one of equal or nearly equal
length: a long-tailed task first on a shared person holds up what follows it
there. For the objectives `p80` (least P80 finish) and `p_deadline` (best
chance of meeting the project deadline) a diverse set of good plans is made
and each is forecast with common random numbers: the same seed, so every
candidate sees the same sampled durations and a difference between two is
the plans', not the noise's. The best wins; ties go to the shorter plan, then
to the earlier candidate. The candidates (every one a solver plan re-checked
by the validator) are:

1. the makespan plan, so under the same seed the chosen plan's P80 is never
   worse than its;
2. makespan plans from other search seeds: other resource orders and teams;
3. plans made for stressed durations (each estimate at its mean with each
   risk's expected impact added, and at its pessimistic value), re-timed for
   the real ones with their order and people kept (`scheduler.retimed`).

Buffers add no candidate: in a forecast every task starts as soon as its
dependencies and its resource order allow, so where the plan leaves slack
does not change the odds (only the plan's resource orders and teams do).
"""

from __future__ import annotations

import math
from dataclasses import replace

import scheduler
from domain import Plan, PlanCandidate, Project, Task, ValidationError
from domain.objectives import CHOSEN_BY_FORECAST
from service import compute
from service.compute import ForecastRequest, PlanRequest
from service.workers import Report, ignore

ODDS_OBJECTIVES = CHOSEN_BY_FORECAST  # p80, p_deadline (domain.objectives)
OTHER_SEEDS = 3  # extra makespan solves with other search seeds
SOLVES = 1 + OTHER_SEEDS + 2  # how many ways the request's time limit is shared


def choose_plan(
    project: Project, request: PlanRequest, *, report: Report = ignore
) -> Plan:
    """The solver's plan, or for `p80` / `p_deadline` the best candidate."""
    if request.objective not in ODDS_OBJECTIVES:
        return compute.solve(project, request, report=report)
    if request.objective == "p_deadline" and project.deadline is None:
        raise ValidationError.at(
            "objective", "p_deadline needs the project's deadline (none is set)"
        )
    share = replace(
        request, objective="makespan", time_limit=request.time_limit / SOLVES
    )
    candidates = candidate_plans(project, share)
    forecast = ForecastRequest(request.odds_samples, request.seed)
    busy = request.busy or ()
    weighed = [
        (source, plan, compute.simulate(project, plan, forecast, busy=busy))
        for source, plan in candidates
    ]
    by_deadline = request.objective == "p_deadline"

    def badness(k: int) -> tuple[float, int, int]:
        _, plan, result = weighed[k]
        odds = -(result.deadline_probability or 0.0) if by_deadline else 0.0
        return (odds or result.duration.p80, plan.makespan or 0, k)

    best = min(range(len(weighed)), key=badness)
    listed = tuple(
        PlanCandidate(
            source,
            plan.makespan or 0,
            round(result.duration.p80, 3),
            result.deadline_probability,
            chosen=k == best,
        )
        for k, (source, plan, result) in enumerate(weighed)
    )
    source, plan, result = weighed[best]
    message = (
        f"chosen for its {'chance of meeting the deadline' if by_deadline else 'P80'} "
        f"among {len(weighed)} candidate plans ({source}; P80 "
        f"{result.duration.p80:.1f} against the makespan plan's "
        f"{weighed[0][2].duration.p80:.1f}, seed {request.seed}, "
        f"{request.odds_samples} samples)"
    )
    return replace(
        plan, objective=request.objective, message=message, candidates=listed
    )


def candidate_plans(project: Project, request: PlanRequest) -> list[tuple[str, Plan]]:
    """Distinct valid plans of `project`, the makespan plan first."""
    first = compute.solve(project, request)
    if not first.has_schedule:
        return [("makespan plan", first)]
    found = [("makespan plan", first)]
    for offset in range(1, OTHER_SEEDS + 1):
        seed = request.seed + offset
        found.append(
            (
                f"search seed {seed}",
                compute.solve(project, replace(request, seed=seed)),
            )
        )
    for label, stressed in stressed_projects(project):
        guide = compute.solve(stressed, replace(request, pins=()))
        if guide.has_schedule:
            kept = scheduler.retimed(project, guide, request.busy or ())
            if kept is not None:
                found.append(
                    (f"ordered for {label} durations", replace(kept, pins=request.pins))
                )
    return _distinct([(s, p) for s, p in found if p.has_schedule])


def stressed_projects(project: Project) -> list[tuple[str, Project]]:
    """The project with every estimated task not yet started at its mean
    (plus each risk's expected impact on it), and at its pessimistic value."""
    expected: dict[str, float] = {}
    for risk in project.risks:
        impact = (
            risk.impact if isinstance(risk.impact, float | int) else risk.impact.mean
        )
        for task_id in set(risk.tasks):
            expected[task_id] = expected.get(task_id, 0.0) + risk.probability * impact

    def stressed(task: Task, pessimistic: bool) -> Task:
        if task.estimate is None or task.timing.actual_start is not None:
            return task
        days = task.estimate.pessimistic if pessimistic else task.estimate.mean
        days += 0.0 if pessimistic else expected.get(task.id, 0.0)
        return replace(task, duration=float(max(1, math.ceil(days))), estimate=None)

    return [
        (label, replace(project, tasks=tuple(stressed(t, high) for t in project.tasks)))
        for label, high in (("expected", False), ("pessimistic", True))
    ]


def _distinct(plans: list[tuple[str, Plan]]) -> list[tuple[str, Plan]]:
    """The first of every set of plans with the same starts and people."""
    seen: set[tuple[tuple[str, int, tuple[str, ...]], ...]] = set()
    distinct = []
    for source, plan in plans:
        key = tuple(sorted((t.task_id, t.start, t.assignees) for t in plan.tasks))
        if key not in seen:
            seen.add(key)
            distinct.append((source, plan))
    return distinct
