"""Keeping read models current from the notification log, exactly once.

A `Projection` reads the log after its checkpoint, applies each event to its
read model and stores the model's state together with the position it has
reached, as one row in one statement. So an event is either reflected in the
stored state and behind the stored position, or neither: after a crash the
model resumes from the last checkpoint and never applies an event twice.
Positions are notification ids, read by "greater than the last id seen", so
gaps in the ids (PostgreSQL sequences skip on rolled-back inserts) are fine.
The log is read in large pages and decoded by `logged.LogDecoder` (plain JSON,
no event objects); a checkpoint rewrites the whole state, so a long run
writes one every CHECKPOINT_EVERY events, not more often.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from eventstore.application import ProjectApplication
from eventstore.checkpoints import Checkpoints
from eventstore.logged import LogDecoder
from eventstore.logrows import log_rows
from eventstore.readmodels import ReadModel

Model = TypeVar("Model", bound=ReadModel)
CHECKPOINT_EVERY = 250_000


class Projection(Generic[Model]):
    """One read model, kept current from the log with a tracked position."""

    def __init__(
        self,
        application: ProjectApplication,
        checkpoints: Checkpoints,
        factory: Callable[[dict[str, Any] | None], Model],
    ) -> None:
        self._application = application
        self._checkpoints = checkpoints
        self._factory = factory
        self._lock = threading.Lock()
        self.model: Model = factory(None)
        self.position = 0
        self._decoder = LogDecoder(self.model.reads, application.mapper)

    def catch_up(self) -> Model:
        """Apply every event recorded since the last checkpoint; checkpoint."""
        with self._lock:
            stored = self._checkpoints.position(self.model.name)
            if stored > self.position:  # another process got further: adopt it
                self.position, state = self._checkpoints.load(self.model.name)
                self.model = self._factory(state)
            self._advance()
            return self.model

    def rebuild(self) -> Model:
        """Forget the model and apply the whole log again, from position 0."""
        with self._lock:
            self.model, self.position = self._factory(None), 0
            self._checkpoints.reset(self.model.name)
            self._advance()
            return self.model

    def _advance(self) -> None:
        start, decode, apply = self.position, self._decoder.decode, self.model.apply
        rows = log_rows(
            self._application.recorder,
            self._decoder.topics,
            after=self.position,
            page_size=self._application.log_section_size,
        )
        for applied, row in enumerate(rows, 1):
            apply(decode(row))
            self.position = row[0]
            if applied % CHECKPOINT_EVERY == 0:
                self._save()
        if self.position != start:
            self._save()

    def _save(self) -> None:
        self._checkpoints.save(
            self.model.name, self.position, json.dumps(self.model.state)
        )
