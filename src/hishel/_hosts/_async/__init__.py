"""The async shells (the source of ``hishel._hosts._sync``)."""
