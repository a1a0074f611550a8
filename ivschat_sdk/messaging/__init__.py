"""Chat messaging: a Python client for the IVS Chat WebSocket.

:class:`ChatClient` (asyncio) and :class:`SyncChatClient` (blocking) connect to a room with a
chat token, send messages, delete messages, disconnect users, and receive typed messages and
events. Needs ``pip install 'ivschat-sdk[chat]'`` (the ``websockets`` library).
"""

from ._backoff import (
    BASE_DELAY,
    DEFAULT_MAX_RECONNECT_ATTEMPTS,
    MAX_DELAY,
    backoff_ceiling,
    backoff_delay,
)
from ._client import DEFAULT_MAX_QUEUE, ChatClient, TokenProvider, chat_endpoint
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
from ._sync import SyncChatClient

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
