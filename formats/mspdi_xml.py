"""MSPDI (MS Project XML) basics shared by the reader and the writer: the
namespace, safe parsing, typed reads of child elements that name the element
and line on error, ISO 8601 durations, and MS Project's code tables."""

from __future__ import annotations

import math
import re
from datetime import datetime

from lxml import etree

from domain import DependencyType, ValidationError
from domain.constraint import ConstraintType
from formats.clock import FIRST_YEAR, LAST_YEAR

NS = "http://schemas.microsoft.com/project"
Q = f"{{{NS}}}"

# PredecessorLink/Type: 0=FF, 1=FS, 2=SF, 3=SS.
LINK_TYPES = {
    "0": DependencyType.FF,
    "1": DependencyType.FS,
    "2": DependencyType.SF,
    "3": DependencyType.SS,
}
LINK_CODES = {kind: code for code, kind in LINK_TYPES.items()}
# Task/ConstraintType: 0=ASAP, 1=ALAP, 2=MSO, 3=MFO, 4=SNET, 5=SNLT, 6=FNET, 7=FNLT.
CONSTRAINTS = dict(
    enumerate(
        (
            ConstraintType.ASAP,
            ConstraintType.ALAP,
            ConstraintType.MSO,
            ConstraintType.MFO,
            ConstraintType.SNET,
            ConstraintType.SNLT,
            ConstraintType.FNET,
            ConstraintType.FNLT,
        )
    )
)
CONSTRAINT_CODES = {kind: code for code, kind in CONSTRAINTS.items()}
# LagFormat / DurationFormat: 3 m, 5 h, 7 d, 9 w, 11 mo (+1: elapsed), 19 %
# (+1 elapsed); 35.. are the same with "?" (estimated): subtract 32.
ELAPSED_FORMATS = {4, 6, 8, 10, 12, 20}
PERCENT_FORMATS = {19, 20}
DAYS_FORMAT = 7
ELAPSED_DAYS_FORMAT = 8  # "ed": days of 24 h of the clock, every day
MINUTES_PER_CLOCK_DAY = 24 * 60

_DURATION = re.compile(
    r"^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def parse_xml(data: bytes) -> etree._Element:
    """The root of an MSPDI file; ValidationError naming the line if malformed.

    No DTDs, entities or network: a file cannot make the parser fetch or
    expand anything.
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno or 0
        raise ValidationError.at(
            f"line {line}", f"malformed XML: {error.msg}"
        ) from None
    if root.tag != f"{Q}Project":
        raise ValidationError.at(
            f"line {root.sourceline}",
            f"expected an MS Project XML <Project> in namespace {NS}, "
            f"got <{etree.QName(root).text}>",
        )
    return root


def where(element: etree._Element, tag: str) -> str:
    """`Task[UID=5].Duration (line 80)`: how errors name a field."""
    owner = etree.QName(element).localname
    uid = element.findtext(f"{Q}UID")
    name = f"{owner}[UID={uid}]" if uid is not None else owner
    return f"{name}.{tag} (line {element.sourceline})"


def text(element: etree._Element, tag: str, default: str = "") -> str:
    found = element.findtext(f"{Q}{tag}")
    return default if found is None else found.strip()


def number(element: etree._Element, tag: str, default: float = 0.0) -> float:
    raw = text(element, tag)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValidationError.at(where(element, tag), f"expected a number, got {raw!r}")
    return value


def flag(element: etree._Element, tag: str) -> bool:
    return text(element, tag) in ("1", "true")


def moment(element: etree._Element, tag: str) -> datetime | None:
    raw = text(element, tag)
    if not raw or raw.startswith("NA"):
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationError.at(
            where(element, tag), f"expected a date-time, got {raw!r}"
        ) from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError.at(
            where(element, tag), f"{raw}: outside the years {FIRST_YEAR}..{LAST_YEAR}"
        )
    return value


def minutes(element: etree._Element, tag: str) -> float | None:
    """An xsd:duration (PT8H0M0S) in minutes; None when absent."""
    raw = text(element, tag)
    if not raw:
        return None
    match = _DURATION.match(raw)
    if match is None:
        raise ValidationError.at(
            where(element, tag), f"expected a duration like PT8H0M0S, got {raw!r}"
        )
    sign, years, months, days, hours, mins, secs = match.groups()
    if years or months:
        raise ValidationError.at(where(element, tag), "years or months are ambiguous")
    total = (
        float(days or 0) * 24 * 60
        + float(hours or 0) * 60
        + float(mins or 0)
        + float(secs or 0) / 60
    )
    return -total if sign else total


def elapsed_days(task: etree._Element) -> int | None:
    """The whole clock days (24 h each) of a task's elapsed Duration (MS
    Project's "30 edays"); None when its duration is working time, none, or
    not whole days of the clock."""
    code = base_format(int(number(task, "DurationFormat", DAYS_FORMAT)))
    total = minutes(task, "Duration") or 0.0
    if code not in ELAPSED_FORMATS or total <= 0:
        return None
    days = total / MINUTES_PER_CLOCK_DAY
    return round(days) if math.isclose(days, round(days), abs_tol=1e-9) else None


def duration_text(total_minutes: float) -> str:
    """Minutes as MS Project writes a duration: PT8H0M0S."""
    hours, rest = divmod(round(total_minutes * 60), 3600)
    mins, secs = divmod(rest, 60)
    return f"PT{hours}H{mins}M{secs}S"


def base_format(code: int) -> int:
    """A duration/lag format without its "estimated" (?) mark."""
    return code - 32 if code >= 35 else code


def add(parent: etree._Element, tag: str, value: str | datetime) -> None:
    """Append `<tag>value</tag>` (a date-time to the second) to `parent`."""
    text = value.isoformat(timespec="seconds") if isinstance(value, datetime) else value
    etree.SubElement(parent, f"{Q}{tag}").text = text


def number_text(value: float) -> str:
    """A number as written back: whole numbers bare, others to full precision."""
    return str(int(value)) if value == int(value) else repr(float(value))
