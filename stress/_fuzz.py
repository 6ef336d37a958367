"""Check (e): header fuzzing. Random and malformed caching headers must never crash a request.

hypothesis draws scenarios: a resource whose first and later answers carry random, often
malformed ``Cache-Control``, ``Expires``, ``Date``, ``Age``, ``Vary``, ``ETag``,
``Last-Modified`` and ``Pragma`` fields (and, through the origin's in-process transport, where
framing cannot break the wire: ``Content-Length``, ``Content-Range``), with random statuses;
then two to four requests for it with random request ``Cache-Control``, ``Pragma``, ``Range``
and ``If-None-Match``, and clock jumps between them. They go through clients of every shape
(memory, file and SQLite storage; private and shared; over the loopback wire and in process).
Every request must get a response; an exception is an error. No shrinking: errors are
counted, and the first few printed.
"""

from __future__ import annotations

import email.utils
import itertools
import tempfile
import time
import typing as t
from pathlib import Path

import hishel
from hishel._tools._origin import Origin, OriginRequest

from ._common import Figure

PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))
DIRECTIVES = (
    "max-age", "s-maxage", "no-cache", "no-store", "private", "public", "must-revalidate",
    "proxy-revalidate", "immutable", "stale-while-revalidate", "stale-if-error",
    "must-understand", "no-transform", "max-stale", "min-fresh", "only-if-cached",
)  # fmt: skip
NUMBERS = ("", "abc", "1.5", "-0", "0x10", '"60"', "99999999999999999999999", " 5", "1e3", "-1")
DATES = (
    "0", "-1", "Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT",
    "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "yesterday",
    "Mon, 32 Foo 2024 25:61:61 GMT", "",
)  # fmt: skip
STATUSES = (200, 200, 200, 200, 203, 204, 206, 300, 301, 302, 304, 307, 308, 404, 410, 500)


