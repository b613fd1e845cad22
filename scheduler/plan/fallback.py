"""How a fallback plan says what it is.

When the search finds no schedule within its limit, the solve falls back on
the greedy plan (`scheduler.search.greedy.fallback_result`), re-checked by
the validator like any plan. It must not pass for the solver's answer: its
message and first warning say it is a fallback, and `is_fallback` reads that
back from any plan, recorded ones too.
"""

from __future__ import annotations

from domain import Plan

FALLBACK = "serial schedule generation"
_LABEL = f"fallback plan ({FALLBACK})"


def fallback_warning(time_limit: float) -> str:
    """What a fallback plan says of itself (message and warning)."""
    return (
        f"{_LABEL}: the solver found no schedule within {time_limit:g} s; "
        "this one is valid but not optimised"
    )


def is_fallback(plan: Plan) -> bool:
    """Whether `plan` is a fallback plan (recorded ones too: by its message)."""
    return plan.message.startswith(_LABEL)
