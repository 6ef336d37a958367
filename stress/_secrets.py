"""Check (d): secrets at rest. Credentials are planted, then every byte at rest is scanned.

On File, SQLite, Redis and S3 (moto's server, a real boto3 client), in private and shared
mode, one request per kind of secret, each with a secret of its own: ``Authorization:
Bearer``, ``Authorization: Basic``, ``Cookie``, ``Proxy-Authorization``, a response
``Set-Cookie``, a ``Cookie`` on a ``Vary: Cookie`` response, ``?api_key=`` (the Controller's
``ignored_parameters``) and ``X-Api-Key`` on a ``Vary: X-Api-Key`` response (its
``sensitive_headers``). Every response is ``public, max-age=600``, so it is stored in both
modes; each request is sent twice and the second must be a hit (the secret did reach the
cache). Then every byte at rest is scanned: every file of the folder, the SQLite database
with its WAL and shared-memory files, every Redis key of the namespace (GET and DUMP, and
its name), every S3 object under the prefix (and its key); and every hishel log line.
"""

from __future__ import annotations

import base64
import io
import logging
import secrets
import tempfile
import time
from pathlib import Path

import hishel
from hishel._tools._origin import Origin, OriginRequest

from ._common import S3_BUCKET, Figure, Store, redis_client, redis_server, s3_server

KINDS = ("bearer", "basic", "cookie", "proxy", "set-cookie", "vary-cookie", "api-key", "x-api-key")
STORES = ("file", "sqlite", "redis", "s3")


class Planted:
    """The secrets of one store and mode, by kind, and the forms they could take at rest."""

    def __init__(self) -> None:
        self.secrets = {kind: secrets.token_hex(16) for kind in KINDS}

    def forms(self, kind: str) -> list[bytes]:
        secret = self.secrets[kind]
        found = [secret.encode()]
        if kind == "basic":
            found.append(base64.b64encode(f"user:{secret}".encode()))
        return found


def _request(kind: str, secret: str) -> tuple[str, dict[str, str]]:
    """The query and the request headers that carry the secret of ``kind``."""
    basic = base64.b64encode(f"user:{secret}".encode()).decode()
    return {
        "bearer": ("", {"Authorization": f"Bearer {secret}"}),
        "basic": ("", {"Authorization": f"Basic {basic}"}),
        "cookie": ("", {"Cookie": f"session={secret}"}),
        "proxy": ("", {"Proxy-Authorization": f"Bearer {secret}"}),
        "set-cookie": ("", {}),
        "vary-cookie": ("", {"Cookie": f"session={secret}; theme=dark"}),
        "api-key": (f"?api_key={secret}&page=2", {}),
        "x-api-key": ("", {"X-Api-Key": secret}),
    }[kind]


COOKIES: dict[str, str] = {}  # path -> the secret its response sets as a cookie


def _answer(request: OriginRequest) -> tuple[int, list[tuple[str, str]], bytes]:
    kind = request.path.rsplit("/", 1)[1]
    headers = [("Cache-Control", "public, max-age=600"), ("Content-Type", "text/plain")]
    if kind == "set-cookie":
        headers.append(("Set-Cookie", f"id={COOKIES[request.path]}; Path=/; HttpOnly"))
    if kind == "vary-cookie":
        headers.append(("Vary", "Cookie"))
    if kind == "x-api-key":
        headers.append(("Vary", "X-Api-Key"))
    return 200, headers, f"the {kind} resource".encode()


def _at_rest(store: Store, storage: hishel.BaseStorage) -> bytes:
    """Every byte the store holds (names included)."""
    chunks: list[bytes] = []
    if store.kind in ("file", "sqlite"):
        root = Path(store.path)
        files = (
            [p for p in root.rglob("*")]
            if store.kind == "file"
            else [Path(store.path + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
        )
        for path in files:
            if path.is_file():
                chunks += [path.name.encode(), path.read_bytes()]
    elif store.kind == "redis":
        client = redis_client(store.port)
        for name in client.scan_iter(match=f"{store.namespace}*", count=1000):
            chunks += [name, client.get(name) or b"", client.dump(name) or b""]
        client.close()
    else:
        s3 = store.s3()
        listed = s3.list_objects_v2(Bucket=S3_BUCKET, Prefix=store.namespace)
        for item in listed.get("Contents", []):
            chunks.append(item["Key"].encode())
            chunks.append(s3.get_object(Bucket=S3_BUCKET, Key=item["Key"])["Body"].read())
        s3.close()
    return b"\n".join(chunks)


def _plant(store: Store, origin: Origin, shared: bool, planted: Planted) -> tuple[int, bytes]:
    """Send every kind of secret through a client on ``store``; (hits, bytes at rest)."""
    controller = hishel.Controller(
        cache_private=not shared,
        ignored_parameters=("api_key",),
        sensitive_headers=("X-Api-Key",),
    )
    storage = store.storage()
    hits = 0
    with hishel.CacheClient(storage=storage, controller=controller, timeout=30) as client:
        for kind in KINDS:
            secret = planted.secrets[kind]
            query, headers = _request(kind, secret)
            path = f"/s/{store.kind}/{'shared' if shared else 'private'}/{kind}"
            COOKIES[path] = secret
            first = client.get(origin.url(path + query), headers=headers)
            second = client.get(origin.url(path + query), headers=headers)
            assert first.status_code == second.status_code == 200
            hits += bool(second.extensions["from_cache"])
            if kind == "set-cookie":  # the live response keeps it
                assert secret in first.headers.get("set-cookie", "")
        rest = _at_rest(store, storage)  # while open: the SQLite WAL still holds its pages
    return hits, rest + b"\n" + _at_rest(store, storage)


def run() -> Figure:
    started = time.monotonic()
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    handler.setLevel(logging.DEBUG)
    logger = logging.getLogger("hishel")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    found: dict[str, int] = {}
    in_logs = planted_count = hits = blind = 0
    everything: list[Planted] = []
    try:
        with (
            tempfile.TemporaryDirectory(prefix="hishel-stress-") as tmp,
            Origin() as origin,
            redis_server() as (port, _),
            s3_server() as endpoint,
        ):
            origin.handler("/s/*", _answer)
            for kind in STORES:
                found[kind] = 0
                for shared in (False, True):
                    store = Store.make(kind, Path(tmp), redis_port=port, endpoint=endpoint)
                    planted = Planted()
                    everything.append(planted)
                    stored, rest = _plant(store, origin, shared, planted)
                    hits += stored
                    planted_count += len(KINDS)
                    found[kind] += sum(
                        any(form in rest for form in planted.forms(k)) for k in KINDS
                    )
                    # The scan does see what is stored: bodies, and URLs less the api_key.
                    mode = "shared" if shared else "private"
                    canaries = (b"the bearer resource", f"/s/{kind}/{mode}/api-key".encode())
                    blind += not all(canary in rest for canary in canaries)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    text = log.getvalue().encode()
    for planted in everything:
        in_logs += sum(any(form in text for form in planted.forms(k)) for k in KINDS)
    total = sum(found.values())
    per_store = ", ".join(f"{kind} {found[kind]}/{2 * len(KINDS)}" for kind in STORES)
    line = (
        f"secrets at rest: {total}/{planted_count} found ({per_store}), {in_logs}/"
        f"{planted_count} in logs, {hits}/{planted_count} stored and hit, "
        f"{time.monotonic() - started:.1f} s"
    )
    if blind:
        line += f" (the scan missed stored bodies or URLs on {blind} stores)"
    return Figure(line, total == 0 and in_logs == 0 and hits == planted_count and not blind)
