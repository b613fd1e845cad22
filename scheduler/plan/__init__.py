"""The plan: a schedule (starts, people), placing and left-justifying it,
its floats, its translation into a `domain.Plan`, and the independent check.

Here belongs what reads or shapes a finished schedule without a solver:
placement by resource profiles, the left shift, CPM floats on the levelled
plan, the result, and `validator` (which knows nothing of how a plan was
found).
"""
