"""The iMOPSE `.def` reader and the pool lower bounds on a tiny instance."""

from __future__ import annotations

import pytest

from domain import ValidationError
from formats.imopse import parse_imopse
from scheduler.problem.bounds import assignment_lower_bound, skill_pools
from scheduler.problem.instance import SchedulingProblem

TINY = """\
General characteristics:
Tasks: 4
Resources: 3
Precedence relations: 2
Number of skill types: 2
=====
ResourceID \t Salary \t Skills
1\t\t\t10.0\t\t Q0: 2 \t  Q1: 0 \t
2\t\t\t20.5\t\t Q0: 1 \t
3\t\t\t30.0\t\t Q1: 1 \t
=====
TaskID \t Duration \t Skill \t Predecessor IDs
1\t\t\t5\t Q0: 2
2\t\t\t3\t Q0: 1\t\t1
3\t\t\t4\t Q1: 1
4\t\t\t6\t Q1: 0\t\t2 3\t
=====
"""


def test_reads_people_skills_tasks_and_predecessors() -> None:
    project = parse_imopse(TINY, name="tiny")
    assert [r.id for r in project.resources] == ["R1", "R2", "R3"]
    assert project.resource("R2").skills == {"Q0": 1}
    assert project.resource("R2").cost_rate == 20.5
    assert project.task("4").skills == {"Q1": 0}
    assert project.task("1").planned_duration == 5
    assert {(d.predecessor, d.successor) for d in project.dependencies} == {
        ("1", "2"),
        ("2", "4"),
        ("3", "4"),
    }
    assert [p.id for p in project.qualified_people(project.task("1"))] == ["R1"]


def test_a_count_mismatch_is_named() -> None:
    with pytest.raises(ValidationError, match="Tasks: header says 5"):
        parse_imopse(TINY.replace("Tasks: 4", "Tasks: 5"))


def test_pool_bound_beats_critical_path_and_average_work() -> None:
    problem = SchedulingProblem.from_project(parse_imopse(TINY))
    # Critical path 1 -> 2 -> 4 is 14; total work 18 / 3 people = 6. R1 alone
    # must do task 1 (5 days); R1 and R2 must do tasks 1 and 2 after no head.
    assert problem.critical_path_length() == 14
    pools = skill_pools(problem)
    by_people = {tuple(sorted(pool.people)): pool for pool in pools}
    assert by_people[(0,)].tasks == (0,)
    assert by_people[(0,)].bound == 0 + 5 + 9  # head 0, work 5, tail 3 + 6
    assert assignment_lower_bound(problem) == 14
