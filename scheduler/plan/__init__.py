"""The plan: a schedule (starts, people), placing and left-justifying it,
its floats, its translation into a `domain.Plan`, and the independent check.

Here belongs what reads or shapes a finished schedule without a solver:
the schedule itself (`schedule`), placement by resource profiles
(`placement`) and moving placed tasks (`shifting`: the left and right
shifts), CPM floats on the levelled plan, the result, and `validator` (its
rules by kind; it knows nothing of how a plan was found).
"""
