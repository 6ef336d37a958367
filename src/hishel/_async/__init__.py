"""hishel 0.1's ``hishel._async`` import path: its modules hand on the async classes from where
they live (``hishel._sync`` is generated from it by scripts/unasync.py)."""
