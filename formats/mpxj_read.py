"""Every other schedule format, through MPXJ: MS Project .mpp and .mpx,
Primavera P6 XER and PMXML, Asta Powerproject, GanttProject, Planner,
ProjectLibre, Phoenix and more (whatever MPXJ's UniversalProjectReader
recognises).

MPXJ (Java, via JPype: the optional extra `planforge[mpxj]` and a Java
runtime) reads the file into its project model in a child process
(`formats.mpxj_convert`), whose MSPDI writer hands that model over as MS
Project XML; `formats.mspdi_read` maps it onto planforge's model. One mapping
serves every format, so a concept is mapped (or reported as not held) the
same way whatever tool wrote the file. The report names the format MPXJ
detected.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

from domain import ValidationError
from formats.mspdi_read import read_mspdi
from formats.report import Imported

MPXJ_SUFFIXES = (".mpp", ".mpx", ".xer", ".pmxml", ".gan", ".pp", ".pod", ".planner")
CONVERT_SECONDS = 300  # JVM start and a large .mpp on a loaded machine


def read_with_mpxj(data: bytes, suffix: str = "", name: str = "") -> Imported:
    """Read a schedule file of any format MPXJ knows; ValidationError if MPXJ
    cannot read it (or is not installed)."""
    if importlib.util.find_spec("mpxj") is None or not _has("jpype"):
        raise ValidationError.at(
            "format",
            "reading this format needs MPXJ: pip install 'planforge[mpxj]' "
            "and a Java runtime",
        )
    with tempfile.TemporaryDirectory(prefix="planforge-mpxj-") as folder:
        source = Path(folder) / f"upload{suffix}"
        source.write_bytes(data)
        target = Path(folder) / "converted.xml"
        command = [
            sys.executable,
            "-m",
            "formats.mpxj_convert",
            str(source),
            str(target),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=CONVERT_SECONDS
            )
        except subprocess.TimeoutExpired:
            raise ValidationError.at(
                "file", f"MPXJ took over {CONVERT_SECONDS} s to read it"
            ) from None
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["no reason given"])[-1]
            raise ValidationError.at("file", reason[:300])
        imported = read_mspdi(target.read_bytes(), name)
    imported.report.format = f"mpxj:{done.stdout.strip()}"
    return imported


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None
