"""schemathesis against the served spec: a real `planforge serve` process, an
admin token, every check, bounded in time (a fixed number of examples per
operation and a fixed seed, so a failure is reproducible).

The run starts from a project with a committed plan, a job and a webhook
whose ids are handed to the generator, so the fuzzed requests reach the code
behind the 404s. It never revokes its own token (`DELETE /tokens/{name}`
would leave every later request a 401).

`PENDING` holds the checks the contract does not meet yet: left out of the
run until the typed contract lands (then empty it). To list what they find,
run with `PLANFORGE_SCHEMATHESIS_ALL=1`; `PLANFORGE_SCHEMATHESIS_EXAMPLES`
raises the examples per operation for a longer hunt (CI: 12).
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

SEED = 20261130
EXAMPLES = int(os.environ.get("PLANFORGE_SCHEMATHESIS_EXAMPLES", "12"))
ALL = os.environ.get("PLANFORGE_SCHEMATHESIS_ALL") == "1"
# Checks the served contract does not meet yet (issue 13's typed contract):
# schema-valid values the service refuses (an empty If-Match, names, roles,
# URLs, cursors the schema does not restrict; `as_of` with `version`).
PENDING = ("positive_data_acceptance",)
# The pages read repeated query values (`?task=a&task=b`) as text: a value
# drawn as "not a string" reaches them as one, a negative case no URL can
# carry, which negative_data_rejection would count as accepted.
PAGES = """
[[operations]]
include-path-regex = "^/ui/"
checks.negative_data_rejection.enabled = false
"""


def checks() -> str:
    """Every check (in the config file: named on the command line, a check
    would override the pages' exception), but those PENDING."""
    pending = () if ALL else PENDING
    return (
        "\n[checks]\nenabled = true\n"
        + "".join(f"{check}.enabled = false\n" for check in pending)
        + PAGES
    )


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
    the generator uses for path parameters."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        project = client.post("/projects", json=LAUNCH).json()
        project_id = project["id"]
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
        "project_id": project_id,
        "plan_id": plan_id,
        "job_id": job.json()["id"],
        "webhook_id": hook.json()["id"],
        "task_id": task["id"],
        "resource_id": resource["id"],
    }


def schemathesis(url: str, token: str, config: Path, report: Path) -> int:
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
    return subprocess.run(command, timeout=600).returncode


def test_schemathesis_finds_no_server_error_and_no_contract_violation(
    tmp_path: Path,
) -> None:
    with planforge_serve(tmp_path / "data", **SERVER) as (url, token, _):
        config = tmp_path / "schemathesis.toml"
        parameters = seeded(url, token)
        config.write_text(
            "[parameters]\n"
            + "".join(f'{name} = "{value}"\n' for name, value in parameters.items())
            + checks()
        )
        report = tmp_path / "schemathesis.json"
        code = schemathesis(url, token, config, report)
    outcome: dict[str, Any] = json.loads(report.read_text())
    summary = json.dumps(
        {k: outcome[k] for k in ("failures", "errors", "test_cases", "running_time")},
        indent=1,
    )
    assert outcome["complete"], summary
    assert outcome["operations"]["tested"] >= 60, summary
    assert not outcome["failures"], summary
    assert not outcome["errors"], summary
    assert code == 0, summary
