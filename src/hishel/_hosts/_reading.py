"""Reading a body the cache holds in memory at once, for an async client that reads it whole.

An ``httpx.AsyncClient`` (and httpx2's) reads a response sent with ``stream=False`` through
four async generators (``aread``, ``aiter_bytes``, ``aiter_raw``, the client's bound stream):
more work than the in-memory hit that answered it. A transport can instead read such a body
as it builds the response, as ``httpx.Response(content=...)`` does, but only when nobody can
want it streamed: the client's ``send`` with ``stream=False`` and no response hook (a hook, or
``stream=True``, may call ``aiter_raw``, which a read response refuses). The client says so
through ``read_at_once``, a context variable set for the length of that ``send``; the cache
transport reads it (``AsyncCacheTransport.handle_async_request``).

A sync client's read costs what reading in the transport would, so the sync ``send`` is left
as it is (``send_reading_at_once`` returns it unchanged) and ``read_at_once`` stays False there.
"""

from __future__ import annotations

import functools
import typing as t
from contextvars import ContextVar

__all__ = ["async_send_reading_at_once", "read_at_once", "send_reading_at_once"]

read_at_once: ContextVar[bool] = ContextVar("hishel_read_at_once", default=False)
"""True while an async cache client's ``send`` reads every response whole before anyone
sees it."""

Send = t.TypeVar("Send", bound=t.Callable[..., t.Any])


def async_send_reading_at_once(send: Send, client_default: object) -> Send:
    """An async client's ``send`` (``httpx.AsyncClient.send``, whose library's
    ``USE_CLIENT_DEFAULT`` is ``client_default``) that sets ``read_at_once`` while it sends
    with ``stream=False`` and the client has no response hook."""

    @functools.wraps(send)
    async def send_reading(
        client: t.Any,
        request: t.Any,
        *,
        stream: bool = False,
        auth: t.Any = client_default,
        follow_redirects: t.Any = client_default,
    ) -> t.Any:
        # (keywords spelt out: a ``**`` pass-through costs a dict on every request)
        if stream or client.event_hooks["response"]:
            return await send(
                client, request, stream=stream, auth=auth, follow_redirects=follow_redirects
            )
        reading = read_at_once.set(True)
        try:
            return await send(client, request, auth=auth, follow_redirects=follow_redirects)
        finally:
            read_at_once.reset(reading)

    return t.cast("Send", send_reading)


def send_reading_at_once(send: Send, client_default: object) -> Send:
    """A sync client's ``send``, unchanged (see the module docstring)."""
    return send
