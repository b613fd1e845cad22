"""Outside file formats <-> domain objects: PSPLIB, iMOPSE, MSPDI, CSV, iCalendar.

Readers turn a file's text into a `domain.Project` (and say what of the file
could not be held); writers turn a project back into a file. Only domain types
cross this package's edge: it imports no service, solver, simulation or event
store code.
"""

from formats.imopse import parse_imopse, read_imopse
from formats.mspdi_read import read_mspdi
from formats.mspdi_write import write_mspdi
from formats.psplib import parse_psplib, read_psplib
from formats.report import Imported, ImportReport

__all__ = [
    "ImportReport",
    "Imported",
    "parse_imopse",
    "parse_psplib",
    "read_imopse",
    "read_mspdi",
    "read_psplib",
    "write_mspdi",
]
