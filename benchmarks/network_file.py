"""A generated network as a project document: `python -m benchmarks.network_file
OUT.json [--tasks N] [--seed S]`.

The network of the forecast-speed figures: N tasks in 25 layers, each with a
triangular estimate (optimistic 0.7 m, most likely m in 1..8, pessimistic
1.2-2.5 m) and 1-3 finish-to-start predecessors in the two layers before; no
resources, so the plan is the plain forward pass.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

LAYERS = 25


def network_document(tasks: int = 1_000, seed: int = 7) -> dict[str, Any]:
    """The project document of a layered random network."""
    rng = random.Random(seed)
    per_layer = max(1, tasks // LAYERS)
    task_rows, dependencies = [], []
    for index in range(tasks):
        mode = rng.randint(1, 8)
        high = round(mode * rng.uniform(1.2, 2.5), 2)
        estimate = {"optimistic": round(0.7 * mode, 2), "most_likely": mode}
        estimate |= {"pessimistic": high, "distribution": "triangular"}
        task_rows.append({"id": f"t{index}", "estimate": estimate})
        layer = index // per_layer
        if layer == 0:
            continue
        earlier = range(max(0, (layer - 2) * per_layer), layer * per_layer)
        for predecessor in rng.sample(earlier, rng.randint(1, 3)):
            dependencies.append({"from": f"t{predecessor}", "to": f"t{index}"})
    return {
        "name": f"network-{tasks}",
        "tasks": task_rows,
        "dependencies": dependencies,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--tasks", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.out.write_text(json.dumps(network_document(args.tasks, args.seed)))


if __name__ == "__main__":
    main()
