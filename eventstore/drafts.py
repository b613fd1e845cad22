"""Cheap copies of a project document, for loads and for judging edits.

A document is plain JSON by construction (created through `plain_json` and
the document writer; every edit replaces an entity with the writer's output),
so a JSON round trip through orjson copies it about ten times faster than
`copy.deepcopy` and gives exactly what a reload from the store would. An
edit that only adds or replaces entities is judged on a draft that shares
every untouched entity with the current document: it copies the top level
and the lists it edits, nothing below them.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import orjson

from domain.changes import Change, ChangeAction
from eventstore.records import JSONDict


def json_copy(document: JSONDict) -> JSONDict:
    """An independent copy of a plain-JSON document."""
    try:
        copied: JSONDict = orjson.loads(orjson.dumps(document))
    except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits
        return copy.deepcopy(document)
    return copied


def draft_for(document: JSONDict, changes: Sequence[Change]) -> JSONDict:
    """A copy of `document` that `apply_change_to_document` may edit with
    `changes` while `document` stays as it is. Adds and updates only append
    or replace items of their own collection; a removal cascades into other
    entities (dependencies, risks, demands), so it gets a full copy."""
    if any(change.action is ChangeAction.REMOVE for change in changes):
        return json_copy(document)
    draft = dict(document)
    for kind in {change.kind for change in changes}:
        draft[kind.collection] = list(document[kind.collection])
    return draft
