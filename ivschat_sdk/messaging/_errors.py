"""Errors of the chat client, all of them :class:`~ivschat_sdk.IvsChatError`.

::

IvsChatError
└── ChatError
    ├── ChatRequestError      the service refused a request (ERROR frame: 400, 403, 406, 429, ...)
    ├── ChatTimeoutError      no answer within the timeout (also a TimeoutError)
    └── ChatConnectionError   not connected, handshake refused, connection lost for good
        └── ChatClosedError   the client was closed; make a new one
"""

from __future__ import annotations

import enum

from .._errors import IvsChatError

__all__ = [
    "ChatClosedError",
    "ChatConnectionError",
    "ChatError",
    "ChatErrorCode",
    "ChatRequestError",
    "ChatTimeoutError",
]


class ChatErrorCode(enum.IntEnum):
    """The ``ErrorCode`` values of the service's ERROR frames."""

    BAD_REQUEST = 400
    """The request is malformed or invalid (e.g. a message above the room's length limit)."""
    UNAUTHORIZED = 401
    """The connection has expired or the chat token is missing."""
    FORBIDDEN = 403
    """The token lacks the capability, or the account is pending verification."""
    NOT_FOUND = 404
    """The room does not exist."""
    NOT_ACCEPTABLE = 406
    """The message review handler rejected the message."""
    PAYLOAD_TOO_LARGE = 413
    """A field is too large."""
    TOO_MANY_REQUESTS = 429
    """The room's message rate (or another rate limit) was exceeded."""
    INTERNAL_SERVER_ERROR = 500
    """The service failed."""


class ChatError(IvsChatError):
    """Base class of the chat client's errors."""


class ChatRequestError(ChatError):
    """The service answered a request with an ERROR frame.

    Attributes:
        error_code: The numeric code, e.g. 403; compare with :class:`ChatErrorCode`.
        error_message: The service's message.
        request_id: The id of the refused request.
        id: The ERROR frame's id.
    """

    def __init__(
        self, error_code: int, error_message: str, request_id: str | None, id: str
    ) -> None:
        self.error_code = error_code
        self.error_message = error_message
        self.request_id = request_id
        self.id = id
        try:
            name = ChatErrorCode(error_code).name
        except ValueError:
            name = "UNKNOWN"
        super().__init__(f"chat request refused with {error_code} {name}: {error_message}")


class ChatTimeoutError(ChatError, TimeoutError):
    """No answer to a request (or to the handshake) within its timeout."""


class ChatConnectionError(ChatError):
    """The client is not connected, the handshake was refused, or the connection was lost.

    Attributes:
        status: The HTTP status of a refused handshake (401 for a bad, used or expired token,
            404 for a deleted room), else None.
        close_code: The WebSocket close code when the server closed the connection, else None.
    """

    def __init__(
        self, message: str, *, status: int | None = None, close_code: int | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.close_code = close_code


class ChatClosedError(ChatConnectionError):
    """The client was closed with ``close()``; it cannot connect or send again.

    Create a new client instead. (Iterating a closed :class:`ChatClient` still yields the
    items received before the close, then ends.)
    """
