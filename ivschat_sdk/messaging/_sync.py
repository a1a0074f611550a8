"""The chat client for scripts: :class:`ChatClient` run on a private event loop thread.

No chat logic lives here: each method hands the coroutine of the async client to its loop
and waits for the result.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator, Mapping
from concurrent.futures import TimeoutError as FutureTimeoutError
from types import TracebackType
from typing import Any, TypeVar

from .._models import ChatToken
from ._backoff import DEFAULT_MAX_RECONNECT_ATTEMPTS
from ._client import ChatClient, TokenProvider
from ._errors import ChatTimeoutError
from ._models import (
    ChatItem,
    ChatMessage,
    ConnectionState,
    MessageDeletedEvent,
    UserDisconnectedEvent,
)

__all__ = ["SyncChatClient"]

T = TypeVar("T")


class SyncChatClient:
    """A blocking chat client with the same methods as :class:`ChatClient`.

    ::

        with SyncChatClient(url=server.ws_url, token=token) as chat:
            chat.send_message("hello")
            for item in chat:
                print(item)

    The arguments are those of :class:`ChatClient`. ``on_state_change`` and a sync
    ``token_provider`` are called from the client's own thread.
    """

    def __init__(
        self,
        *,
        region: str | None = None,
        url: str | None = None,
        token: ChatToken | str | None = None,
        token_provider: TokenProvider | None = None,
        request_timeout: float = 10.0,
        open_timeout: float = 10.0,
        max_reconnect_attempts: int = DEFAULT_MAX_RECONNECT_ATTEMPTS,
        on_state_change: Callable[[ConnectionState], None] | None = None,
    ) -> None:
        self._client = ChatClient(
            region=region, url=url, token=token, token_provider=token_provider,
            request_timeout=request_timeout, open_timeout=open_timeout,
            max_reconnect_attempts=max_reconnect_attempts, on_state_change=on_state_change,
        )  # fmt: skip
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="ivschat-chat", daemon=True
        )
        self._thread.start()

    def __repr__(self) -> str:
        return f"<SyncChatClient url={self._client.url!r} state={self.state.value}>"

    def _run(self, coroutine: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except FutureTimeoutError:
            future.cancel()
            raise ChatTimeoutError("no item arrived within the timeout") from None

    @property
    def state(self) -> ConnectionState:
        """The connection's state."""
        return self._client.state

    @property
    def url(self) -> str:
        """The endpoint the client connects to."""
        return self._client.url

    def connect(self) -> None:
        """Open the connection (see :meth:`ChatClient.connect`)."""
        self._run(self._client.connect())

    def close(self) -> None:
        """Close the connection and stop the client's thread (idempotent)."""
        if self._loop.is_closed():
            return
        self._run(self._client.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    def __enter__(self) -> SyncChatClient:
        self.connect()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def send_message(
        self,
        content: str,
        *,
        attributes: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> ChatMessage:
        """Send a message (see :meth:`ChatClient.send_message`)."""
        return self._run(self._client.send_message(content, attributes=attributes, timeout=timeout))

    def delete_message(
        self, message_id: str, *, reason: str | None = None, timeout: float | None = None
    ) -> MessageDeletedEvent:
        """Delete a message (see :meth:`ChatClient.delete_message`)."""
        return self._run(self._client.delete_message(message_id, reason=reason, timeout=timeout))

    def disconnect_user(
        self, user_id: str, *, reason: str | None = None, timeout: float | None = None
    ) -> UserDisconnectedEvent:
        """Disconnect a user (see :meth:`ChatClient.disconnect_user`)."""
        return self._run(self._client.disconnect_user(user_id, reason=reason, timeout=timeout))

    def receive(self, timeout: float | None = None) -> ChatItem:
        """The next message or event, waiting at most ``timeout`` seconds.

        Raises:
            ChatTimeoutError: Nothing arrived in time.
            StopIteration: The connection was closed and every item was read.
            ChatConnectionError: The connection was lost for good.
        """
        try:
            return self._run(self._client.__anext__(), timeout)
        except StopAsyncIteration:
            raise StopIteration from None

    def __iter__(self) -> Iterator[ChatItem]:
        """Yield messages and events until the connection is closed."""
        while True:
            try:
                yield self.receive()
            except StopIteration:
                return
