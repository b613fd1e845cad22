"""The problem: what the solver is asked, in its own integer terms, and what
follows from it before any search.

Here belong the `SchedulingProblem` built from a `domain.Project` (`instance`)
and its parts (task windows, people's time, resource shares), the checks and
relaxations read off it alone (longest paths, time conflicts, lower bounds),
and seeded instances for tests and benchmarks. Nothing here imports the solver
or knows of a schedule.
"""
