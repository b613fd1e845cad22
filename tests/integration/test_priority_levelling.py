"""Priority levelling (`scheduler.search.priority`): tasks competing for one
resource go in priority order when that costs the plan nothing, as MS
Project levels; where it would delay the finish, the finish wins.

The file is constructed: MS Project XML with one resource (max units 1)
assigned to every task, tasks of 2 days from Monday 2027-01-04.
"""

from __future__ import annotations

from formats.mspdi_read import read_mspdi
from scheduler import SolveOptions, solve, validate_plan

OPTIONS = SolveOptions(time_limit=5.0, workers=1, seed=0)


def mspdi(tasks: list[tuple[str, int, int, str]], free: str = "") -> bytes:
    """(UID, priority, days, predecessor UID or "") per task, each on R but
    the task `free`."""
    rows, assignments = [], []
    for uid, priority, days, before in tasks:
        if before:
            links = (
                f"<PredecessorLink><PredecessorUID>{before}</PredecessorUID>"
                "<Type>1</Type></PredecessorLink>"
            )
        else:
            links = ""
        rows.append(
            f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>T{uid}</Name>"
            f"<OutlineLevel>1</OutlineLevel><Priority>{priority}</Priority>"
            f"<Duration>PT{8 * days}H0M0S</Duration><DurationFormat>7</DurationFormat>"
            f"{links}</Task>"
        )
        if uid == free:
            continue
        assignments.append(
            f"<Assignment><UID>{uid}</UID><TaskUID>{uid}</TaskUID>"
            "<ResourceUID>1</ResourceUID><Units>1</Units></Assignment>"
        )
    return (
        '<?xml version="1.0"?>'
        '<Project xmlns="http://schemas.microsoft.com/project">'
        "<Name>priorities</Name><StartDate>2027-01-04T08:00:00</StartDate>"
        f"<Tasks>{''.join(rows)}</Tasks>"
        "<Resources><Resource><UID>1</UID><ID>1</ID><Name>R</Name><Type>1</Type>"
        "<MaxUnits>1</MaxUnits></Resource></Resources>"
        f"<Assignments>{''.join(assignments)}</Assignments>"
        "</Project>"
    ).encode()


def starts(data: bytes) -> dict[str, int]:
    project = read_mspdi(data).project
    plan = solve(project, OPTIONS)
    assert validate_plan(project, plan) == []
    return plan.starts


def test_priority_orders_a_contested_resource_but_never_delays_the_finish() -> None:
    # Listed first, T1 would go first on an order the objective leaves open.
    assert starts(mspdi([("1", 100, 2, ""), ("2", 900, 2, "")])) == {
        "1": 2,
        "2": 0,
    }
    assert starts(mspdi([("1", 900, 2, ""), ("2", 100, 2, "")])) == {
        "1": 0,
        "2": 2,
    }
    # T1 (low) feeds T3 (not on R): T2 first would end the plan on day 7.
    tasks = [("1", 100, 2, ""), ("2", 900, 2, ""), ("3", 500, 3, "1")]
    assert starts(mspdi(tasks, free="3")) == {"1": 0, "2": 2, "3": 2}
