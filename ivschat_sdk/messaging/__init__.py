"""Chat messaging: a Python client for the IVS Chat WebSocket.

:class:`ChatClient` (asyncio) and :class:`SyncChatClient` (blocking) connect to a room with a
chat token, send messages, delete messages, disconnect users, and receive typed messages and
events. The clients need ``pip install 'ivschat-sdk[chat]'`` (the ``websockets`` library).

The models (:class:`ChatMessage`, :class:`ChatEvent`, ...) and the errors need nothing
beyond the core install: the clients are imported when first used (PEP 562), so that
``from ivschat_sdk.messaging import ChatMessage`` (as the chat-log reader
:mod:`ivschat_sdk.logs` does) works without ``websockets``.
"""

import typing as _typing

from .._lazy import lazy_attributes as _lazy_attributes
from ._backoff import (
    BASE_DELAY,
    DEFAULT_MAX_RECONNECT_ATTEMPTS,
    MAX_DELAY,
    backoff_ceiling,
    backoff_delay,
)
from ._errors import (
    ChatClosedError,
    ChatConnectionError,
    ChatError,
    ChatErrorCode,
    ChatRequestError,
    ChatTimeoutError,
)
from ._models import (
    ChatEvent,
    ChatItem,
    ChatMessage,
    ConnectionState,
    MessageDeletedEvent,
    Sender,
    UserDisconnectedEvent,
)

__all__ = [
    "BASE_DELAY",
    "DEFAULT_MAX_QUEUE",
    "DEFAULT_MAX_RECONNECT_ATTEMPTS",
    "MAX_DELAY",
    "ChatClient",
    "ChatClosedError",
    "ChatConnectionError",
    "ChatError",
    "ChatErrorCode",
    "ChatEvent",
    "ChatItem",
    "ChatMessage",
    "ChatRequestError",
    "ChatTimeoutError",
    "ConnectionState",
    "MessageDeletedEvent",
    "Sender",
    "SyncChatClient",
    "TokenProvider",
    "UserDisconnectedEvent",
    "backoff_ceiling",
    "backoff_delay",
    "chat_endpoint",
]

# The names that need websockets; imported on first access, then kept in the module.
# Importing them without websockets raises an ImportError naming the ``chat`` extra.
_LAZY = {
    "ChatClient": "_client",
    "DEFAULT_MAX_QUEUE": "_client",
    "TokenProvider": "_client",
    "chat_endpoint": "_client",
    "SyncChatClient": "_sync",
}

if _typing.TYPE_CHECKING:
    from ._client import DEFAULT_MAX_QUEUE, ChatClient, TokenProvider, chat_endpoint
    from ._sync import SyncChatClient


__getattr__, __dir__ = _lazy_attributes(__name__, globals(), _LAZY, __all__)
