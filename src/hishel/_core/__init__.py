"""The host-neutral core: the flow, its configuration, keys, privacy, Cache-Status, the clock."""
