"""MS Project files against MS Project's own dates.

`python -m benchmarks.mspdi_corpus DIR`: for every MSPDI file (`*.xml`) under
DIR: import it, plan it, re-check the plan with the validator, export it and
validate the export against `tests/data/mspdi/mspdi_pj12.xsd`; on files whose
resources MS Project did not over-allocate, compare the plan's finish date
with the latest finish MS Project stored (on the others too, counted apart:
planforge levels what MS Project left over-allocated; and apart again the
files whose plan keeps a link short for a date MS Project honours over it,
`domain.honoured`). Prints the counts
and every file that differs or is refused, with what its import report says
it could not map. Exits 1 on a crash, an invalid plan or an invalid export.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from lxml import etree

from domain import ValidationError
from domain.honoured import link_relaxations
from domain.plan import plan_finish_date
from domain.status import as_of_status
from formats.mspdi_read import read_mspdi
from formats.mspdi_write import write_mspdi
from formats.mspdi_xml import Q, flag, moment
from scheduler import SolveOptions, solve, validate_plan

SCHEMA = Path(__file__).parents[1] / "tests" / "data" / "mspdi" / "mspdi_pj12.xsd"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--time-limit", type=float, default=2.0)
    parser.add_argument("--max-kb", type=int, default=300, help="skip larger files")
    args = parser.parse_args(argv)
    schema = etree.XMLSchema(etree.parse(SCHEMA))
    counts: Counter[str] = Counter()
    for path in sorted(args.folder.rglob("*.xml")):
        if path.stat().st_size > args.max_kb * 1024:
            counts["skipped (size)"] += 1
            continue
        outcome = check(path, schema, args.time_limit)
        counts[outcome[0]] += 1
        if outcome[0] != "finish equal" and outcome[1]:
            print(f"{path.name}: {outcome[0]}: {outcome[1]}")
    print(dict(counts))
    broken = counts["crash"] + counts["invalid plan"] + counts["invalid export"]
    return 1 if broken else 0


def check(path: Path, schema: etree.XMLSchema, time_limit: float) -> tuple[str, str]:
    """(outcome, detail) for one file."""
    try:
        root = etree.parse(path).getroot()
        imported = read_mspdi(path.read_bytes())
    except ValidationError as error:
        return "refused", str(error)[:120]
    except Exception as error:  # a crash is what this script looks for
        return "crash", repr(error)[:160]
    project = imported.project
    if not project.tasks:
        return "no tasks", ""
    plan = solve(project, SolveOptions(time_limit=time_limit, workers=1, seed=0))
    if not plan.has_schedule or plan.makespan is None:
        return "no plan", f"{plan.status.value} {plan.conflicts[:1]}"
    if validate_plan(project, plan):
        return "invalid plan", "; ".join(validate_plan(project, plan))[:160]
    if not schema.validate(etree.fromstring(write_mspdi(project, plan))):
        return "invalid export", str(schema.error_log)[:160]
    finishes = [
        moment(task, "Finish")
        for task in root.iterfind(f"{Q}Tasks/{Q}Task")
        if not flag(task, "Summary") and not flag(task, "IsNull")
    ]
    dated = [finish for finish in finishes if finish is not None]
    if not dated:
        return "not compared (undated)", ""
    # MS Project left these over-allocated; planforge's plans never are.
    over = any(flag(r, "OverAllocated") for r in root.iter(f"{Q}Resource"))
    kind = "over-allocated: " if over else ""
    if link_relaxations(as_of_status(project)):  # counted apart, to be seen
        kind += "links kept short for a date: "
    ours, theirs = plan_finish_date(project, plan), max(dated).date()
    if ours == theirs:
        return f"{kind}finish equal", ""
    unmapped = dict(imported.report.unmapped)
    return f"{kind}finish differs", f"ours {ours}, MS Project {theirs}; {unmapped}"


if __name__ == "__main__":
    sys.exit(main())
