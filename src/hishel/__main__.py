"""``python -m hishel``: the command line (``hishel._tools._main``)."""

from __future__ import annotations

import sys

from ._tools._main import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