class FuzzClock:
    """The controller's clock: real time plus the jumps a scenario makes."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset


def _strategies() -> t.Any:
    from hypothesis import strategies as st

    junk = st.text(alphabet=PRINTABLE, max_size=24)
    number = st.one_of(st.integers(-5, 10**12).map(str), st.sampled_from(NUMBERS))
    name = st.sampled_from(DIRECTIVES)
    directive = st.one_of(name, st.tuples(name, number).map(lambda p: f"{p[0]}={p[1]}"), junk)
    cache_control = st.tuples(
        st.lists(directive, max_size=5), st.sampled_from([", ", ",", ";", " ", ",,"])
    ).map(lambda p: p[1].join(p[0]))
    date = st.one_of(
        st.integers(-(10**6), 10**6).map(
            lambda d: email.utils.formatdate(time.time() + d, usegmt=True)
        ),
        st.sampled_from(DATES),
        junk,
    )
    vary = st.one_of(
        st.sampled_from(["*", "Accept", "accept-encoding, Cookie", "", "X-Fuzz", ", ,"]), junk
    )
    etag = st.one_of(st.sampled_from(['"a"', 'W/"a"', "a", '""', 'W/""', '"a", "b"']), junk)
    fields = {
        "Cache-Control": cache_control,
        "Expires": date,
        "Date": date,
        "Age": number,
        "Vary": vary,
        "ETag": etag,
        "Last-Modified": date,
        "Pragma": st.sampled_from(["no-cache", "", "x"]),
    }
    framing = {
        "Content-Length": number,
        "Content-Range": st.one_of(st.sampled_from(["bytes 0-3/10", "bytes */10", "bytes"]), junk),
    }

    def headers(extra: dict[str, t.Any]) -> t.Any:
        chosen = {**fields, **extra}
        return st.lists(st.sampled_from(sorted(chosen)), max_size=6).flatmap(
            lambda names: st.tuples(*[chosen[n].map(lambda v, n=n: (n, v)) for n in names])
        )

    answer = st.tuples(st.sampled_from(STATUSES), st.binary(max_size=300))
    request_fields = st.lists(
        st.one_of(
            cache_control.map(lambda v: ("Cache-Control", v)),
            st.sampled_from([("Pragma", "no-cache"), ("Range", "bytes=0-3"), ("Range", "x")]),
            etag.map(lambda v: ("If-None-Match", v)),
        ),
        max_size=3,
    )
    requests = st.lists(
        st.tuples(
            st.sampled_from(["GET", "GET", "GET", "HEAD", "POST"]),
            request_fields,
            st.sampled_from([0, 0, 1, 30, 4000, 10**6]),
        ),
        min_size=2,
        max_size=4,
    )
    return st.integers(0, 9).flatmap(
        lambda shape: st.tuples(
            st.just(shape),
            st.lists(
                st.tuples(answer, headers(framing if shape >= 6 else {})), min_size=1, max_size=3
            ),
            requests,
        )
    )


def run(examples: int, budget: float) -> Figure:
    """``examples`` scenarios (or as many as ``budget`` seconds allow)."""
    from hypothesis import HealthCheck, Phase, given, settings

    started = time.monotonic()
    deadline = started + budget
    counts = {"examples": 0, "requests": 0, "errors": 0}
    samples: list[str] = []
    numbers = itertools.count()
    clock = FuzzClock()
    with tempfile.TemporaryDirectory(prefix="hishel-stress-") as tmp, Origin() as origin:
        clients = _clients(origin, clock, Path(tmp))
        answers: dict[str, list[t.Any]] = {}

        def answer(request: OriginRequest) -> tuple[int, list[tuple[str, str]], bytes]:
            queue = answers[request.path]
            (status, body), fields = queue[0] if len(queue) == 1 else queue.pop(0)
            return status, list(fields), body

        origin.handler("/z/*", answer)

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(_strategies())
        def scenario(drawn: t.Any) -> None:
            if time.monotonic() > deadline:
                return
            shape, responses, requests = drawn
            counts["examples"] += 1
            path = f"/z/{next(numbers)}"
            answers[path] = list(responses)
            client = clients[shape % len(clients)]
            for method, drawn_fields, jump in requests:
                # What a client may send at all (h11 refuses padded values): stripped.
                fields = [(name, value.strip()) for name, value in drawn_fields]
                clock.offset += jump
                counts["requests"] += 1
                try:
                    response = client.request(method, origin.url(path), headers=fields, content=b"")
                    response.read()
                except Exception as exc:
                    counts["errors"] += 1
                    if len(samples) < 5:
                        samples.append(
                            f"{type(exc).__name__}: {exc} <- {responses!r} {fields!r}"[:400]
                        )

        try:
            scenario()
        finally:
            for client in clients:
                client.close()
    for sample in samples:
        print(f"    fuzz: {sample}", flush=True)
    line = (
        f"fuzz headers: {counts['examples']} examples, {counts['requests']} requests, "
        f"{counts['errors']} errors, {time.monotonic() - started:.1f} s"
    )
    return Figure(line, counts["errors"] == 0 and counts["examples"] > 0)


def _clients(origin: Origin, clock: FuzzClock, tmp: Path) -> list[hishel.CacheClient]:
    """Clients of every shape; the last ones go through the origin's in-process transport
    (shapes 6..9 draw framing fields, which only they may carry)."""
    made = []
    for n, (storage, shared, wire) in enumerate(
        [
            ("memory", False, True),
            ("memory", True, True),
            ("file", False, True),
            ("sqlite", True, True),
            ("file", True, True),
            ("memory", False, True),
            ("memory", False, False),
            ("sqlite", False, False),
            ("memory", True, False),
            ("file", False, False),
        ]
    ):
        store: hishel.BaseStorage
        if storage == "memory":
            store = hishel.InMemoryStorage()
        elif storage == "file":
            store = hishel.FileStorage(base_path=tmp / f"files-{n}")
        else:
            store = hishel.SQLiteStorage(connection=tmp / f"cache-{n}.db")
        controller = hishel.Controller(cache_private=not shared, clock=clock)
        transport = None if wire else origin.transport()
        made.append(
            hishel.CacheClient(
                storage=store, controller=controller, transport=transport, timeout=10
            )
        )
    return made
