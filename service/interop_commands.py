"""`planforge import FILE` and `planforge export ID`: outside files in and out
of the store at PLANFORGE_DATABASE_URL, through the use cases of
`service.interop`.

`import` prints the new project's id, then what was mapped and every concept
that could not be, with counts (`--json`: one object). Bad input exits 2 with
a message naming the line or element.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any
from uuid import UUID

from domain import ValidationError
from service.interop_formats import EXPORT_FORMATS, IMPORT_FORMATS


def add_interop_commands(commands: Any) -> None:
    importer = commands.add_parser(
        "import",
        help="create a project from MS Project (.xml, .mpp), Primavera (.xer, "
        ".pmxml), CSV, PSPLIB, JSON and other files MPXJ reads",
    )
    importer.add_argument("file", type=Path)
    importer.add_argument(
        "--format", choices=IMPORT_FORMATS, help="default: from the file's suffix"
    )
    importer.add_argument("--name", help="the project's name (default: the file's)")
    importer.add_argument("--json", action="store_true", help="print one JSON object")
    importer.set_defaults(handler=_import)
    exporter = commands.add_parser(
        "export", help="write a stored project as MS Project XML, CSV, iCalendar, JSON"
    )
    exporter.add_argument("project_id", metavar="ID")
    exporter.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    exporter.add_argument("-o", "--output", type=Path, help="file (default: stdout)")
    exporter.set_defaults(handler=_export)


def _planforge() -> Any:
    from service.settings import Settings  # pydantic: only when used
    from service.usecases import Planforge

    return Planforge(Settings())


def _import(args: argparse.Namespace) -> int:
    from service.interop import format_of, import_file

    path: Path = args.file
    if not path.is_file():
        raise ValidationError.at("file", f"no such file: {path}")
    kind = format_of(path.name, args.format)
    result = import_file(
        _planforge(),
        path.read_bytes(),
        kind,
        args.name or "",
        _actor(),
        suffix=path.suffix.lower(),
    )
    if args.json:
        body = {"id": str(result.state.id), **result.report.as_dict()}
        print(json.dumps(body, indent=2))
        return 0
    print(result.state.id)
    for line in result.report.lines():
        print(f"  {line}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from service.interop import export_project

    try:
        project_id = UUID(args.project_id)
    except ValueError:
        raise ValidationError.at(
            "ID", f"not a project id: {args.project_id!r}"
        ) from None
    planforge = _planforge()
    state = planforge.get_project(project_id)
    data = export_project(planforge, state, args.format)
    if args.output is None:
        sys.stdout.buffer.write(data)
    else:
        args.output.write_bytes(data)
    return 0


def _actor() -> str:
    try:
        return f"{getpass.getuser()} (planforge import)"
    except OSError:
        return "planforge import"
