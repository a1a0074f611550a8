"""Routes botocore's ``ivschat`` requests to an active local IVS Chat, in process.

A handler on botocore's ``before-send.ivschat`` event answers each request from the
emulator on top of a stack of active ones (for boto3 and aiobotocore clients: aiobotocore
sessions take botocore's built-in handlers too) and returns None (the request goes out as usual)
when none is active. It is added to botocore's built-in handlers, so every session created
after this module is imported has it, and to boto3's default session if that already exists.
Being registered on the service-specific event, it runs before moto's generic
``before-send`` handler, so it also works inside moto's ``mock_aws()``.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Generator, Iterator
from typing import Any
from urllib.parse import urlsplit

import boto3
import botocore.handlers
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders

from ..local import LocalIvsChat, WireRequest

__all__ = ["activate", "deactivate", "install"]

_EVENT = "before-send.ivschat"
_UNIQUE_ID = "ivschat_sdk.testing.before_send"
_active: list[LocalIvsChat] = []
_active_lock = threading.Lock()
_installed = False


class _Content(bytes):
    """A body that botocore reads as bytes and aiobotocore awaits (``await response.content``)."""

    def __await__(self) -> Generator[Any, None, bytes]:
        yield from ()  # a generator that finishes at once: awaiting it suspends nothing
        return bytes(self)


class _Response(AWSResponse):
    """A canned answer, readable by botocore's and aiobotocore's endpoints alike."""

    @property
    def content(self) -> bytes:
        return _Content(self.raw.getvalue())


class _RawBody(io.BytesIO):
    """The raw body of a canned response, readable the way botocore reads urllib3's."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        contents = self.read()
        while contents:
            yield contents
            contents = self.read()


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    if hasattr(body, "read"):
        data = body.read()
        if hasattr(body, "seek"):
            body.seek(0)
        return data if isinstance(data, bytes) else str(data).encode()
    return bytes(body)


def before_send(request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
    """Botocore handler: answer from the active emulator, or let the request go out."""
    emulator = _active[-1] if _active else None
    if emulator is None:
        return None
    url = urlsplit(request.url)
    raw_headers: Any = request.headers.items()  # values are str, or bytes for some headers
    headers = {str(k).lower(): v if isinstance(v, str) else v.decode() for k, v in raw_headers}
    answer = emulator.handle(
        WireRequest(
            method=request.method,
            path=url.path,
            query=url.query,
            headers=headers,
            body=_body_bytes(request.body),
        )
    )
    return _Response(
        request.url, answer.status, HTTPHeaders.from_dict(answer.headers), _RawBody(answer.body)
    )


def install() -> None:
    """Register :func:`before_send` with botocore (idempotent)."""
    global _installed
    if _installed:
        return
    botocore.handlers.BUILTIN_HANDLERS.append((_EVENT, before_send))
    if boto3.DEFAULT_SESSION is not None:
        handler: Any = before_send
        boto3.DEFAULT_SESSION._session.register(_EVENT, handler, unique_id=_UNIQUE_ID)
    _installed = True


def activate(emulator: LocalIvsChat) -> None:
    """Route requests to ``emulator`` until :func:`deactivate`."""
    install()
    with _active_lock:
        _active.append(emulator)


def deactivate(emulator: LocalIvsChat) -> None:
    """Stop routing requests to ``emulator``."""
    with _active_lock:
        for i in range(len(_active) - 1, -1, -1):
            if _active[i] is emulator:
                del _active[i]
                break
