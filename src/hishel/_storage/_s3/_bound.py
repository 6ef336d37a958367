"""The S3 client the storage calls through: each call bounded by the storage ``timeout``.

A storage call must not hold a request longer than ``timeout``, whoever built the client. A
client the storage builds has connect and read timeouts of ``timeout`` and a single attempt.
A boto3 client the caller passes is never changed (its own calls keep its settings) and never
used for the storage's calls: the storage makes a private S3 client from it, once, when the
storage is made (no I/O), and closes it with the storage. The private client has:

- the caller's client configuration (``client.meta.config``: addressing style, signature
  version, proxies, user agent, ...) with ``connect_timeout`` and ``read_timeout`` at most
  ``timeout`` and one attempt (no retries);
- its region, its endpoint (given only when the caller's was not the default one), its TLS
  verification;
- the caller's credentials object itself, so refreshable credentials (an assumed role, SSO)
  keep refreshing. botocore has no public accessor for a client's credentials; when they
  cannot be read, the private client resolves credentials the usual way (environment,
  profile, instance role).

Event handlers registered on the caller's client are not carried over. An object that is not
a botocore client (no ``meta.config``) is called as it is.

Why a private client rather than a bound around each call: a blocking socket read of boto3
cannot be interrupted from outside, and botocore takes its timeouts and retries from the
client configuration, fixed when a client is made; a worker thread abandoned at a deadline
would leave the caller's client retrying (five attempts of up to 60 s each by default) in
the background. The async storage also runs each call in a worker thread under a deadline;
an abandoned thread then ends within ``timeout`` too.
"""

from __future__ import annotations

import typing as t

from .._extras import import_extra

__all__ = ["bounded_s3_client", "default_s3_client"]


def _at_most(value: t.Any, timeout: float) -> float:
    return timeout if value is None else min(float(value), timeout)


def _bounds(timeout: float, given: t.Any = None) -> t.Any:
    config = import_extra("botocore.config", "s3").Config
    return config(
        connect_timeout=_at_most(getattr(given, "connect_timeout", None), timeout),
        read_timeout=_at_most(getattr(given, "read_timeout", None), timeout),
        retries={"total_max_attempts": 1, "mode": "standard"},
    )


def default_s3_client(timeout: float | None) -> t.Any:
    """``boto3.client("s3")`` with the bounded timeouts and one attempt."""
    boto3 = import_extra("boto3", "s3")
    return boto3.client("s3", config=_bounds(timeout or 60))


_LOADER: list[t.Any] = []  # one botocore data loader for every private client (it caches)


def _loader() -> t.Any:
    if not _LOADER:
        _LOADER.append(import_extra("botocore.loaders", "s3").create_loader())
    return _LOADER[0]


def _credentials(client: t.Any) -> t.Any:
    signer = getattr(client, "_request_signer", None)
    return getattr(signer, "_credentials", None)


def bounded_s3_client(client: t.Any, timeout: float) -> t.Any:
    """A private S3 client made from ``client`` (see the module docstring); an object that
    is not a botocore client is returned as it is."""
    if not hasattr(getattr(getattr(client, "meta", None), "config", None), "merge"):
        return client
    session_module = import_extra("botocore.session", "s3")
    credentials_module = import_extra("botocore.credentials", "s3")
    session = session_module.get_session()
    session.register_component("data_loader", _loader())  # service models read once
    given = _credentials(client)
    if given is not None:
        provider = credentials_module.CredentialProvider()
        provider.METHOD = "hishel-given-client"
        provider.load = lambda: given  # the caller's credentials object itself
        resolver = credentials_module.CredentialResolver(providers=[provider])
        session.register_component("credential_provider", resolver)
    meta = client.meta
    config = meta.config.merge(_bounds(timeout, meta.config))
    http = getattr(getattr(client, "_endpoint", None), "http_session", None)
    kwargs: dict[str, t.Any] = {"region_name": meta.region_name, "config": config}
    verify = getattr(http, "_verify", None)
    if verify is not None:
        kwargs["verify"] = verify
    made = session.create_client("s3", **kwargs)
    if made.meta.endpoint_url != meta.endpoint_url:  # the caller's was not the default one
        made.close()
        made = session.create_client("s3", endpoint_url=meta.endpoint_url, **kwargs)
    return made
