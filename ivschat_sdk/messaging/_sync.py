"""The chat client for scripts: :class:`ChatClient` run on a private event loop thread.

No chat logic lives here: each method hands the coroutine of the async client to its loop
and waits for the result.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator, Mapping
from types import TracebackType
from typing import Any, TypeVar

from .._models import ChatToken
from ._backoff import DEFAULT_MAX_RECONNECT_ATTEMPTS
from ._client import DEFAULT_MAX_QUEUE, ChatClient, TokenProvider
from ._errors import ChatClosedError
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

    The arguments (and their checks) are those of :class:`ChatClient`, including the bounded
    queue of received items. ``on_state_change`` and a sync ``token_provider`` are called from
    the client's own thread, which ``close()`` stops (leaving a ``with`` block does, also when
    the handshake was refused). After ``close()`` every method raises
    :class:`ChatClosedError`.
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
        max_queue: int = DEFAULT_MAX_QUEUE,
    ) -> None:
        self._client = ChatClient(
            region=region, url=url, token=token, token_provider=token_provider,
            request_timeout=request_timeout, open_timeout=open_timeout,
            max_reconnect_attempts=max_reconnect_attempts, on_state_change=on_state_change,
            max_queue=max_queue,
        )  # fmt: skip
        self._closed = False
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="ivschat-chat", daemon=True
        )
        self._thread.start()

    def __repr__(self) -> str:
        return f"<SyncChatClient url={self._client.url!r} state={self.state.value}>"

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        if self._closed:
            coroutine.close()  # never started: no "never awaited" warning
            raise ChatClosedError("the SyncChatClient is closed; create a new one")
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    @property
    def state(self) -> ConnectionState:
        """The connection's state."""
        return self._client.state

    @property
    def url(self) -> str:
        """The endpoint the client connects to."""
        return self._client.url

    @property
    def max_queue(self) -> int:
        """The most received items the client holds (see :attr:`ChatClient.max_queue`)."""
        return self._client.max_queue

    @property
    def queued(self) -> int:
        """Received items waiting to be read (see :attr:`ChatClient.queued`)."""
        return self._client.queued

    @property
    def close_reason(self) -> str | None:
        """Why the server closed the connection for good (see :attr:`ChatClient.close_reason`)."""
        return self._client.close_reason

    def connect(self) -> None:
        """Open the connection (see :meth:`ChatClient.connect`)."""
        self._run(self._client.connect())

    def close(self) -> None:
        """Close the connection and stop the client's thread (idempotent)."""
        if self._closed:
            return
        try:
            self._run(self._client.close())
        finally:
            self._closed = True
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    def __enter__(self) -> SyncChatClient:
        try:
            self.connect()
        except BaseException:
            self.close()  # __exit__ will not run: stop the thread here
            raise
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

        See :meth:`ChatClient.receive`, which this wraps.

        Raises:
            ChatTimeoutError: Nothing arrived in time.
            StopIteration: The connection was closed and every item was read.
            ChatConnectionError: The connection was lost for good.
            ChatClosedError: This client was closed.
        """
        try:
            return self._run(self._client.receive(timeout))
        except StopAsyncIteration:
            raise StopIteration from None

    def __iter__(self) -> Iterator[ChatItem]:
        """Yield messages and events until the connection is closed."""
        while True:
            try:
                yield self.receive()
            except StopIteration:
                return
