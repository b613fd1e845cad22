"""What every rule of the validator reads: the plan's tasks by id."""

from __future__ import annotations

from domain import ScheduledTask

Schedule = dict[str, ScheduledTask]
