"""The async sources; ``hishel._sync`` is generated from them by scripts/unasync.py."""
