"""The deliverer's look at the log: with no subscription it reads no event
and is not woken by writes; a subscription made later gets what follows."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventstore import ProjectStore
from service.webhooks.delivery import CHECKPOINT, PENDING, Deliverer
from service.webhooks.subscriptions import Subscriptions
from tests.integration.stores import DOCUMENT, change


def test_no_subscription_reads_no_event_and_later_ones_get_what_follows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ProjectStore(f"sqlite:///{tmp_path / 'store.db'}")
    subscriptions = Subscriptions(store.documents, allow_private=True)
    deliverer = Deliverer(store, subscriptions)
    project_id = store.create_project(DOCUMENT, "sam").id
    all_events = store.all_events
    monkeypatch.setattr(store, "all_events", None)  # no event may be read now

    deliverer.enqueue_new()
    deliverer.wake()

    assert store.checkpoints.position(CHECKPOINT) == store.log_end() > 0
    assert not deliverer._wake.is_set()
    monkeypatch.setattr(store, "all_events", all_events)
    subscriptions.create("http://127.0.0.1:9/", ["project.changed"], None, None, "a")
    deliverer.enqueue_new()
    store.change_project(project_id, change("update_task", id="a", duration=4), "pat")
    deliverer.wake()
    deliverer.enqueue_new()

    assert deliverer._wake.is_set()
    pending = store.documents.all(PENDING)
    assert len(pending) == 1
    store.close()
