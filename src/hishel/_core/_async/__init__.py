"""The flow and its storage side, async (the source of ``hishel._core._sync``)."""
