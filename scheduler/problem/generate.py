"""Seeded multi-skill projects for benchmarks and tests (50 people x 500 tasks).

The same `seed` gives the same project on every machine (NumPy's PCG64). Tasks
form a layered network (each takes 0-3 predecessors among the previous ~40
tasks), ask for one or two skills at level 0-2, and one person (sometimes two);
every task has at least two qualified people. People hold 3-6 of the skills at
levels 0-3, a cost rate, and optionally one or two absences in the first months.

`dense_multiskill_project` is people-limited instead: tasks come in work
packages of `PACKAGE` with short chains inside, so the work per person is at
least twice the critical path; some people may work part time (three days).
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import numpy as np

from domain import Absence, Calendar, Dependency, Project, Resource, Task

START = date(2027, 1, 4)
WINDOW = 40  # predecessors are drawn among this many earlier tasks
PACKAGE = 4  # tasks per work package in the dense family
PART_TIME_WEEKS = (("Mon", "Tue", "Wed"), ("Tue", "Wed", "Thu"), ("Wed", "Thu", "Fri"))


def multiskill_project(
    tasks: int = 500,
    people: int = 50,
    skills: int = 12,
    seed: int = 0,
    absences: bool = False,
    name: str | None = None,
) -> Project:
    """A reproducible staffing project; see the module docstring."""
    rng = np.random.default_rng(seed)
    staff = tuple(_person(rng, index, skills, absences) for index in range(people))
    work = [_task(rng, index, skills, staff) for index in range(tasks)]
    dependencies = []
    for index in range(1, tasks):
        count = int(rng.integers(0, 4))
        low = max(0, index - WINDOW)
        for before in sorted(set(rng.integers(low, index, size=count).tolist())):
            dependencies.append(Dependency(f"t{before}", f"t{index}"))
    return Project(
        name=name or f"multiskill-{tasks}x{people}-s{seed}",
        tasks=tuple(work),
        start=START,
        resources=staff,
        dependencies=tuple(dependencies),
    )


def dense_multiskill_project(
    tasks: int = 500,
    people: int = 50,
    skills: int = 12,
    seed: int = 0,
    part_time: float = 0.0,
) -> Project:
    """A reproducible people-limited staffing project (see the module
    docstring); a `part_time` share of people works three days a week."""
    rng = np.random.default_rng(seed)
    staff = []
    for index in range(people):
        person = _person(rng, index, skills, absences=False)
        if rng.random() < part_time:
            week = PART_TIME_WEEKS[int(rng.integers(len(PART_TIME_WEEKS)))]
            person = dataclasses.replace(person, calendar=Calendar(week))
        staff.append(person)
    work = [_task(rng, index, skills, tuple(staff)) for index in range(tasks)]
    dependencies = []
    for index in range(tasks):
        first = index - index % PACKAGE
        if index > first and rng.random() < 0.6:
            before = int(rng.integers(first, index))
            dependencies.append(Dependency(f"t{before}", f"t{index}"))
    return Project(
        name=f"dense-{tasks}x{people}-s{seed}" + ("-pt" if part_time else ""),
        tasks=tuple(work),
        start=START,
        resources=tuple(staff),
        dependencies=tuple(dependencies),
    )


def portfolio_projects(
    projects: int = 20, tasks: int = 100, people: int = 100, seed: int = 0
) -> list[Project]:
    """`projects` seeded projects sharing one staff of `people`, with priorities
    1-5, starts staggered by up to eight weeks and deadlines (working days)."""
    rng = np.random.default_rng(seed)
    staff = tuple(_person(rng, index, 16, absences=False) for index in range(people))
    portfolio = []
    for number in range(projects):
        work = [_task(rng, index, 16, staff) for index in range(tasks)]
        dependencies = []
        for index in range(1, tasks):
            low = max(0, index - WINDOW)
            count = int(rng.integers(0, 3))
            for before in sorted(set(rng.integers(low, index, size=count).tolist())):
                dependencies.append(Dependency(f"t{before}", f"t{index}"))
        portfolio.append(
            Project(
                name=f"P{number:02d}",
                tasks=tuple(work),
                start=START + timedelta(weeks=int(rng.integers(0, 9))),
                deadline=int(rng.integers(tasks // 2, tasks * 2)),
                resources=staff,
                dependencies=tuple(dependencies),
                priority=int(rng.integers(1, 6)),
            )
        )
    return portfolio


def _person(
    rng: np.random.Generator, index: int, skills: int, absences: bool
) -> Resource:
    held = rng.choice(skills, size=int(rng.integers(3, 7)), replace=False)
    away: tuple[Absence, ...] = ()
    if absences:
        spells = []
        for _ in range(int(rng.integers(0, 3))):
            first = START + timedelta(days=int(rng.integers(0, 120)))
            spells.append(
                Absence(first, first + timedelta(days=int(rng.integers(0, 10))))
            )
        away = tuple(spells)
    return Resource(
        id=f"p{index}",
        skills={f"S{s}": int(rng.integers(0, 4)) for s in sorted(held.tolist())},
        cost_rate=float(rng.integers(20, 101)),
        absences=away,
    )


def _task(
    rng: np.random.Generator, index: int, skills: int, staff: tuple[Resource, ...]
) -> Task:
    """A task with a skill need at least two people meet (redrawn until so)."""
    while True:
        count = 1 if rng.random() < 0.8 else 2
        asked = rng.choice(skills, size=count, replace=False)
        need = {f"S{s}": int(rng.integers(0, 3)) for s in sorted(asked.tolist())}
        people = 2 if rng.random() < 0.1 else 1
        task = Task(
            id=f"t{index}",
            duration=int(rng.integers(1, 21)),
            skills=need,
            people=people,
        )
        if sum(person.qualifies_for(task) for person in staff) >= people + 1:
            return task
