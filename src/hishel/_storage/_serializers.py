"""Serializers: model <-> JSON / YAML / pickle, over the documents of ``_documents``.

``dumps`` of JSON / YAML writes hishel 0.1's layout (``document_01``), ``loads`` reads every
layout, and 0.1's pickles of the models. ``stored_text`` is what a storage keeps with the
built-in JSON or YAML serializer: the current layout.
"""

from __future__ import annotations

import abc
import json
import pickle
import typing as t

import httpcore

from ._documents import (
    Metadata,
    Models,
    RequestModel,
    clone_model,
    document_01,
    document_of,
    from_document,
    json_text,
    models_of,
    naive_utc,
    not_an_entry,
    response_body,
    to_document,
)
from ._extras import import_extra

__all__ = [
    "BaseSerializer",
    "JSONSerializer",
    "Metadata",
    "Models",
    "PickleSerializer",
    "YAMLSerializer",
    "clone_model",
    "document_01",
    "document_of",
    "json_text",
    "loaded",
    "models_of",
    "response_body",
    "stored_text",
]


def stored_text(
    serializer: BaseSerializer,
    status: int,
    headers: list[tuple[bytes, bytes]],
    response_extensions: t.Mapping[str, t.Any],
    request: RequestModel,
    metadata: Metadata,
) -> str | None:
    """What a storage keeps of an entry head with the built-in JSON or YAML serializer: the
    current layout. None for any other (pickle, subclasses, users'): its ``dumps`` is kept."""
    kind = type(serializer)
    if kind is not JSONSerializer and kind is not YAMLSerializer:
        return None
    doc = document_of(status, headers, response_extensions, request, metadata, "")
    if kind is JSONSerializer:
        return json_text(doc)
    return t.cast(YAMLSerializer, serializer)._text(doc)


def loaded(
    serializer: BaseSerializer, data: bytes
) -> tuple[httpcore.Response, httpcore.Request, Metadata, bytes]:
    """What ``serializer.loads`` reads of ``data`` (a stored document), and its body."""
    response, request, metadata = serializer.loads(
        data if serializer.is_binary else data.decode("utf-8")
    )
    return response, request, metadata, response_body(response)


# -- serializers ---------------------------------------------------------------------------


class BaseSerializer(abc.ABC):
    """Turns (response, request, metadata) into ``str``/``bytes`` and back.

    ``loads`` raises on data it cannot read; storages turn that into a cache miss.
    """

    @abc.abstractmethod
    def dumps(
        self, response: httpcore.Response, request: httpcore.Request, metadata: Metadata
    ) -> str | bytes:
        """Serialize an entry; the response body must have been read."""

    @abc.abstractmethod
    def loads(self, data: str | bytes) -> tuple[httpcore.Response, httpcore.Request, Metadata]:
        """Deserialize what ``dumps`` wrote (and hishel 0.1's layout)."""

    @property
    @abc.abstractmethod
    def is_binary(self) -> bool:
        """Whether ``dumps`` returns ``bytes`` (else ``str``)."""


class JSONSerializer(BaseSerializer):
    """JSON text; the body is base64. The default serializer.

    ``dumps`` writes hishel 0.1's layout (indented); storages keep the current, compact one.
    """

    def dumps(
        self, response: httpcore.Response, request: httpcore.Request, metadata: Metadata
    ) -> str:
        return json.dumps(document_01(response, request, metadata), indent=4)

    def loads(self, data: str | bytes) -> tuple[httpcore.Response, httpcore.Request, Metadata]:
        try:
            return from_document(json.loads(data))
        except Exception as exc:
            raise not_an_entry(exc) from exc

    @property
    def is_binary(self) -> bool:
        return False


class YAMLSerializer(BaseSerializer):
    """YAML text (readable on disk); needs ``pip install hishel[yaml]``.

    ``dumps`` writes hishel 0.1's layout; storages keep the current one.
    """

    def __init__(self) -> None:
        yaml = import_extra("yaml", "yaml")
        self._yaml = yaml
        self._dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        self._loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def dumps(
        self, response: httpcore.Response, request: httpcore.Request, metadata: Metadata
    ) -> str:
        return self._text(document_01(response, request, metadata))

    def _text(self, doc: dict[str, t.Any]) -> str:
        return t.cast(str, self._yaml.dump(doc, Dumper=self._dumper, sort_keys=False))

    def loads(self, data: str | bytes) -> tuple[httpcore.Response, httpcore.Request, Metadata]:
        try:
            return from_document(self._yaml.load(data, Loader=self._loader))
        except Exception as exc:
            raise not_an_entry(exc) from exc

    @property
    def is_binary(self) -> bool:
        return False


class PickleSerializer(BaseSerializer):
    """Python pickles: compact and fast, the body kept raw.

    Security: unpickling runs code chosen by whoever wrote the data. Use this serializer only
    with a store that nobody else can write (not a shared Redis, bucket or directory).
    """

    def dumps(
        self, response: httpcore.Response, request: httpcore.Request, metadata: Metadata
    ) -> bytes:
        doc = to_document(response, request, metadata, response_body(response))
        return pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)

    def loads(self, data: str | bytes) -> tuple[httpcore.Response, httpcore.Request, Metadata]:
        try:
            raw = data.encode("latin-1") if isinstance(data, str) else data
            doc = pickle.loads(raw)
            if isinstance(doc, tuple) and len(doc) == 3:  # 0.1 pickled the models themselves
                response, request, metadata = doc
                if not isinstance(response, httpcore.Response) or not isinstance(
                    request, httpcore.Request
                ):
                    raise TypeError("a tuple that is not (Response, Request, Metadata)")
                metadata["created_at"] = naive_utc(metadata["created_at"])
                return clone_model(response), clone_model(request), metadata
            return from_document(doc)
        except Exception as exc:
            raise not_an_entry(exc) from exc

    @property
    def is_binary(self) -> bool:
        return True
