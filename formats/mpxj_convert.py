"""`python -m formats.mpxj_convert SOURCE TARGET [SOURCE TARGET ...]`: any
schedule file MPXJ reads -> MS Project XML, in a process of its own.

`formats.mpxj_read` runs this as a child process: the JVM never lives in the
server (a JVM started off the main thread keeps the process from exiting, and
a JVM fault cannot take the server down). Prints the format MPXJ detected;
exit 2 with the reason on stderr when MPXJ cannot read the file.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    """Convert each SOURCE TARGET pair in one JVM (a folder of files costs
    one start); exit 2 when MPXJ cannot read one of them."""
    if not argv or len(argv) % 2:
        print("usage: SOURCE TARGET [SOURCE TARGET ...]", file=sys.stderr)
        return 2
    import jpype
    import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

    jpype.startJVM()
    pairs = list(zip(argv[::2], argv[1::2], strict=True))
    failed = sum(_convert(source, target) for source, target in pairs)
    return 2 if failed else 0


def _convert(source: str, target: str) -> bool:
    """Write `source` as MSPDI to `target`, print its format; True on failure."""
    import jpype

    reader = jpype.JClass("org.mpxj.reader.UniversalProjectReader")
    writer = jpype.JClass("org.mpxj.mspdi.MSPDIWriter")
    try:
        project = reader().read(source)
    except Exception as error:  # a Java exception, through JPype
        print(f"MPXJ cannot read it: {error}", file=sys.stderr)
        return True
    if project is None:
        print("not a schedule file MPXJ recognises", file=sys.stderr)
        return True
    properties = project.getProjectProperties()
    if properties.getStartDate() is None:  # Primavera keeps a planned start
        properties.setStartDate(properties.getPlannedStart())
    out = writer()
    out.setWriteTimephasedData(True)  # split tasks' parts (formats.mspdi_splits)
    out.write(project, target)
    print(properties.getFileType() or "unknown")
    return False


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
