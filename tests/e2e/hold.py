"""Work that keeps a worker busy for a while (spinning, as a solve would)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any


def hold(seconds: float, *, report: Callable[[Mapping[str, Any]], None]) -> float:
    """Spin on the CPU for `seconds`, then return them."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        pass
    return seconds
