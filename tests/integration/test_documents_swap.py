"""`Documents.swap`, the compare-and-set job leases rest on: of several
stores (processes) swapping from what they read, exactly one wins."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.integration.conftest import Opener


def test_of_several_stores_swapping_from_what_they_read_exactly_one_wins(
    open_store: Opener,
) -> None:
    stores = [open_store() for _ in range(4)]
    documents = [store.documents for store in stores]
    assert documents[0].swap("lease", "j", None, {"owner": "first"})
    assert not documents[1].swap("lease", "j", None, {"owner": "second"})

    read = [d.get("lease", "j") for d in documents]
    assert read == [{"owner": "first"}] * 4
    with ThreadPoolExecutor(4) as threads:
        won = list(
            threads.map(
                lambda n: documents[n].swap("lease", "j", read[n], {"owner": n}),
                range(4),
            )
        )
    assert won.count(True) == 1
    assert documents[0].get("lease", "j") == {"owner": won.index(True)}
    assert not documents[2].swap("lease", "j", {"owner": "first"}, {"owner": "late"})
