"""The notification log as read models read it: events as plain JSON.

Decoding a stored event into a library event object runs a Python hook on
every JSON object in it and parses every UUID and datetime; for a read model
that folds millions of events into a few fields that is most of the work. So
a read model gets a `LoggedEvent` instead: the stored JSON decoded with no
hooks, its top-level values in their JSON form (UUIDs as canonical strings,
datetimes as the ISO text recorded), upcast like the library would.

Only top-level values are unwrapped: the aggregate stores every nested value
as plain JSON (`records.plain_json`), so there is nothing else to decode.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, NamedTuple
from uuid import UUID

import orjson
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder, Mapper
from eventsourcing.utils import get_topic

from eventstore.logrows import LogRow

JSONDict = dict[str, Any]
LOWER_HEX = frozenset("0123456789abcdef")
# A byte table mapping ASCII digits to b"0" and every other byte to b" ".
DIGITS_AS_ZEROS = bytes(48 if 48 <= byte <= 57 else 32 for byte in range(256))
LONG_DIGIT_RUN = b"0" * 19  # 10**18 < 2**63: shorter integers read exactly


class LoggedEvent(NamedTuple):
    """One notification: its log position, event class, project, the
    project's version it made, and its fields (`timestamp` included, as ISO
    text). A named tuple: one is made per event read."""

    position: int
    type: type[Aggregate.Event]
    project_id: str
    originator_version: int
    data: JSONDict


class LogDecoder:
    """Turns notifications of the given event classes into `LoggedEvent`s."""

    def __init__(
        self, event_classes: Iterable[type[Aggregate.Event]], mapper: Mapper[UUID]
    ) -> None:
        if not isinstance(mapper.transcoder, JSONTranscoder):
            raise TypeError("the log decoder reads what JSONTranscoder writes")
        self._classes = {get_topic(cls): cls for cls in event_classes}
        self._transcodings = mapper.transcoder.names
        self._cipher = mapper.cipher
        self._compressor = mapper.compressor

    @property
    def topics(self) -> list[str]:
        """The topics to select from the log."""
        return list(self._classes)

    def decode(self, row: LogRow) -> LoggedEvent:
        """The row's event (see `logrows`); KeyError for a topic not asked for."""
        position, originator_id, version, topic, state = row
        event_class = self._classes[topic]
        if self._cipher is not None:
            state = self._cipher.decrypt(state)
        if self._compressor is not None:
            state = self._compressor.decompress(state)
        data: JSONDict = _loads(state)
        for key, value in data.items():
            if type(value) is dict and "_type_" in value and len(value) == 2:
                data[key] = self._unwrap(value["_type_"], value["_data_"])
        _upcast(event_class, data)
        return LoggedEvent(
            position, event_class, _canonical_id(originator_id), version, data
        )

    def _unwrap(self, name: str, encoded: Any) -> Any:
        """A transcoded value in its JSON form (as `records.audit_data` has it)."""
        if name == "datetime_iso":
            return encoded  # the ISO text `datetime.isoformat()` wrote
        if name == "uuid_hex":
            return _canonical_id(encoded)
        value = self._transcodings[name].decode(encoded)
        return str(value) if isinstance(value, UUID) else value


def _loads(state: bytes) -> Any:
    """orjson, several times faster than `json`, where it reads exactly what
    `json` wrote: it reads an integer beyond 64 bits as a float, so a state
    with a run of 19 or more digits goes to `json` instead."""
    if LONG_DIGIT_RUN in state.translate(DIGITS_AS_ZEROS):
        return json.loads(state)
    return orjson.loads(state)


def _upcast(event_class: type[Aggregate.Event], data: JSONDict) -> None:
    """Bring an older event's fields up to its class's version, as the
    library's mapper does (the upcasts only fill in JSON-level defaults)."""
    version = data.pop("class_version", 1)
    latest = getattr(event_class, "class_version", 1)
    while version < latest:
        getattr(event_class, f"upcast_v{version}_v{version + 1}")(data)
        version += 1


@lru_cache(maxsize=2**16)  # ids repeat: a project's, a plan's forecasts
def _canonical_id(value: Any) -> str:
    """A UUID, or its text (32 hex digits as SQLite stores it), as `str(UUID)`
    writes it."""
    if isinstance(value, UUID):
        return str(value)
    text = str(value)
    if len(text) == 32 and LOWER_HEX.issuperset(text):
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return str(UUID(text))
