"""schemathesis against the served spec: a real `planforge serve` process, an
admin token, every check, bounded in time (a fixed number of examples per
operation and a fixed seed, so a failure is reproducible).

The run starts from a project with a committed plan, a job and a webhook
whose ids are handed to the generator, so the fuzzed requests reach the code
behind the 404s. It never revokes its own token (`DELETE /tokens/{name}`
would leave every later request a 401).

`PLANFORGE_SCHEMATHESIS_EXAMPLES` raises the examples per operation for a
longer hunt (CI: 12).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.serve import planforge_serve
from tests.e2e.test_http_projects import LAUNCH

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SEED = 20261130
EXAMPLES = int(os.environ.get("PLANFORGE_SCHEMATHESIS_EXAMPLES", "12"))
# Operations whose schema-valid requests the service may still refuse with a
# 422 naming the field, because the rule broken depends on the project's
# state, which no schema of the request can state: ids of tasks, resources,
# dependencies and risks that must exist (or must not exist yet), no cycle
# in the dependencies, a plan that still covers the project, a task that is
# a stage gate, a file MPXJ reads. Every other operation is held to the
# default: a schema-valid request is accepted (2xx, 3xx) or refused only for
# access, absence or a conflict (401, 403, 404, 409, 429). Values that must
# be fresh or exist (idempotency keys, token names, cursors, webhook hosts)
# are made so by tests/e2e/schemathesis_hooks.py.
STATE_DEPENDENT = {
    "POST": [
        "/projects",
        "/templates",
        "/projects/{project_id}/(tasks|resources|dependencies|risks)",
        "/projects/{project_id}/resources/{resource_id}/absences",
        "/projects/{project_id}/(changes|scenarios|progress|forecasts)",
        "/projects/{project_id}/gates/{task_id}/approve",
        "/projects/{project_id}/plans/{plan_id}/commit",
        "/ui/projects/{project_id}/scenarios/(commit|deadline)",
    ],
    "PATCH": [
        "/projects/{project_id}",
        "/projects/{project_id}/(tasks|resources|dependencies|risks)/{item_id}",
    ],
    "DELETE": [
        "/projects/{project_id}/(tasks|resources|dependencies|risks)/{item_id}",
        "/projects/{project_id}/resources/{resource_id}/absences/{start}",
    ],
    "GET": ["/ui/projects/{project_id}/scenarios"],
}
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]


def state_dependent() -> str:
    """Per operation: a 422 is an expected answer to schema-valid data."""
    statuses = json.dumps([*ACCEPTED, "422"])
    blocks = []
    for method, paths in STATE_DEPENDENT.items():
        for path in paths:
            regex = "^" + path.replace("{", "\\{").replace("}", "\\}") + "$"
            blocks.append(
                f'\n[[operations]]\ninclude-method = "{method}"\n'
                f"include-path-regex = '{regex}'\n"
                f"checks.positive_data_acceptance.expected-statuses = {statuses}\n"
            )
    return "".join(blocks)


def checks() -> str:
    """Every check, in the config file (named on the command line, a check
    would override the operations' settings)."""
    return "\n[checks]\nenabled = true\n" + state_dependent()


# Bounds on what fuzzed requests may ask of the workers (seconds, samples).
SERVER = {
    "max_time_limit": "2",
    "default_time_limit": "1",
    "max_samples": "5000",
    "default_samples": "1000",
    "webhook_timeout": "1",
}


def seeded(url: str, token: str) -> dict[str, str]:
    """A project with a committed plan, a finished job and a webhook: the ids
    the generator uses for path parameters; a page cursor for the hooks."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        project = client.post("/projects", json=LAUNCH).json()
        project_id = project["id"]
        client.post("/projects", json=LAUNCH).raise_for_status()
        cursor = client.get("/projects", params={"limit": 1}).headers["X-Next-Cursor"]
        plan_id = client.post(f"/projects/{project_id}/plans", json={}).json()["id"]
        client.post(f"/projects/{project_id}/plans/{plan_id}/commit").raise_for_status()
        job = client.post(
            f"/projects/{project_id}/forecasts",
            json={"samples": 100},
            headers={"Prefer": "respond-async"},
        )
        hook = client.post(
            "/webhooks",
            json={"url": "http://127.0.0.1:9/hook", "events": ["plan.committed"]},
        )
        assert job.status_code == 202, job.text
        assert hook.status_code == 201, hook.text
    task = LAUNCH["tasks"][1]
    resource = LAUNCH["resources"][0]
    return {
        "cursor": cursor,
        "project_id": project_id,
        "plan_id": plan_id,
        "job_id": job.json()["id"],
        "webhook_id": hook.json()["id"],
        "task_id": task["id"],
        "resource_id": resource["id"],
    }


def schemathesis(
    url: str, token: str, cursor: str, config: Path, phases: str
) -> dict[str, Any]:
    """One run of the given phases; its JSON report (the exit code in it)."""
    report = config.with_suffix(".json")
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(config),
        "run",
        f"{url}/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        "--phases",
        phases,
        # One worker: with two threads, CPython 3.11.7's ast.parse (which
        # Hypothesis calls to describe lambdas) races on its shared recursion
        # counter and raises "AST constructor recursion depth mismatch".
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--exclude-path-regex",
        "^/tokens/",
        "--suppress-health-check",
        "all",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    hooks = {
        "SCHEMATHESIS_HOOKS": "tests.e2e.schemathesis_hooks",
        "PLANFORGE_ST_CURSOR": cursor,
    }
    environment = {**os.environ, **hooks}
    code = subprocess.run(command, timeout=600, env=environment, cwd=ROOT).returncode
    outcome: dict[str, Any] = json.loads(report.read_text())
    return {**outcome, "exit_code": code}


def test_schemathesis_finds_no_server_error_and_no_contract_violation(
    tmp_path: Path,
) -> None:
    """Two runs: examples, coverage and fuzzing with the seeded ids pinned
    (so they reach the code behind the 404s); then the stateful phase, which
    takes ids from the answers it follows (a pinned id would override what
    a link carries: a webhook deleted by one step is then "not found" by a
    later one reading the pinned id)."""
    with planforge_serve(tmp_path / "data", **SERVER) as (url, token, _):
        parameters = seeded(url, token)
        cursor = parameters.pop("cursor")
        pinned, linked = tmp_path / "pinned.toml", tmp_path / "linked.toml"
        pinned.write_text(
            "[parameters]\n"
            + "".join(f'{name} = "{value}"\n' for name, value in parameters.items())
            + checks()
        )
        linked.write_text(checks())
        runs = [
            schemathesis(url, token, cursor, pinned, "examples,coverage,fuzzing"),
            schemathesis(url, token, cursor, linked, "stateful"),
        ]
    summary = json.dumps(
        [
            {key: run[key] for key in ("failures", "errors", "test_cases")}
            | {"seconds": run["running_time"]}
            for run in runs
        ],
        indent=1,
    )
    print(summary)
    assert runs[0]["operations"]["tested"] >= 60, summary
    for run in runs:
        assert run["complete"], summary
        assert not run["failures"], summary
        assert not run["errors"], summary
        assert run["exit_code"] == 0, summary
