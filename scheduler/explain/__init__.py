"""Explanations: why no plan exists, in a planner's words.

Here belongs what turns a failed solve into sentences: the time constraints
that conflict (found by `scheduler.problem.chains` and by CP-SAT assumptions)
and the resource or group of people a conflict overloads. Why a task moved
between two plans is told by `domain.moves`, which needs no solver.
"""
