"""A project CP-SAT cannot prove optimal in seconds (120 tasks, four shared
resources, like PSPLIB j120): for jobs that must still be running."""

from __future__ import annotations

import random
from typing import Any


def hard_project(seed: int = 7, tasks: int = 120) -> dict[str, Any]:
    rng = random.Random(seed)
    resources = [{"id": f"r{k}", "capacity": 10} for k in range(4)]
    items = []
    for number in range(tasks):
        demands = {f"r{k}": rng.randint(1, 7) for k in rng.sample(range(4), 2)}
        items.append(
            {"id": f"t{number}", "duration": rng.randint(1, 10), "demands": demands}
        )
    dependencies = []
    for number in range(10, tasks):
        for before in rng.sample(range(max(0, number - 25), number), 2):
            dependencies.append({"from": f"t{before}", "to": f"t{number}"})
    return {
        "name": "Hard",
        "resources": resources,
        "tasks": items,
        "dependencies": dependencies,
    }
