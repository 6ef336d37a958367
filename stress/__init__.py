"""hishel's stress suite (``scripts/stress``): loopback only, every loop bounded in count and time.

Each check prints exactly one figure line and says whether it met its bound:

- ``concurrency``: N processes x M mixed requests (hits, misses, revalidations, invalidations,
  large bodies replaced while read) on one File, SQLite, Redis and Redis Cluster store each
  (the cluster: three masters of its own); every body is compared with what the origin
  serves for that URL and version.
- ``kills``: a writer process SIGKILLed at random moments, then every stored entry read back
  through the storage API and the client and checked against the origin.
- ``frozen``: a redis-server of its own SIGSTOPped mid-run; every request is answered from the
  origin, within the latency bound.
- ``secrets``: credentials planted in requests and responses on File, SQLite, Redis and S3, in
  private and shared mode, then every byte at rest (and every log line) scanned for them.
- ``fuzz``: random and malformed caching headers (hypothesis) from the origin and in requests;
  no request may crash.

The origin is the project's one loopback origin (``hishel._tools._origin.Origin``); Redis and S3
are a redis-server and moto's server started here on free 127.0.0.1 ports and stopped whatever
happens. ``--short`` is the mode ``scripts/test`` runs; the full mode is run by hand.
"""
