"""0.1 import paths kept for users: ``from hishel._utils import generate_key``."""

from ._keys import generate_key, normalized_url

__all__ = ["generate_key", "normalized_url"]
