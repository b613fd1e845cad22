"""The outside file formats planforge reads and writes, by name: one place for
the use cases (`service.interop`) and the command line, which must not load
the readers and writers just to list them."""

IMPORT_FORMATS = ("mspdi", "csv", "psplib", "json", "mpxj")
EXPORT_FORMATS = ("mspdi", "csv", "ics", "json")
