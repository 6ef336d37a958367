"""The heads: parsed once at construction, never raising on what an origin sends."""

from __future__ import annotations

import pickle

import pytest

from hishel._policy import PolicyOptions, RequestHead, ResponseHead, reuse, storable
from hishel._policy import _messages as messages
from hishel._policy._messages import EXPIRED, EntityTag
from tests.policy.helpers import NOW, date, http_date, request, response, stored

GARBAGE = [
    "",
    " ",
    ",",
    '"',
    '""',
    "=",
    "==",
    "\\",
    '"\\',
    "max-age=",
    'max-age="',
    "no-cache=,",
    'private="a,',
    "\x00\x01",
    "é",
    "9" * 5000,
    "-" * 100,
    "W/",
    "*",
    "Sun, 06 Nov",
]


@pytest.mark.parametrize("value", GARBAGE)
@pytest.mark.parametrize(
    "name",
    [
        "cache-control",
        "date",
        "expires",
        "age",
        "etag",
        "last-modified",
        "vary",
        "connection",
        "pragma",
        "if-none-match",
        "if-modified-since",
    ],
)
def test_garbage_never_raises(name: str, value: str) -> None:
    head = response([f"{name}: {value}", "Cache-Control: max-age=5"])
    req = request([f"{name}: {value}"])
    storable(req, head, PolicyOptions())
    reuse(req, stored([f"{name}: {value}"], req=[f"{name}: {value}"]), PolicyOptions(), NOW)


def test_response_head_parsed_fields() -> None:
    head = response(
        [
            "Cache-Control: max-age=60",
            date(10),
            "Expires: 0",
            "Age: 7",
            'ETag: W/"x"',
            f"Last-Modified: {http_date(100)}",
            "Vary: Accept, accept-encoding",
            "Connection: close, X-A",
        ]
    )
    assert head.cache_control.max_age == 60
    assert head.date == int(NOW - 10)
    assert head.expires == EXPIRED
    assert head.age == 7
    assert head.etag == EntityTag(True, '"x"')
    assert head.last_modified == int(NOW - 100)
    assert head.last_modified_value == http_date(100)
    assert head.vary == ("accept", "accept-encoding")
    assert head.connection == {"close", "x-a"}


def test_request_head_parsed_fields() -> None:
    head = request(
        [
            "Cache-Control: max-age=5",
            "Pragma: no-cache",
            "Authorization: Basic x",
            'If-None-Match: "a", W/"b"',
            f"If-Modified-Since: {http_date(3)}",
        ]
    )
    assert head.cache_control.max_age == 5
    assert head.pragma_no_cache is False  # RFC 9111 §5.4: Cache-Control present
    assert head.authorization is True
    assert head.if_none_match == (EntityTag(False, '"a"'), EntityTag(True, '"b"'))
    assert head.if_modified_since == int(NOW - 3)


def test_heads_compare_and_hash_on_their_constructor_fields() -> None:
    one = RequestHead("GET", "https://a/", (("accept", "x"),))
    two = RequestHead("GET", "https://a/", (("accept", "x"),))
    assert one == two and hash(one) == hash(two)
    assert ResponseHead(200, ()) == ResponseHead(200, ())


def test_heads_are_frozen_and_built_parsed() -> None:
    head = response(["Cache-Control: max-age=5"])
    with pytest.raises(AttributeError):
        head.status = 201  # type: ignore[misc]
    again = ResponseHead(head.status, (("cache-control", "max-age=9"),))
    assert again.cache_control.max_age == 9


def test_stored_head_precomputes_age_and_vary_key() -> None:
    entry = stored(["Age: 5", date(0), "Vary: Accept"], req=["Accept: a"], received=10, delay=2)
    assert entry.initial_age == 7
    assert entry.vary_key == "accept:a"
    assert stored(["Vary: *"]).vary_key is None


@pytest.mark.parametrize(
    ("parsed", "plain"),
    [
        (RequestHead("GET", "", (("x-other", "1"),)), messages.RequestHead("GET", "", ())),
        (ResponseHead(200, (("x-other", "1"),)), messages.ResponseHead(200, ())),
    ],
)
def test_a_head_without_the_fields_it_reads_has_the_plain_defaults(
    parsed: messages.RequestHead | messages.ResponseHead,
    plain: messages.RequestHead | messages.ResponseHead,
) -> None:
    compared = 3 if isinstance(plain, messages.RequestHead) else 2
    for name in plain._fields[compared:]:  # the parsed views
        assert getattr(parsed, name) == getattr(plain, name), name


def test_revised_changes_the_named_views_and_keeps_every_other() -> None:
    head = response(["Cache-Control: max-age=60", 'ETag: "x"', "Vary: Accept", "Expires: 0"])
    changed = messages.revised(head, status=200, expires=None)
    assert (changed.status, changed.expires) == (200, None)
    for name in messages.ResponseHead._fields:
        if name not in ("status", "expires"):
            assert getattr(changed, name) == getattr(head, name), name
    with pytest.raises(TypeError):
        messages.revised(head, no_such_view=1)


def test_heads_are_values_of_their_constructor_fields() -> None:
    # named tuples, compared, hashed, printed and pickled as the values they were built from
    head = response(["Cache-Control: max-age=5", date(-10)])
    entry = stored(["Cache-Control: max-age=5", date(-10)], req=["Accept: a"])
    for value in (head, entry, entry.request):
        again = pickle.loads(pickle.dumps(value))
        assert type(again) is type(value) and tuple(again) == tuple(value)
        assert again == value and (again != value) is False and hash(again) == hash(value)
        assert value != tuple(value) and tuple(value) != value  # only a head of its class
    assert head.cache_control.max_age == 5
    assert repr(head) == f"ResponseHead(status=200, headers={head.headers!r})"
    assert ResponseHead(200, ()) != ResponseHead(204, ())
    assert ResponseHead(200, ()) != messages.ResponseHead(200, ())
    assert repr(entry).startswith("StoredHead(request=RequestHead(method='GET', url=")
