"""The pure side of byte budgets: which entry goes first (``hishel._storage._eviction``)."""

from __future__ import annotations

from datetime import datetime, timezone

from hishel._core._messages import URL, Request
from hishel._storage._codec import EntryHead, VaryIndex, encode
from hishel._storage._eviction import UNREADABLE, Ranking, recency
from hishel._storage._layout import Record
from hishel._storage._serializers import JSONSerializer, Metadata
from hishel._storage._uses import LAST_USED

SERIALIZER = JSONSerializer()


def record(head: EntryHead | VaryIndex | bytes, stored_at: float) -> Record:
    data = head if isinstance(head, bytes) else encode(SERIALIZER, head)
    return Record(data, stored_at, 10, "0" * 32)


def entry_head(response_time: float, last_used: float | None = None) -> EntryHead:
    extensions = {} if last_used is None else {LAST_USED: last_used}
    created = datetime.fromtimestamp(response_time, tz=timezone.utc)
    return EntryHead(
        200,
        [],
        extensions,
        Request(b"GET", URL.parse("https://example.com/")),
        Metadata(cache_key="k", number_of_uses=0, created_at=created),
        response_time,
        response_time,
    )


def test_recency_is_the_latest_of_stored_received_and_last_used() -> None:
    assert recency(SERIALIZER, record(entry_head(100.0), stored_at=105.0)) == 105.0
    assert recency(SERIALIZER, record(entry_head(100.0, last_used=300.0), 105.0)) == 300.0
    assert recency(SERIALIZER, record(entry_head(200.0), stored_at=105.0)) == 200.0  # a 304
    assert recency(SERIALIZER, record(b"garbage", stored_at=500.0)) == UNREADABLE


def test_least_recent_first_touched_entries_move_and_kept_ones_stay() -> None:
    ranking = Ranking()
    ranking.ranked([("secret", 0.0, 50), ("a", 10.0, 100), ("b", 20.0, 100), ("c", 30.0, 100)])
    ranking.touch("a", 40.0)  # a hit counted here, not yet written back
    ranking.begin("b")  # being written
    keep = frozenset({"secret"})
    assert ranking.pop(keep) == ("c", 100)
    assert ranking.pop(keep) == ("a", 100)
    assert ranking.pop(keep) is None  # only the secret and "b" are left
    ranking.end("b")
    assert ranking.pop(keep) == ("b", 100)


def test_a_vary_index_is_as_recent_as_its_most_recent_variant() -> None:
    ranking = Ranking()
    ranking.ranked([("k", 1.0, 30), ("k-v1", 50.0, 100), ("other", 20.0, 100), ("k-v2", 5.0, 100)])
    order = [ranking.pop(frozenset()) for _ in range(4)]
    assert [item[0] for item in order if item] == ["k-v2", "other", "k-v1", "k"]
    assert ranking.pop(frozenset()) is None


def test_a_committed_entry_is_ranked_most_recent_and_resized() -> None:
    ranking = Ranking()
    ranking.ranked([("a", 10.0, 100), ("b", 20.0, 100)])
    assert ranking.note("a", 30.0, 250) == 100  # the size it had
    assert ranking.pop(frozenset()) == ("b", 100)
    assert ranking.pop(frozenset()) == ("a", 250)
