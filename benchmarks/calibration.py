"""Synthetic history for calibration: finished projects whose work took a
known multiple of its most likely estimate (with lognormal noise), so the
backtest's figures can be checked against what was put in."""

from __future__ import annotations

from typing import Any

import numpy as np

from service.usecases import Planforge

GROUPS = ("frontend", "backend", "qa")


def synthetic_project(
    rng: np.random.Generator, name: str, tasks: int, ratio: float, noise: float
) -> dict[str, Any]:
    """A finished chain: each task's most likely m in 3..10 days, its actual
    round(ratio x m x exp(noise Z)) days (at least 1)."""
    documents, day = [], 0
    for number in range(tasks):
        likely = float(rng.integers(3, 11))
        took = max(1, round(ratio * likely * float(np.exp(noise * rng.normal()))))
        documents.append(
            {
                "id": f"t{number}",
                "group": GROUPS[number % len(GROUPS)],
                "estimate": {
                    "optimistic": 0.8 * likely,
                    "most_likely": likely,
                    "pessimistic": 1.4 * likely,
                    "distribution": "triangular",
                },
                "actual_start": day,
                "actual_finish": day + took,
            }
        )
        day += took
    chain = [{"from": f"t{k}", "to": f"t{k + 1}"} for k in range(tasks - 1)]
    return {
        "name": name,
        "status_date": day,
        "tasks": documents,
        "dependencies": chain,
    }


def record_history(
    app: Planforge,
    projects: int,
    tasks: int = 9,
    ratio: float = 1.5,
    noise: float = 0.15,
    seed: int = 0,
) -> None:
    """Record `projects` finished synthetic projects in the app's store."""
    rng = np.random.default_rng(seed)
    for number in range(projects):
        document = synthetic_project(rng, f"history {number}", tasks, ratio, noise)
        app.create_project(document, "history")
