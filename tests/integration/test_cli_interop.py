"""`planforge import` and `planforge export` against a store in a temp dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from uuid import UUID

import pytest
from lxml import etree

from service.cli import main

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANFORGE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PLANFORGE_DATABASE_URL", raising=False)


def test_import_prints_the_id_and_what_was_not_mapped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["import", str(DATA / "mspdi" / "sample1.xml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    UUID(lines[0])
    assert "  mapped 22 tasks" in lines
    assert "  mapped 4 summary tasks" in lines
    assert "  mapped 18 task priorities (as weights of lateness)" in lines


def test_psplib_imports_into_the_store_and_exports_as_mspdi(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["import", str(DATA / "j301_1.sm"), "--json"]) == 0
    imported = json.loads(capsys.readouterr().out)
    assert imported["mapped"] == {"tasks": 32, "links": 48}
    target = tmp_path / "j301_1.xml"
    assert main(["export", imported["id"], "--format", "mspdi", "-o", str(target)]) == 0
    schema = etree.XMLSchema(etree.parse(DATA / "mspdi" / "mspdi_pj12.xsd"))
    assert schema.validate(etree.parse(target)), schema.error_log


def test_bad_files_exit_2_naming_the_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<Project>\n<Tasks>\n")
    assert main(["import", str(broken)]) == 2
    assert "line 3" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "plan.txt"), "--format", "csv"]) == 2
    assert main(["export", "not-an-id", "--format", "csv"]) == 2


def test_import_into_a_pipe_closed_early_exits_quietly(tmp_path: Path) -> None:
    """`planforge import FILE | head -1`: the reader is gone before the id is
    printed; the command ends with 141 (128 + SIGPIPE), no traceback."""
    command = "import sys; from service.cli import main; sys.exit(main())"
    process = subprocess.Popen(
        [sys.executable, "-c", command, "import", str(DATA / "mspdi" / "sample1.xml")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PLANFORGE_DATA_DIR": str(tmp_path)},
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # before the interpreter has even loaded planforge
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert "Traceback" not in errors
    assert "BrokenPipeError" not in errors
