"""The plain NumPy reference of the forecast-speed target:
`python benchmarks/numpy_reference.py FILE.json [--samples N] [--seed S]`.

What a competent analyst writes in a few lines: read the document, draw every
triangular estimate (`Generator.triangular`), one forward pass in topological
order, the project's mean, P50, P80 and P95, printed as JSON. No planforge
import: it is the yardstick `planforge forecast FILE --json` is timed against.
"""

from __future__ import annotations

import argparse
import json
from graphlib import TopologicalSorter
from pathlib import Path

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("--samples", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    document = json.loads(args.file.read_text())
    tasks = {task["id"]: task for task in document["tasks"]}
    predecessors: dict[str, list[str]] = {task_id: [] for task_id in tasks}
    for dependency in document.get("dependencies", []):
        predecessors[dependency["to"]].append(dependency["from"])
    rng = np.random.default_rng(args.seed)
    finish: dict[str, np.ndarray] = {}
    zero = np.zeros(args.samples)
    for task_id in TopologicalSorter(predecessors).static_order():
        estimate = tasks[task_id]["estimate"]
        duration = rng.triangular(
            estimate["optimistic"],
            estimate["most_likely"],
            estimate["pessimistic"],
            args.samples,
        )
        start = zero
        for predecessor in predecessors[task_id]:
            start = np.maximum(start, finish[predecessor])
        finish[task_id] = start + duration
    project = np.max(np.stack(list(finish.values())), axis=0)
    p50, p80, p95 = np.percentile(project, [50, 80, 95])
    summary = {"mean": project.mean(), "p50": p50, "p80": p80, "p95": p95}
    print(json.dumps({"duration": summary}))


if __name__ == "__main__":
    main()
