"""Real solves with people's time, load limits and the multi-skill search.

Each rule gets a feasible, a tight and an infeasible case; every plan is
re-checked by the validator inside `solve` / `solve_people`.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from domain import (
    Absence,
    Calendar,
    Dependency,
    Plan,
    Project,
    Resource,
    SolveStatus,
    Task,
    ValidationError,
)
from domain.objectives import StaffingWeights
from domain.timing import TaskTiming
from scheduler import Objective, SolveOptions, solve, validate_plan
from scheduler.people import solve_people
from scheduler.problem.bounds import assignment_lower_bound
from scheduler.problem.generate import multiskill_project
from scheduler.problem.instance import SchedulingProblem
from scheduler.search.assignment import Strategy
from scheduler.search.greedy import serial_schedule

OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)
MONDAY = date(2027, 1, 4)
BE = {"be": 1}


def project(tasks: tuple[Task, ...], *resources: Resource) -> Project:
    return Project(name="people", start=MONDAY, tasks=tasks, resources=resources)


def test_work_waits_for_the_only_qualified_person_to_return() -> None:
    away = Absence(MONDAY, date(2027, 1, 8), "vacation")  # the whole first week
    plan = solve(
        project(
            (Task("a", duration=2, skills=BE),),
            Resource("alice", skills=BE, absences=(away,)),
        ),
        OPTIONS,
    )
    assert (plan.status, plan.scheduled("a").start) == (SolveStatus.OPTIMAL, 5)


def test_the_solver_picks_whoever_is_present() -> None:
    away = Absence(MONDAY, date(2027, 1, 8))
    plan = solve(
        project(
            (Task("a", duration=2, skills=BE),),
            Resource("alice", skills=BE, absences=(away,)),
            Resource("bob", skills=BE),
        ),
        OPTIONS,
    )
    assert plan.makespan == 2
    assert plan.assignments == {"a": ["bob"]}


def test_a_task_fits_exactly_between_two_absences() -> None:
    before = Absence(MONDAY, date(2027, 1, 5))  # days 0-1
    after = Absence(date(2027, 1, 8), date(2027, 1, 29))  # day 4 onwards
    alice = Resource("alice", skills=BE, absences=(before, after))
    plan = solve(project((Task("a", duration=2, skills=BE),), alice), OPTIONS)
    assert plan.scheduled("a").start == 2  # Wed, Thu: the only gap


def test_an_unsplittable_task_starts_on_monday() -> None:
    tasks = (Task("lead", duration=1), Task("a", duration=5, splittable=False))
    plan = solve(
        Project(
            name="week",
            start=date(2027, 1, 6),  # a Wednesday
            tasks=tasks,
            dependencies=(),
        ),
        OPTIONS,
    )
    assert plan.scheduled("a").start == 3  # the next Monday, day 3
    splittable = solve(
        Project(name="week", start=date(2027, 1, 6), tasks=(Task("a", duration=5),)),
        OPTIONS,
    )
    assert splittable.scheduled("a").start == 0


def test_an_unsplittable_task_longer_than_any_week_is_infeasible() -> None:
    tasks = (Task("a", duration=6, splittable=False),)
    plan = solve(Project(name="week", start=MONDAY, tasks=tasks), OPTIONS)
    assert plan.status is SolveStatus.INFEASIBLE


def test_a_part_timer_never_works_a_day_off() -> None:
    part_time = Resource("pat", skills=BE, calendar=Calendar(("Mon", "Tue", "Wed")))
    tasks = tuple(Task(f"t{i}", duration=2, skills=BE) for i in range(3))
    plan = solve(project(tasks, part_time), OPTIONS)
    # Work pauses over Thu-Fri: Mon-Tue, Wed + next Mon, next Tue-Wed.
    assert plan.makespan == 8


def test_a_part_timers_task_continues_after_their_days_off() -> None:
    part_time = Resource("pat", skills=BE, calendar=Calendar(("Mon", "Tue", "Wed")))
    plan = solve(project((Task("a", duration=5, skills=BE),), part_time), OPTIONS)
    # Mon-Wed, then Mon-Tue of the next week: 5 working days over 7 org days.
    assert (plan.scheduled("a").start, plan.scheduled("a").finish) == (0, 7)
    assert plan.makespan == 7


def test_an_unsplittable_task_fits_one_working_stretch_of_its_person() -> None:
    part_time = Resource("pat", skills=BE, calendar=Calendar(("Mon", "Tue", "Wed")))
    tight = Task("a", duration=3, skills=BE, splittable=False)
    plan = solve(project((Task("lead", duration=1), tight), part_time), OPTIONS)
    assert plan.scheduled("a").start == 0  # Mon-Wed exactly, beside `lead`
    too_long = Task("a", duration=4, skills=BE, splittable=False)
    assert solve(project((too_long,), part_time), OPTIONS).status is (
        SolveStatus.INFEASIBLE
    )


def test_a_team_works_the_days_all_its_people_work() -> None:
    early = Resource("ann", skills=BE, calendar=Calendar(("Mon", "Tue", "Wed")))
    late = Resource("bo", skills=BE, calendar=Calendar(("Tue", "Wed", "Thu")))
    pair = Task("a", duration=4, skills=BE, people=2)
    plan = solve(project((pair,), early, late), OPTIONS)
    # Together only on Tue and Wed: days 1-2, then 6-7.
    assert (plan.scheduled("a").start, plan.scheduled("a").finish) == (1, 8)


def test_max_load_caps_a_persons_share_of_the_span() -> None:
    tasks = (
        Task("a", duration=4, skills=BE),
        Task("b", duration=4, skills=BE),
        Task("c", duration=8),
    )
    alice = Resource("alice", skills=BE, max_load=0.5)
    plan = solve(project(tasks, alice, Resource("bob", skills=BE)), OPTIONS)
    assert plan.makespan == 8  # alice may work 4 of the 8 days
    alone = solve(project(tasks, alice), OPTIONS)
    assert alone.makespan == 16  # her 8 days of work are half of 16
    assert (
        solve(project(tasks[:2], Resource("alice", skills=BE)), OPTIONS).makespan == 8
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_greedy_plans_are_valid_and_above_the_bound(seed: int) -> None:
    generated = multiskill_project(120, 12, seed=seed, absences=True)
    problem = SchedulingProblem.from_project(generated)
    schedule = serial_schedule(problem, noise=0.2, seed=seed)
    assert schedule is not None
    assert schedule.makespan >= assignment_lower_bound(problem)
    plan = solve_people(generated, SolveOptions(time_limit=3.0, workers=1, seed=seed))
    assert validate_plan(generated, plan) == []
    assert plan.lower_bound == max(
        plan.lower_bound or 0, assignment_lower_bound(problem)
    )
    assert plan.makespan is not None
    assert plan.makespan <= schedule.makespan


def test_search_beats_the_plain_model_on_a_generated_project() -> None:
    generated = multiskill_project(200, 10, seed=7)
    options = SolveOptions(time_limit=4.0, workers=1, seed=0)
    plain = solve_people(generated, options, Strategy.plain())
    searched = solve_people(generated, options)
    assert searched.makespan is not None
    assert plain.makespan is None or searched.makespan < plain.makespan


def staffing_project() -> Project:
    """Two chained 3-day tasks; cheap carol or pricey alice and bob can do them."""
    return project(
        (Task("a", duration=3, skills=BE), Task("b", duration=3, skills=BE)),
        Resource("alice", skills=BE, cost_rate=100.0),
        Resource("bob", skills=BE, cost_rate=100.0),
        Resource("carol", skills=BE, cost_rate=10.0),
    )


def test_cost_weight_prefers_the_cheaper_person_at_equal_makespan() -> None:
    chained = dataclasses.replace(
        staffing_project(), dependencies=(Dependency("a", "b"),)
    )
    plan = solve_people(chained, OPTIONS, weights=StaffingWeights(cost=1.0))
    assert plan.makespan == 6
    assert plan.assignments == {"a": ["carol"], "b": ["carol"]}


def test_makespan_still_wins_over_cost_with_default_weights() -> None:
    parallel = staffing_project()
    plan = solve_people(parallel, OPTIONS, weights=StaffingWeights(cost=1.0))
    assert plan.makespan == 3  # carol alone would take 6 days
    assert "carol" in {p for people in plan.assignments.values() for p in people}


def test_balance_weight_spreads_work() -> None:
    tasks = tuple(Task(f"t{i}", duration=2, skills=BE) for i in range(4))
    chain = tuple(Dependency(f"t{i}", f"t{i + 1}") for i in range(3))
    both = dataclasses.replace(
        project(tasks, Resource("alice", skills=BE), Resource("bob", skills=BE)),
        dependencies=chain,
    )
    plan = solve_people(both, OPTIONS, weights=StaffingWeights(balance=10))
    counts = sorted(
        sum(person in people for people in plan.assignments.values())
        for person in ("alice", "bob")
    )
    assert counts == [2, 2]


def test_continuity_weight_keeps_related_tasks_with_one_person() -> None:
    chained = dataclasses.replace(
        staffing_project(), dependencies=(Dependency("a", "b"),)
    )
    plan = solve_people(
        chained, OPTIONS, weights=StaffingWeights(balance=10, continuity=100)
    )
    assert plan.assignments["a"] == plan.assignments["b"]
    split = solve_people(chained, OPTIONS, weights=StaffingWeights(balance=10))
    assert split.assignments["a"] != split.assignments["b"]


def test_planners_reach_the_cost_weight_through_solve_options() -> None:
    chained = dataclasses.replace(
        staffing_project(), dependencies=(Dependency("a", "b"),)
    )
    plan = solve(chained, dataclasses.replace(OPTIONS, cost_weight=1.0))
    assert plan.makespan == 6
    assert plan.assignments == {"a": ["carol"], "b": ["carol"]}
    # Tight: without the weight any of the three equally fast people may do it.
    assert solve(chained, OPTIONS).makespan == 6


def test_staffing_weights_join_the_tardiness_objective() -> None:
    due = dataclasses.replace(
        staffing_project(),
        tasks=tuple(
            dataclasses.replace(t, timing=dataclasses.replace(t.timing, due=3))
            for t in staffing_project().tasks
        ),
    )
    options = dataclasses.replace(
        OPTIONS, objective=Objective.TARDINESS, cost_weight=1.0
    )
    plan = solve(due, options)
    # Being late costs more than paying alice or bob: both tasks run at once.
    assert plan.makespan == 3
    assert "carol" in {p for people in plan.assignments.values() for p in people}


def test_the_search_minimises_cost_on_a_large_project() -> None:
    generated = multiskill_project(80, 10, seed=2)
    options = SolveOptions(time_limit=4.0, workers=1, seed=0)
    plain = solve(generated, options)
    cheap = solve(generated, dataclasses.replace(options, cost_weight=1.0))
    assert validate_plan(generated, cheap) == []
    assert staffing_cost(generated, cheap) < staffing_cost(generated, plain)


def test_negative_staffing_weights_are_refused() -> None:
    with pytest.raises(ValidationError, match="cost_weight"):
        SolveOptions(cost_weight=-1.0)


def staffing_cost(project: Project, plan: Plan) -> float:
    return sum(
        project.resource(person).cost_rate * project.task(t.task_id).planned_duration
        for t in plan.tasks
        for person in t.assignees
    )


def test_work_pauses_over_the_day_off_of_equipment_it_demands() -> None:
    """As MS Project pauses work over a resource's holiday: the task starts
    on Monday and resumes after the crane's Tuesday off; a task that may not
    pause waits for the crane's next working stretch."""
    crane = Resource("crane", absences=(Absence(date(2027, 1, 5), date(2027, 1, 5)),))
    task = Task("a", duration=3, demands={"crane": 1})
    splittable = solve(project((task,), crane), OPTIONS)
    assert (splittable.scheduled("a").start, splittable.scheduled("a").finish) == (0, 4)
    whole = Task("a", duration=3, demands={"crane": 1}, splittable=False)
    unsplit = solve(project((whole,), crane), OPTIONS)
    assert (unsplit.scheduled("a").start, unsplit.scheduled("a").finish) == (2, 5)


def test_work_done_keeps_its_actual_dates_over_its_equipments_day_off() -> None:
    """Progress says when a started task worked (MS Project's timephased2
    files): its span is not stretched over the crane's day off again."""
    crane = Resource("crane", absences=(Absence(date(2027, 1, 5), date(2027, 1, 5)),))
    done = Task(
        "a",
        duration=3,
        demands={"crane": 1},
        timing=TaskTiming(actual_start=0, actual_finish=3),
    )
    plan = solve(project((done, Task("b", duration=1)), crane), OPTIONS)
    assert (plan.scheduled("a").start, plan.scheduled("a").finish) == (0, 3)
