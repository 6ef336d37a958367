"""The shells over the client libraries: httpx transports and client, the httpcore pool."""
