"""What the served spec says about the values a request may carry, beyond
what the models state on their own, so a schema-valid request is one the
service accepts as far as a schema can tell:

- a parameter (path, query, header, cookie) is text: it cannot be JSON
  `null`, so the `null` FastAPI adds to an optional parameter's schema goes
  (an omitted parameter is how a client says "none");
- `time_limit` and `samples` are bounded by this server's settings
  (`max_time_limit`, `max_samples`), wherever a body carries them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

JSONSchema = dict[str, Any]
NULL = {"type": "null"}


def parameters_as_text(operation: JSONSchema) -> None:
    """Drop the `null` alternative of each parameter's schema."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        options = schema.get("anyOf")
        if not options or NULL not in options:
            continue
        rest = [option for option in options if option != NULL]
        del schema["anyOf"]
        if schema.get("default", "") is None:
            del schema["default"]
        if len(rest) == 1:
            schema.update(rest[0])
        else:
            schema["anyOf"] = rest


def bounded(schemas: JSONSchema, limits: Mapping[str, float]) -> None:
    """Give each property named in `limits` that maximum (the lower one, if
    the model states one already), in every component schema."""
    for schema in schemas.values():
        for name, value in schema.get("properties", {}).items():
            if name in limits:
                _at_most(value, limits[name])


def _at_most(schema: JSONSchema, limit: float) -> None:
    for option in schema.get("anyOf", [schema]):
        if option.get("type") in ("integer", "number"):
            maximum = min(option.get("maximum", limit), limit)
            option["maximum"] = int(maximum) if option["type"] == "integer" else maximum
