"""Project-wide rules: ids, references, estimates, capacities and loops.

`validate_project` lists every problem it finds, each naming its field, so a
planner fixes a document in one pass instead of one error at a time.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

from domain import outline
from domain.errors import Problem, ValidationError
from domain.limits import bound_problems
from domain.model import (
    Dependency,
    DependencyType,
    Distribution,
    Estimate,
    Project,
    Task,
)
from domain.pauses import pause_problems
from domain.status import status_problems
from domain.timing import timing_problems


def validate_project(project: Project) -> None:
    """Raise ValidationError listing every broken rule; return if none.
    Numbers out of bounds (`domain.limits`) are reported before anything
    computes with them. A project is immutable: one found valid is not
    checked again while it lives (a command validates it on reading, the
    forecast before sampling)."""
    known = _valid.get(id(project))
    if known is not None and known() is project:
        return
    _check(project)
    key = id(project)
    _valid[key] = weakref.ref(project, lambda _: _valid.pop(key, None))


# Projects found valid, by id (the weak reference tells a reused id apart).
_valid: dict[int, weakref.ref[Project]] = {}


def _check(project: Project) -> None:
    out_of_bounds = list(bound_problems(project))
    if out_of_bounds:
        raise ValidationError(out_of_bounds)
    problems = [
        *_duplicate_ids(project),
        *_task_problems(project),
        *outline.problems(project),
        *_dependency_problems(project),
        *_risk_problems(project),
        *_people_problems(project),
        *_correlation_problems(project),
        *status_problems(project),
    ]
    if project.deadline is not None and project.deadline < 0:
        problems.append(Problem("deadline", "must be >= 0"))
    if not problems:
        leaves = outline.leaf_project(project)
        loop = positive_loop(leaves)
        if loop:
            problems.append(Problem("dependencies", _loop_message(leaves, loop)))
    if problems:
        raise ValidationError(problems)


def start_offset(project: Project, dependency: Dependency) -> int:
    """Least start(successor) - start(predecessor) the dependency allows, with
    planned durations: FS d_pred + lag, SS lag, FF d_pred + lag - d_succ,
    SF lag - d_succ. A negative offset is a maximum time lag seen backwards
    (c SS -5 -> a: c starts at most 5 days after a)."""
    before = project.task(dependency.predecessor).planned_duration
    after = project.task(dependency.successor).planned_duration
    lag = dependency.lag
    match dependency.type:
        case DependencyType.FS:
            return before + lag
        case DependencyType.SS:
            return lag
        case DependencyType.FF:
            return before + lag - after
    return lag - after


def positive_loop(project: Project) -> list[str]:
    """A loop of dependencies whose offsets add up to more than 0, as task ids
    (the first repeated at the end), or [] when every loop can be kept.

    A loop is no error in itself: a -> b -> c with c -> a SS -5 says c starts
    at most 5 days after a. Only a loop that asks a task to start after
    itself is: Bellman-Ford on the longest paths from every task at once;
    a start still rising after n rounds lies behind such a loop, found by
    walking back the edges that raised it.
    """
    ids = [task.id for task in project.tasks]
    index = {task_id: i for i, task_id in enumerate(ids)}
    edges = [
        (index[d.predecessor], index[d.successor], start_offset(project, d))
        for d in project.dependencies
    ]
    starts, raised_by = [0] * len(ids), [-1] * len(ids)
    moving = -1
    for _ in range(len(ids) + 1):
        moving = -1
        for before, after, offset in edges:
            if starts[before] + offset > starts[after]:
                starts[after], raised_by[after] = starts[before] + offset, before
                moving = after
        if moving < 0:
            return []
    for _ in range(len(ids)):  # step back onto the loop itself
        moving = raised_by[moving]
    loop, current = [moving], raised_by[moving]
    while current != moving:
        loop.append(current)
        current = raised_by[current]
    loop.reverse()
    first = loop.index(min(loop))  # read from the task listed first
    loop = loop[first:] + loop[:first]
    return [ids[t] for t in [*loop, loop[0]]]


def _loop_message(project: Project, loop: list[str]) -> str:
    steps = set(pairwise(loop))
    total = sum(  # the strongest link of each step (several links per pair)
        max(
            start_offset(project, d)
            for d in project.dependencies
            if (d.predecessor, d.successor) == step
        )
        for step in steps
    )
    return (
        "the dependencies form a cycle no schedule can keep (each task on it "
        f"would have to start {total} day{'s' if total != 1 else ''} after "
        "itself): " + " -> ".join(loop)
    )


def _duplicate_ids(project: Project) -> Iterable[Problem]:
    groups = {
        "tasks": [t.id for t in project.tasks],
        "resources": [r.id for r in project.resources],
        "dependencies": [d.id for d in project.dependencies],
        "risks": [r.id for r in project.risks],
    }
    for field, ids in groups.items():
        for item_id, count in Counter(ids).items():
            if count > 1:
                hint = (
                    ": give each link between a pair its own id"
                    if field == "dependencies"
                    else ""
                )
                yield Problem(f"{field}[{item_id}]", f"duplicate id {item_id!r}{hint}")


def _task_problems(project: Project) -> Iterable[Problem]:
    for task in project.tasks:
        where = f"tasks[{task.id}]"
        if task.duration is not None and task.duration < 0:
            yield Problem(f"{where}.duration", f"must be >= 0, got {task.duration}")
        if task.estimate is not None:
            yield from _estimate_problems(task.estimate, f"{where}.estimate")
        if task.elapsed and task.calendar is not None:
            yield Problem(
                f"{where}.elapsed",
                "elapsed time works every day: a task calendar does not apply",
            )
        yield from _demand_problems(project, task, where)
        yield from _skill_problems(project, task, where)
        yield from timing_problems(task.timing, task.planned_duration, where)
        yield from pause_problems(
            task.pauses,
            task.duration,
            task.estimate is not None,
            task.splittable,
            f"{where}.pauses",
        )


def _estimate_problems(estimate: Estimate, where: str) -> Iterable[Problem]:
    low, mode, high = estimate.optimistic, estimate.most_likely, estimate.pessimistic
    if estimate.distribution is Distribution.DISCRETE:
        if not estimate.values:
            yield Problem(f"{where}.values", "required, a non-empty list")
        if estimate.weights and len(estimate.weights) != len(estimate.values):
            yield Problem(f"{where}.weights", "one weight per value")
        for k, value in enumerate(estimate.values):
            if value < 0:
                yield Problem(f"{where}.values[{k}]", f"must be >= 0, got {value}")
        return
    if estimate.distribution is Distribution.LOGNORMAL and not low < mode < high:
        yield Problem(
            where,
            "a lognormal needs optimistic < most_likely < pessimistic, "
            f"got {low}, {mode}, {high}",
        )
    if low < 0:
        yield Problem(f"{where}.optimistic", f"must be >= 0, got {low}")
    if low > mode:
        yield Problem(where, f"optimistic {low} > most_likely {mode}")
    if mode > high:
        yield Problem(where, f"most_likely {mode} > pessimistic {high}")


def _demand_problems(project: Project, task: Task, where: str) -> Iterable[Problem]:
    for resource_id, units in task.demands.items():
        field = f"{where}.demands.{resource_id}"
        if resource_id not in project.resource_index:
            yield Problem(field, f"unknown resource {resource_id!r}")
        elif units <= 0:
            yield Problem(
                field, f"must be > 0 (a share such as 0.5 or whole units), got {units}"
            )
        elif abs(units * 100 - round(units * 100)) > 1e-6:
            yield Problem(field, f"{units}: a share in whole percent (0.01 steps)")
        elif units > (capacity := project.resource(resource_id).capacity):
            yield Problem(field, f"{units} units exceed the capacity {capacity}")


def _skill_problems(project: Project, task: Task, where: str) -> Iterable[Problem]:
    if not task.skills:
        return
    if task.people < 1:
        yield Problem(f"{where}.people", f"must be >= 1, got {task.people}")
        return
    qualified = project.qualified_people(task)
    if len(qualified) < task.people:
        needs = ", ".join(f"{skill}>={level}" for skill, level in task.skills.items())
        names = ", ".join(r.id for r in qualified) or "nobody"
        yield Problem(
            f"{where}.skills",
            f"needs {task.people} people with {needs}; qualified: {names}",
        )


def _dependency_problems(project: Project) -> Iterable[Problem]:
    for dependency in project.dependencies:
        where = f"dependencies[{dependency.id}]"
        for end, task_id in (
            ("from", dependency.predecessor),
            ("to", dependency.successor),
        ):
            if task_id not in project.task_index:
                yield Problem(f"{where}.{end}", f"unknown task {task_id!r}")
        if dependency.predecessor == dependency.successor:
            yield Problem(where, "a task cannot depend on itself")


def _risk_problems(project: Project) -> Iterable[Problem]:
    for risk in project.risks:
        where = f"risks[{risk.id}]"
        if not 0 <= risk.probability <= 1:
            yield Problem(
                f"{where}.probability", f"must be within [0, 1], got {risk.probability}"
            )
        for task_id in risk.tasks:
            if task_id not in project.task_index:
                yield Problem(f"{where}.tasks", f"unknown task {task_id!r}")
        if isinstance(risk.impact, Estimate):
            yield from _estimate_problems(risk.impact, f"{where}.impact")
        elif risk.impact < 0:
            yield Problem(f"{where}.impact", f"must be >= 0, got {risk.impact}")


def _people_problems(project: Project) -> Iterable[Problem]:
    """Cost rates, load limits and dated availability of resources."""
    for resource in project.resources:
        where = f"resources[{resource.id}]"
        if resource.cost_rate < 0:
            yield Problem(
                f"{where}.cost_rate", f"must be >= 0, got {resource.cost_rate}"
            )
        load = resource.max_load
        if load is not None and not 0 < load <= 1:
            yield Problem(f"{where}.max_load", f"must be within (0, 1], got {load}")
        if resource.has_own_time and project.start is None:
            yield Problem(
                "start", f"required: resource {resource.id} has a calendar or absences"
            )
    if project.start is None:
        for task in project.tasks:
            if not task.splittable:
                yield Problem("start", f"required: task {task.id} is not splittable")
            if task.calendar is not None:
                yield Problem("start", f"required: task {task.id} has a calendar")
            if task.pauses:
                yield Problem("start", f"required: task {task.id} pauses")
            if task.elapsed:
                yield Problem("start", f"required: task {task.id} is elapsed")


def _correlation_problems(project: Project) -> Iterable[Problem]:
    """Known, distinct, uncertain members and a coefficient within [-1, 1]."""
    for number, correlation in enumerate(project.correlations):
        where = f"correlations[{number}]"
        if not -1 <= correlation.coefficient <= 1:
            yield Problem(
                f"{where}.coefficient",
                f"must be within [-1, 1], got {correlation.coefficient}",
            )
        if len(set(correlation.members)) < 2:
            yield Problem(where, "needs at least two distinct tasks or risks")
        for task_id in correlation.tasks:
            if task_id not in project.task_index:
                yield Problem(f"{where}.tasks", f"unknown task {task_id!r}")
            elif not _varies(project.task(task_id)):
                yield Problem(
                    f"{where}.tasks",
                    f"task {task_id!r} has a fixed duration; only uncertain "
                    "durations can be correlated",
                )
        risk_ids = {risk.id for risk in project.risks}
        for risk_id in correlation.risks:
            if risk_id not in risk_ids:
                yield Problem(f"{where}.risks", f"unknown risk {risk_id!r}")


def _varies(task: Task) -> bool:
    estimate = task.estimate
    return estimate is not None and estimate.distribution is not Distribution.FIXED
