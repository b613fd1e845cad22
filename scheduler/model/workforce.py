"""CP-SAT constraints for people's time: days off, unsplittable tasks, load.

Each function is one named rule over the `Workforce` of a `SchedulingProblem`
(see `scheduler.problem.workforce`), used by `constraints`:

- `add_team_spans`  — a task with people ends where `duration` of its
                      team's common working days end (an element over
                      `worktime` ends, per possible team), so work pauses over
                      their days off, over those of the resources it
                      demands and over its own calendar's (a task without
                      people too). A non-splittable task may not pause, so it
                      never spans a demanded resource's day off.
- `add_unsplittable` — a non-splittable task starts only where it straddles no
                      organisation break.
- `add_load_limits` — a person's assigned work days stay within `max_load` of
                      the makespan (the latest finish).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.variables import Variables
from scheduler.problem.instance import SchedulingProblem
from scheduler.problem.worktime import Ends

PERCENT = 100


def add_team_spans(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    index: int,
    bounds: tuple[cp_model.IntVar, cp_model.IntVar],
    assigned: dict[tuple[int, int], cp_model.IntVar],
) -> None:
    """The task ends where `duration` of its team's common working days end
    (an element over the team's `worktime` ends); a non-splittable task, or
    one whose teams are not told apart, may not pause. Every person interval
    shares the task's start and end."""
    start, end = bounds
    task = problem.tasks[index]
    if not problem.teams(index):
        own = _own_end(model, problem, index, start)
        _add_without_pause(model, problem, index, (start, own), assigned)
        model.add(end == own)
        return
    for team, chosen in _team_literals(model, problem, index, assigned):
        timed = problem.work_team(index, team)
        table = problem.spans.ends(timed, task.duration)
        if table is None:
            finish: cp_model.LinearExprT = start + task.duration
        else:
            finish = _pausing_end(model, problem, (index, timed), start, table)
            if not task.splittable:
                model.add(finish == start + task.duration).only_enforce_if(chosen)
        model.add(end == finish).only_enforce_if(chosen)


def _own_end(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    index: int,
    start: cp_model.IntVar,
) -> cp_model.LinearExprT:
    """The end of the task by its own calendar alone (start + duration when
    it has none); a non-splittable task may not pause over its days off."""
    task = problem.tasks[index]
    timed = problem.work_team(index, ())
    table = problem.spans.ends(timed, task.duration)
    if table is None:
        return start + task.duration
    finish = _pausing_end(model, problem, (index, timed), start, table)
    if not task.splittable:
        model.add(finish == start + task.duration)
    return finish


def _add_without_pause(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    index: int,
    bounds: tuple[cp_model.IntVar, cp_model.LinearExprT],
    assigned: dict[tuple[int, int], cp_model.IntVar],
) -> None:
    """Each person on the task works every day of it (no day off inside:
    their work ends where the task's own does)."""
    start, own_end = bounds
    duration = problem.tasks[index].duration
    for person in problem.tasks[index].candidates:
        timed = problem.work_team(index, (person,))
        table = problem.spans.ends(timed, duration)
        if table is not None:
            finish = _pausing_end(model, problem, (index, timed), start, table)
            presence = assigned[index, person]
            model.add(finish == own_end).only_enforce_if(presence)


def _team_literals(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    index: int,
    assigned: dict[tuple[int, int], cp_model.IntVar],
) -> list[tuple[tuple[int, ...], cp_model.IntVar]]:
    """Each team (one person or a pair) with the literal true when it is the
    one picked."""
    literals: list[tuple[tuple[int, ...], cp_model.IntVar]] = []
    for team in problem.teams(index):
        if len(team) == 1:
            literals.append((team, assigned[index, team[0]]))
            continue
        pair = model.new_bool_var(f"pair_{index}_{team[0]}_{team[1]}")
        both = [assigned[index, p] for p in team]
        model.add_bool_and(both).only_enforce_if(pair)
        model.add_bool_or([~both[0], ~both[1], pair])
        literals.append((team, pair))
    return literals


def _pausing_end(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    key: tuple[int, tuple[int, ...]],
    start: cp_model.IntVar,
    table: Ends,
) -> cp_model.IntVar:
    """The finish of the task's work by a team, from its `ends` table.

    After the team's last day off (`last`) work never pauses, so the element
    covers starts up to `last` only: index = min(start, last), and
    finish = table[index] + (start - index) with table[last] = last + duration.
    """
    index, team = key
    duration = problem.tasks[index].duration
    name = f"{index}_{'_'.join(map(str, team))}"
    latest = problem.horizon - duration
    ends_off = (end for p in team for _, end in problem.workforce.blocked_of(p))
    last = min(max(ends_off, default=0), latest)
    values = [int(v) for v in table[:last]] + [last + duration]
    clipped = model.new_int_var(0, last, f"clip_{name}")
    model.add_min_equality(clipped, [start, last])
    looked_up = model.new_int_var(min(values), max(values), f"ends_{name}")
    model.add_element(clipped, values, looked_up)
    finish = model.new_int_var(duration, max(values) + latest, f"finish_{name}")
    model.add(finish == looked_up + start - clipped)
    return finish


def add_unsplittable(
    model: cp_model.CpModel, problem: SchedulingProblem, variables: Variables
) -> None:
    """A task that is not splittable lies wholly between two breaks."""
    horizon = problem.horizon
    for index, task in enumerate(problem.tasks):
        if task.splittable or task.duration <= 1 or not problem.workforce.breaks:
            continue
        allowed = problem.workforce.allowed_starts(task.duration, horizon)
        domain = cp_model.Domain.from_intervals([list(span) for span in allowed])
        model.add_linear_expression_in_domain(variables.starts[index], domain)


def add_load_limits(
    model: cp_model.CpModel, problem: SchedulingProblem, variables: Variables
) -> None:
    """100 x (days assigned to p) <= max_load_percent[p] x makespan."""
    worked: dict[int, list[cp_model.LinearExpr]] = {}
    for (task, person), presence in variables.assigned.items():
        days = problem.tasks[task].work
        worked.setdefault(person, []).append(days * presence)
    limited = [
        (person, percent)
        for person, percent in enumerate(problem.workforce.max_load_percent)
        if percent is not None and person in worked
    ]
    if not limited:
        return
    # The span is the latest finish, not merely a bound on it.
    model.add_max_equality(variables.makespan, variables.ends)
    for person, percent in limited:
        model.add(PERCENT * sum(worked[person]) <= percent * variables.makespan)
