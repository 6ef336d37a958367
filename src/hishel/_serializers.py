"""hishel 0.1's ``hishel._serializers`` import path: the serializers live in
``hishel._storage._serializers``, the documents they write in ``hishel._storage._documents``."""

from __future__ import annotations

from ._storage._serializers import (
    BaseSerializer,
    JSONSerializer,
    Metadata,
    PickleSerializer,
    YAMLSerializer,
    clone_model,
    document_01,
    document_of,
    json_text,
    stored_text,
)

__all__ = [
    "BaseSerializer",
    "JSONSerializer",
    "Metadata",
    "PickleSerializer",
    "YAMLSerializer",
    "clone_model",
    "document_01",
    "document_of",
    "json_text",
    "stored_text",
]
