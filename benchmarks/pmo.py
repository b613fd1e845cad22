"""A PMO's portfolio for the nightly run at scale, and its measurement.

`python -m benchmarks.pmo generate [--projects 1000] [--tasks 100] [--people 300]`
records the projects in the store at PLANFORGE_DATABASE_URL (through the use
cases): each a layered network of `--tasks` tasks (triangular estimates, 1-3
predecessors), starting on the same Monday; `--people` people shared across
projects, each on 3-10 of them (by id: one person, many projects); a fifth of
the projects resource-tight (most tasks need one of its people), the others
with a few tasks for people and the rest for outside parties.

`python -m benchmarks.pmo check` prints the people overbooked across the
committed plans (none after `planforge replan --commit`), and how many plans
each project has, and the committed plans by status (fallback plans apart).

`python -m benchmarks.pmo throughput [--projects 40] [--workers 1 2]` replans
(with --commit) a fresh portfolio of that many projects on a Dask
LocalCluster of each size (one thread per worker, CP-SAT on one thread) and
prints projects per minute, in all and per worker, and the CPU seconds of
this process (loading, recording, committing: one after the other) and of
the workers (solving, forecasting).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import Counter
from typing import Any

import scheduler
from service.settings import Settings
from service.usecases import Planforge

START = "2027-01-04"
LAYERS = 10


def portfolio(
    projects: int, tasks: int, people: int, seed: int = 1
) -> list[dict[str, Any]]:
    """The project documents; project k is resource-tight when k % 5 == 0."""
    rng = random.Random(seed)
    teams: list[set[str]] = [set() for _ in range(projects)]
    load = {f"p{person:03d}": rng.randint(3, 10) for person in range(people)}
    for person, count in load.items():
        for project in rng.sample(range(projects), min(projects, count)):
            teams[project].add(person)
    # Random memberships may leave a project without anyone: it takes the
    # person on the fewest projects still below 10.
    for team in teams:
        if not team:
            person = min(load, key=lambda p: (load[p] >= 10, load[p]))
            load[person] += 1
            team.add(person)
    return [
        _project(rng, k, sorted(team), tasks, tight=k % 5 == 0)
        for k, team in enumerate(teams)
    ]


def _project(
    rng: random.Random, number: int, team: list[str], size: int, tight: bool
) -> dict[str, Any]:
    per_layer = max(1, size // LAYERS)
    rows, links = [], []
    for index in range(size):
        mode = rng.randint(1, 8)
        high = round(mode * rng.uniform(1.2, 2.5), 1)
        estimate = {"optimistic": round(0.7 * mode, 1), "most_likely": mode}
        row: dict[str, Any] = {
            "id": f"t{index}",
            "estimate": {**estimate, "pessimistic": high, "distribution": "triangular"},
        }
        if rng.random() < (0.6 if tight else 0.1):
            row["skills"] = {"work": 1}
        rows.append(row)
        layer = index // per_layer
        if layer:
            earlier = range(max(0, (layer - 2) * per_layer), layer * per_layer)
            for predecessor in rng.sample(
                earlier, min(len(earlier), rng.randint(1, 3))
            ):
                links.append({"from": f"t{predecessor}", "to": f"t{index}"})
    return {
        "name": f"project-{number:04d}{'-tight' if tight else ''}",
        "start": START,
        "resources": [{"id": p, "capacity": 1, "skills": {"work": 1}} for p in team],
        "tasks": rows,
        "dependencies": links,
    }


def generate(args: argparse.Namespace) -> None:
    app = Planforge(Settings())
    documents = portfolio(args.projects, args.tasks, args.people, args.seed)
    for document in documents:
        app.create_project(document, "pmo")
    memberships = Counter(r["id"] for d in documents for r in d["resources"])
    print(
        f"{len(documents)} projects, {len(memberships)} people, "
        f"{min(memberships.values())}-{max(memberships.values())} projects each"
    )


def check(args: argparse.Namespace) -> None:
    app = Planforge(Settings())
    overbooked = app.store.resource_load.catch_up().overbooked()
    plans = Counter[int]()
    committed = Counter[str]()
    for project_id in app.store.project_ids():
        types = Counter(e.type for e in app.store.events(project_id))
        plans[types["PlanProposed"]] += 1
        record = app.store.committed_plan(project_id)
        status = "none" if record is None else record.plan.status.value
        fallback = record is not None and scheduler.is_fallback(record.plan)
        committed[f"{status} (fallback plan)" if fallback else status] += 1
    print(f"people overbooked across committed plans: {len(overbooked)}")
    print("projects by plans recorded:", dict(sorted(plans.items())))
    print("committed plans by status:", dict(sorted(committed.items())))


def throughput(args: argparse.Namespace) -> None:
    from distributed import Client, LocalCluster

    from service.batch import replan_all
    from service.compute import ForecastRequest, PlanRequest

    documents = portfolio(args.projects, args.tasks, args.people, args.seed)
    plan = PlanRequest(args.time_limit, workers=1, stability_weight=1)
    forecast = ForecastRequest(args.samples, 1)
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as folder:
            app = Planforge(Settings(database_url=f"sqlite:///{folder}/pmo.db"))
            for document in documents:
                app.create_project(document, "pmo")
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True
            )
            with cluster, Client(cluster) as client:
                began, own = time.perf_counter(), time.process_time()
                theirs = sum(client.run(time.process_time).values())
                outcomes = replan_all(
                    app,
                    plan,
                    forecast,
                    executor=client.get_executor(),
                    commit=True,
                    in_flight=2 * workers,
                )
                seconds = time.perf_counter() - began
                own = time.process_time() - own
                theirs = sum(client.run(time.process_time).values()) - theirs
            planned = sum(o.makespan is not None for o in outcomes)
            rate = 60 * len(outcomes) / seconds
            print(
                f"{workers} worker(s): {len(outcomes)} projects ({planned} planned) "
                f"in {seconds:.1f} s: {rate:.1f} projects/min, "
                f"{rate / workers:.1f} per worker; CPU seconds: this process "
                f"(load, record, commit) {own:.1f}, the workers (solve, "
                f"forecast) {theirs:.1f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate")
    make.add_argument("--projects", type=int, default=1_000)
    make.add_argument("--tasks", type=int, default=100)
    make.add_argument("--people", type=int, default=300)
    make.add_argument("--seed", type=int, default=1)
    make.set_defaults(handler=generate)
    commands.add_parser("check").set_defaults(handler=check)
    speed = commands.add_parser("throughput")
    speed.add_argument("--projects", type=int, default=40)
    speed.add_argument("--tasks", type=int, default=100)
    speed.add_argument("--people", type=int, default=12)
    speed.add_argument("--seed", type=int, default=1)
    speed.add_argument("--time-limit", type=float, default=2.0)
    speed.add_argument("--samples", type=int, default=10_000)
    speed.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    speed.set_defaults(handler=throughput)
    args = parser.parse_args()
    args.handler(args)


if __name__ == "__main__":
    main()
