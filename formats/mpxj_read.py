"""Every other schedule format, through MPXJ: MS Project .mpp and .mpx,
Primavera P6 XER and PMXML, Asta Powerproject, GanttProject, Planner,
ProjectLibre, Phoenix and more (whatever MPXJ's UniversalProjectReader
recognises).

MPXJ (Java, via JPype: the optional extra `planforge[mpxj]` and a Java
runtime) reads the file into its project model; MPXJ's own MSPDI writer then
hands that model over as MS Project XML, which `formats.mspdi_read` maps onto
planforge's model. One mapping serves every format, so a concept is mapped
(or reported as not held) the same way whatever tool wrote the file. The
report names the format MPXJ detected.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

from domain import ValidationError
from formats.mspdi_read import read_mspdi
from formats.report import Imported

MPXJ_SUFFIXES = (".mpp", ".mpx", ".xer", ".pmxml", ".gan", ".pp", ".pod", ".planner")
_JVM_LOCK = threading.Lock()


def read_with_mpxj(data: bytes, suffix: str = "", name: str = "") -> Imported:
    """Read a schedule file of any format MPXJ knows; ValidationError if MPXJ
    cannot read it (or is not installed)."""
    reader, writer = _mpxj_classes()
    with tempfile.TemporaryDirectory(prefix="planforge-mpxj-") as folder:
        source = Path(folder) / f"upload{suffix}"
        source.write_bytes(data)
        target = Path(folder) / "converted.xml"
        try:
            project = reader().read(str(source))
        except Exception as error:  # a Java exception, through JPype
            raise ValidationError.at("file", f"MPXJ cannot read it: {error}") from None
        if project is None:
            raise ValidationError.at("file", "not a schedule file MPXJ recognises")
        properties = project.getProjectProperties()
        if properties.getStartDate() is None:  # Primavera keeps a planned start
            properties.setStartDate(properties.getPlannedStart())
        detected = str(properties.getFileType() or "unknown")
        writer().write(project, str(target))
        imported = read_mspdi(target.read_bytes(), name)
    imported.report.format = f"mpxj:{detected}"
    return imported


def _mpxj_classes() -> tuple[Any, Any]:
    """MPXJ's universal reader and MSPDI writer, starting the JVM once."""
    try:
        import jpype
        import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)
    except ImportError:
        raise ValidationError.at(
            "format",
            "reading this format needs MPXJ: pip install 'planforge[mpxj]' "
            "and a Java runtime",
        ) from None
    with _JVM_LOCK:
        if not jpype.isJVMStarted():
            try:
                jpype.startJVM()
            except (OSError, jpype.JVMNotFoundException) as error:
                raise ValidationError.at(
                    "format", f"MPXJ needs a Java runtime: {error}"
                ) from None
    reader = jpype.JClass("org.mpxj.reader.UniversalProjectReader")
    writer = jpype.JClass("org.mpxj.mspdi.MSPDIWriter")
    return reader, writer
