"""The decision values (``hishel._policy._decisions``): immutable, and equal only to a value of
their own type with the same fields."""

from __future__ import annotations

import pickle

import pytest

from hishel._policy._decisions import (
    DontStore,
    Forward,
    Freshen,
    GatewayTimeout,
    Revalidate,
    Store,
    UseStored,
)


def test_a_decision_cannot_be_changed() -> None:
    decision = UseStored("fresh", 200, (("date", "x"),), 3)
    with pytest.raises(AttributeError):
        decision.status = 304  # type: ignore[misc]


def test_decisions_of_different_types_with_the_same_fields_differ() -> None:
    assert Forward("x") == Forward("x")
    assert Forward("x") != GatewayTimeout("x")
    assert Forward("x") != DontStore("x")
    assert Store("x", ()) != Freshen("x", ())
    assert len({Forward("x"), GatewayTimeout("x"), DontStore("x")}) == 3


def test_a_decision_is_not_equal_to_a_bare_tuple() -> None:
    bare = ("x",)
    assert Forward("x") != bare
    assert bare != Forward("x")  # the subclass's comparison is asked first
    assert (Forward("x") == bare) is False


def test_equal_decisions_hash_alike_and_survive_pickling() -> None:
    fallback = UseStored("stale", 200, (), 10, stale=True, ttl=-5, as_stored=True)
    decision = Revalidate("stale", (("if-none-match", '"a"'),), fallback, True, False)
    copy = pickle.loads(pickle.dumps(decision))
    assert copy == decision and hash(copy) == hash(decision)
    assert copy.fallback == fallback
    assert decision._replace(fallback=None) != decision


def test_pattern_matching_sees_the_type() -> None:
    def kind(decision: object) -> str:
        match decision:
            case UseStored():
                return "use"
            case Forward():
                return "forward"
            case _:
                return "other"

    assert kind(UseStored("fresh", 200, (), 0)) == "use"
    assert kind(Forward("x")) == "forward"
    assert kind(("fresh", 200, (), 0)) == "other"
