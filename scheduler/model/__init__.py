"""The CP-SAT model: variables, one named constraint per rule, and the
objectives a plan may optimise (makespan, staffing, lateness, stability).

Here belongs everything that writes into a `cp_model.CpModel`, and what a
plan says it optimised (the objective's statement and its value). The search
builds its models here; it never adds a constraint of its own.
"""
