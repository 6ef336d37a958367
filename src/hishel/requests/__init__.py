"""hishel for requests: ``CacheSession``, a ``requests.Session`` that caches responses, and
``CacheAdapter``, the transport adapter it mounts (mount it on any session yourself).

They share hishel's sync storages and ``Controller`` with the httpx clients: an entry stored
through one is served through the other. Needs the ``requests`` extra
(``pip install "hishel[requests]"``); importing ``hishel`` alone never imports requests.
"""

from __future__ import annotations

try:
    import requests as _requests  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess
    raise ImportError(
        'hishel.requests needs the requests library: pip install "hishel[requests]"'
    ) from exc

from .._hosts._requests import CacheAdapter, CacheSession

__all__ = ["CacheAdapter", "CacheSession"]
