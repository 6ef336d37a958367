"""requests driver: ``hishel.requests.CacheSession`` (sync only)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

import requests

import hishel
from hishel.requests import CacheSession
from tests.hosts.drivers._protocol import Answer, Client, Driver, StorageSpec, joined_headers

__all__ = ["DRIVERS"]


def _answer(response: requests.Response, body: bytes) -> Answer:
    return Answer(
        status=response.status_code,
        headers=joined_headers(response.raw.headers.items()),
        body=body,
        from_cache=bool(getattr(response, "from_cache", False)),
        revalidated=bool(getattr(response, "revalidated", False)),
        cache_status=getattr(response, "cache_status", None),
    )


class _Client:
    def __init__(self, session: CacheSession) -> None:
        self._session = session

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        force_cache: bool = False,
        cache_disabled: bool = False,
        stream: bool = False,
    ) -> Answer:
        response = self._session.request(
            method,
            url,
            headers=dict(headers or {}),
            data=body,
            stream=stream,
            allow_redirects=False,
            force_cache=force_cache or None,
            cache_disabled=cache_disabled or None,
        )
        if stream:
            with response:
                return _answer(response, b"".join(response.iter_content(chunk_size=7)))
        return _answer(response, response.content)


@contextlib.contextmanager
def _open(spec: StorageSpec, controller: hishel.Controller | None) -> Iterator[Client]:
    with CacheSession(storage=spec.sync(), controller=controller) as session:
        yield _Client(session)


DRIVERS: list[Driver] = [
    Driver(name="requests", is_async=False, library="requests", open=_open),
]
