"""The CP-SAT model: variables, one named constraint per rule, and the terms
an objective weighs (makespan, tardiness, shift, lateness: `terms`; cost,
balance, continuity: `staffing`), each with its expression and its value on a
schedule, combined by `objectives` as the named objective weighs them
(`domain.objectives`).

Here belongs everything that writes into a `cp_model.CpModel`, and what a
plan says it optimised (the objective's statement and its value). The search
builds its models here; it never adds a constraint of its own.
"""
