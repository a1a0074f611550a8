"""The asyncio chat client: one WebSocket connection to a chat room.

Built on the ``websockets`` library (handshake, framing, pings, close). This module adds the
chat protocol: the token as subprotocol, request/answer matching by ``RequestId``, typed
frames, de-duplication by ``Id``, and reconnection with a fresh token after a dropped
connection or an expired session (never after a deliberate server disconnect), and a bounded
queue of received items that applies back-pressure to the server.
"""

from __future__ import annotations

import asyncio
import collections
import inspect
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any, TypeAlias, TypeVar

try:
    import websockets
    from websockets.asyncio.client import ClientConnection, connect
    from websockets.typing import Subprotocol
except ImportError as _err:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        "ivschat_sdk.messaging needs the websockets library: pip install 'ivschat-sdk[chat]'"
    ) from _err

from .._errors import ParamValidationError
from .._models import ChatToken
from ._backoff import DEFAULT_MAX_RECONNECT_ATTEMPTS, backoff_delay
from ._errors import (
    ChatClosedError,
    ChatConnectionError,
    ChatError,
    ChatRequestError,
    ChatTimeoutError,
)
from ._frames import ErrorFrame, parse_frame, request_frame
from ._models import (
    ChatItem,
    ChatMessage,
    ConnectionState,
    MessageDeletedEvent,
    UserDisconnectedEvent,
)

__all__ = ["DEFAULT_MAX_QUEUE", "ChatClient", "TokenProvider", "chat_endpoint"]

_log = logging.getLogger("ivschat_sdk.messaging")
T = TypeVar("T")

TokenProvider: TypeAlias = Callable[[], "ChatToken | str | Awaitable[ChatToken | str]"]
"""Returns a fresh chat token (a :class:`~ivschat_sdk.ChatToken` or the token string); may be
async. Called for every connection, since a token opens one connection only."""

_REGION = re.compile(r"[a-zA-Z0-9-._~]+")
_MESSAGE_MAX = 500
_SEEN_IDS = 10_000
_MAX_FRAME_BYTES = 1024 * 1024
_TOKEN_EXPECTED = "must be a non-empty string or a ChatToken"

DEFAULT_MAX_QUEUE = 1_000
"""Received items a :class:`ChatClient` holds for its application before it stops reading."""


def chat_endpoint(region: str) -> str:
    """The service's chat endpoint for a region: ``wss://edge.ivschat.REGION.amazonaws.com``."""
    if not _REGION.fullmatch(region):
        raise ParamValidationError([("region", f"must be a region name, not {region!r}")])
    return f"wss://edge.ivschat.{region}.amazonaws.com"


class _TokenRedactor(logging.Filter):
    """Keeps the token (sent as ``Sec-WebSocket-Protocol``) out of websockets' debug log."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if (
            isinstance(args, tuple)
            and len(args) == 2
            and str(args[0]).lower() == "sec-websocket-protocol"
        ):
            record.args = (args[0], "<redacted>")
        return True


_WS_LOGGER = logging.getLogger("ivschat_sdk.messaging.websocket")
_WS_LOGGER.addFilter(_TokenRedactor())


def _token_string(token: object) -> str | None:
    """The token string of a ChatToken or a string; None if it is neither, or empty."""
    value = token.token if isinstance(token, ChatToken) else token
    return value if isinstance(value, str) and value else None


class _End:
    """Ends the stream of received items, with the error that ended it, if any."""

    def __init__(self, error: ChatError | None) -> None:
        self.error = error


class ChatClient:
    """An asyncio client for an IVS Chat room's WebSocket.

    ::

        async with ChatClient(region="us-west-2", token_provider=get_token) as chat:
            sent = await chat.send_message("hello", attributes={"color": "red"})
            async for item in chat:          # ChatMessage, ChatEvent, MessageDeletedEvent, ...
                print(item)

    Received items wait in a queue of at most ``max_queue`` items until the application
    iterates (or calls :meth:`receive`). When the queue is full the client stops reading the
    socket, so the server sees a slow consumer: it buffers, and may drop the connection (the
    local server does so more than 1 MiB behind; the client then reconnects if it has a token
    provider, and the frames sent meanwhile are lost). Answers to requests are read in order
    with everything else, so while the queue is full they wait too and a request may time
    out: iterate in a task of its own, not in the one awaiting requests, to avoid that.

    Args:
        region: Connect to the service in this region, or
        url: to this ``ws://`` or ``wss://`` URL (e.g. ``LocalServer.ws_url``).
        token: A token for one connection (no reconnection possible), or
        token_provider: a callable (sync or async) returning a fresh token for each
            connection; with it the client reconnects after a dropped connection or an
            expired session.
        request_timeout: Seconds to wait for the answer to a request.
        open_timeout: Seconds to wait for a handshake.
        max_reconnect_attempts: Handshakes tried after a connection is lost.
        on_state_change: Called with each new :class:`ConnectionState`.
        max_queue: Received items held for the application before reading stops
            (:data:`DEFAULT_MAX_QUEUE`, 1,000).

    Raises:
        ParamValidationError: Not exactly one of ``region``/``url``, or of
            ``token``/``token_provider``; a ``token`` that is not a non-empty string or a
            :class:`~ivschat_sdk.ChatToken`; a ``max_queue`` below 1.
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
        if (region is None) == (url is None):
            raise ParamValidationError([("url", "pass exactly one of region and url")])
        if (token is None) == (token_provider is None):
            raise ParamValidationError([("token", "pass exactly one of token and token_provider")])
        if token is not None and _token_string(token) is None:
            given: object = token  # typed as a token, but callers may pass anything
            got = "an empty one" if isinstance(given, (str, ChatToken)) else type(given).__name__
            raise ParamValidationError([("token", f"{_TOKEN_EXPECTED} (got {got})")])
        if token_provider is not None and not callable(token_provider):
            raise ParamValidationError([("token_provider", "must be a callable returning a token")])
        if url is not None and not url.startswith(("ws://", "wss://")):
            raise ParamValidationError(
                [("url", f"must start with ws:// or wss://, not {url[:20]!r}")]
            )
        if type(max_queue) is not int or max_queue < 1:  # bool is not a size
            raise ParamValidationError(
                [("max_queue", f"must be an integer of at least 1, not {max_queue!r}")]
            )
        self.url: str = url if url is not None else chat_endpoint(str(region))
        """The endpoint the client connects to."""
        self._token = token
        self._token_provider = token_provider
        self._request_timeout = request_timeout
        self._open_timeout = open_timeout
        self._max_reconnect_attempts = max_reconnect_attempts
        self._on_state_change = on_state_change
        self._max_queue = max_queue
        self._state = ConnectionState.DISCONNECTED
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: dict[str, tuple[type[Any], asyncio.Future[Any]]] = {}
        # At most max_queue items, then possibly the _End; the reader waits on _space.
        self._items: asyncio.Queue[ChatItem | _End] = asyncio.Queue()
        self._space = asyncio.Event()
        self._seen: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._closing = False
        self._ended = False  # the _End is in the queue
        self._expired = False
        self._room_gone = False
        self._close_reason: str | None = None

    def __repr__(self) -> str:
        return f"<ChatClient url={self.url!r} state={self._state.value}>"

    @property
    def state(self) -> ConnectionState:
        """The connection's state."""
        return self._state

    @property
    def max_queue(self) -> int:
        """The most received items the client holds before it stops reading the socket."""
        return self._max_queue

    @property
    def queued(self) -> int:
        """Received items waiting for the application (never more than :attr:`max_queue`)."""
        return self._items.qsize() - self._ended

    @property
    def close_reason(self) -> str | None:
        """Why the server closed the connection for good: the reason in its close frame.

        Set when the server closes the connection deliberately and iteration ends:
        ``"Disconnected by moderator"`` after DisconnectUser (the moderator's own words are
        the ``reason`` of the :class:`UserDisconnectedEvent` received just before) or
        ``"Room deleted"`` after DeleteRoom, as the local server words them; the service may
        send another text, or an empty one. (A close with an error code sets it too; iteration
        then raises :class:`ChatConnectionError` with that ``close_code``.) None until then,
        after :meth:`close`, after a session expiry the client reconnected from, and when the
        connection was lost without a close frame.
        """
        return self._close_reason

    def _set_state(self, state: ConnectionState) -> None:
        if state is self._state:
            return
        self._state = state
        _log.debug("chat connection %s", state.value)
        if self._on_state_change is not None:
            try:
                self._on_state_change(state)
            except Exception:
                _log.exception("on_state_change callback failed")

    # -- connecting ------------------------------------------------------------------------

    async def _next_token(self) -> str:
        if self._token_provider is None:
            if self._token is None:
                raise ChatConnectionError(
                    "the token was used for the first connection; pass token_provider to reconnect"
                )
            token, self._token = self._token, None
        else:
            provider = self._token_provider
            try:
                if inspect.iscoroutinefunction(provider):
                    token = await provider()
                else:
                    # A sync provider may block (e.g. it calls IvsChatClient): keep it off the loop.
                    result = await asyncio.to_thread(provider)
                    token = await result if inspect.isawaitable(result) else result
            except Exception as err:
                raise ChatConnectionError(f"the token provider failed: {err!r}") from err
        value = _token_string(token)
        if value is None:
            raise ChatConnectionError(
                "the token provider must return a ChatToken or a token string,"
                f" not {type(token).__name__}"
            )
        return value

    async def _open(self) -> ClientConnection:
        if self._room_gone:  # permanent: no token could open it, so none is asked for
            raise ChatConnectionError(
                "the room does not exist (an earlier handshake was refused with HTTP 404)",
                status=404,
            )
        token = await self._next_token()
        try:
            return await connect(
                self.url,
                subprotocols=[Subprotocol(token)],
                open_timeout=self._open_timeout,
                logger=_WS_LOGGER,
                compression=None,
                max_size=_MAX_FRAME_BYTES,
            )
        except websockets.InvalidStatus as err:
            status = err.response.status_code
            if status == 404:
                self._room_gone = True  # for good: later connects fail without a token
            raise ChatConnectionError(
                f"the chat handshake was refused with HTTP {status}"
                + (" (a bad, used or expired token)" if status == 401 else "")
                + (" (the room does not exist)" if status == 404 else ""),
                status=status,
            ) from None
        except (OSError, TimeoutError, websockets.InvalidHandshake, websockets.InvalidURI) as err:
            raise ChatConnectionError(f"could not open the chat connection: {err}") from None

    async def connect(self) -> None:
        """Open the connection.

        Raises:
            ChatConnectionError: Already connected, or the handshake failed (``status`` says
                why: 401 bad, used or expired token; 404 deleted room, after which the client
                never asks its token provider again).
            ChatClosedError: The client was closed.
        """
        if self._closing:
            raise ChatClosedError("connect() on a closed ChatClient; create a new one")
        if self._state is not ConnectionState.DISCONNECTED or self._reader is not None:
            raise ChatConnectionError(
                f"connect() needs a new client; this one is {self._state.value}"
            )
        self._set_state(ConnectionState.CONNECTING)
        try:
            self._ws = await self._open()
        except BaseException:
            self._set_state(ConnectionState.DISCONNECTED)
            raise
        self._set_state(ConnectionState.CONNECTED)
        self._reader = asyncio.create_task(self._read_loop())

    async def close(self) -> None:
        """Close the connection (code 1000); iteration ends after the items already received.

        Afterwards :meth:`connect` and the requests raise :class:`ChatClosedError`.
        """
        self._closing = True
        self._space.set()  # a reader waiting for room in the queue drains the socket instead
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await self._reader
        elif not self._ended:
            self._end(None)  # never connected: iteration ends at once
        self._set_state(ConnectionState.DISCONNECTED)

    async def __aenter__(self) -> ChatClient:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- receiving -------------------------------------------------------------------------

    def __aiter__(self) -> ChatClient:
        return self

    async def __anext__(self) -> ChatItem:
        """The next message or event; stops after a close, raises if the connection was lost."""
        return await self.receive()

    async def receive(self, timeout: float | None = None) -> ChatItem:
        """The next message or event, waiting at most ``timeout`` seconds (None: no limit).

        The same stream as iteration: an item goes to one caller only.

        Raises:
            ChatTimeoutError: Nothing arrived in time (nothing is lost: the next call gets it).
            StopAsyncIteration: The client was closed, or the server closed the connection
                deliberately (see :attr:`close_reason`), and every item was read.
            ChatConnectionError: The connection was lost for good.
        """
        try:
            item = self._items.get_nowait()
        except asyncio.QueueEmpty:
            try:
                item = await asyncio.wait_for(self._items.get(), timeout)
            except TimeoutError:
                raise ChatTimeoutError(f"no item arrived within {timeout} s") from None
        if isinstance(item, _End):
            self._items.put_nowait(item)  # every later call ends too
            if item.error is not None:
                raise item.error
            raise StopAsyncIteration
        self._space.set()
        return item

    async def _deliver(self, item: ChatItem) -> None:
        """Queue an item for the application, first waiting (not reading) while the queue is full."""
        while self._items.qsize() >= self._max_queue and not self._closing:
            self._space.clear()
            await self._space.wait()
        if self._items.qsize() < self._max_queue:
            self._items.put_nowait(item)
        # else: closing with a full queue; the frames still arriving are not kept

    async def _read_loop(self) -> None:
        error: ChatError | None = None
        while True:
            ws = self._ws
            assert ws is not None
            try:
                async for raw in ws:
                    item = self._handle(raw)
                    if item is not None:
                        await self._deliver(item)
            except websockets.ConnectionClosed:
                pass
            if self._closing:
                break
            close = ws.protocol.close_rcvd
            reason = (
                "the connection was lost"
                if close is None
                else f"closed by the server ({close.code} {close.reason})"
            )
            self._fail_pending(
                ChatConnectionError(
                    f"chat connection {reason}", close_code=close.code if close else None
                )
            )
            if close is not None and not self._expired:
                self._close_reason = close.reason
                error = (
                    None
                    if close.code in (1000, 1001)
                    else ChatConnectionError(f"chat connection {reason}", close_code=close.code)
                )
                break
            error = await self._reconnect()
            if error is not None:
                break
        self._set_state(ConnectionState.DISCONNECTED)
        self._end(error)

    def _end(self, error: ChatError | None) -> None:
        """End the stream after the queued items (beyond the bound: it is not an item)."""
        self._ended = True
        self._items.put_nowait(_End(error))

    async def _reconnect(self) -> ChatError | None:
        """Open a new connection with a fresh token; the error that made it give up, or None."""
        self._set_state(ConnectionState.RECONNECTING)
        last: ChatError = ChatConnectionError("no reconnect attempt was allowed")
        for attempt in range(self._max_reconnect_attempts):
            await asyncio.sleep(backoff_delay(attempt))
            if self._closing:
                return None
            try:
                self._ws = await self._open()
            except ChatConnectionError as err:
                last = err
                _log.info("chat reconnect attempt %d failed: %s", attempt + 1, err)
                if err.status == 404 or self._token_provider is None:
                    break
                continue
            self._expired = False
            self._set_state(ConnectionState.CONNECTED)
            return None
        return last

    def _handle(self, raw: str | bytes) -> ChatItem | None:
        """Answer the request a frame answers; the item to deliver, if any."""
        try:
            frame = parse_frame(raw)
        except ValueError as err:
            _log.warning("ignoring a malformed chat frame: %s", err)
            return None
        if frame is None:
            return None
        if frame.id in self._seen:
            return None  # the same frame again, e.g. across a reconnect
        self._seen[frame.id] = None
        if len(self._seen) > _SEEN_IDS:
            self._seen.popitem(last=False)
        request_id = frame.request_id
        if isinstance(frame, ErrorFrame):
            waiting = self._pending.pop(request_id, None) if request_id else None
            if waiting is not None:
                _, future = waiting
                if not future.done():
                    future.set_exception(
                        ChatRequestError(
                            frame.error_code, frame.error_message, request_id, frame.id
                        )
                    )
            elif frame.error_code == 401:
                self._expired = True  # the session expired: reconnect when the server closes
            else:
                _log.warning("chat error %d: %s", frame.error_code, frame.error_message)
            return None
        if request_id and request_id in self._pending:
            expected, future = self._pending[request_id]
            if isinstance(frame, expected):
                del self._pending[request_id]
                if not future.done():
                    future.set_result(frame)
        return frame

    def _fail_pending(self, error: ChatError) -> None:
        pending, self._pending = self._pending, {}
        for _, future in pending.values():
            if not future.done():
                future.set_exception(error)

    # -- requests --------------------------------------------------------------------------

    async def _request(
        self, expected: type[T], action: str, timeout: float | None, **fields: Any
    ) -> T:
        ws = self._ws
        if self._closing:
            raise ChatClosedError(f"cannot send {action}: the ChatClient is closed")
        if self._state is not ConnectionState.CONNECTED or ws is None:
            raise ChatConnectionError(f"cannot send {action}: the client is {self._state.value}")
        request_id = str(uuid.uuid4())
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = (expected, future)
        try:
            await ws.send(request_frame(action, request_id, **fields))
            return await asyncio.wait_for(
                future, self._request_timeout if timeout is None else timeout
            )
        except asyncio.TimeoutError:
            raise ChatTimeoutError(f"no answer to {action} within the timeout") from None
        except websockets.ConnectionClosed as err:
            raise ChatConnectionError(f"the connection closed while sending {action}") from err
        finally:
            self._pending.pop(request_id, None)

    async def send_message(
        self,
        content: str,
        *,
        attributes: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> ChatMessage:
        """Send a message; return it as delivered to the room (with its id).

        Needs the ``SEND_MESSAGE`` capability.

        Raises:
            ParamValidationError: Content above 500 characters or attributes not strings.
            ChatRequestError: Refused: 400 too long for the room, 403 no capability,
                406 rejected by review, 429 the room's rate exceeded, ...
            ChatTimeoutError: No answer within the timeout.
            ChatConnectionError: Not connected (:class:`ChatClosedError` after ``close()``).
        """
        return await self._request(
            ChatMessage,
            "SEND_MESSAGE",
            timeout,
            content=_text(content, "content", 0, _MESSAGE_MAX),
            attributes=_string_map(attributes),
        )

    async def delete_message(
        self, message_id: str, *, reason: str | None = None, timeout: float | None = None
    ) -> MessageDeletedEvent:
        """Tell the room to delete a message; return the ``aws:DELETE_MESSAGE`` event.

        Needs the ``DELETE_MESSAGE`` capability.
        """
        if not re.fullmatch(r"[a-zA-Z0-9]{12}", _text(message_id, "message_id", 12, 12)):
            raise ParamValidationError([("message_id", "must be the 12-character id of a message")])
        return await self._request(
            MessageDeletedEvent, "DELETE_MESSAGE", timeout, id=message_id, reason=_reason(reason)
        )

    async def disconnect_user(
        self, user_id: str, *, reason: str | None = None, timeout: float | None = None
    ) -> UserDisconnectedEvent:
        """Disconnect every connection of a user; return the ``aws:DISCONNECT_USER`` event.

        Needs the ``DISCONNECT_USER`` capability.
        """
        return await self._request(
            UserDisconnectedEvent,
            "DISCONNECT_USER",
            timeout,
            user_id=_text(user_id, "user_id", 1, 128),
            reason=_reason(reason),
        )


def _text(value: object, param: str, lo: int, hi: int) -> str:
    """``value`` if it is a string of ``lo`` to ``hi`` characters (code points)."""
    if not isinstance(value, str) or not lo <= len(value) <= hi:
        limits = f"exactly {lo}" if lo == hi else f"{lo} to {hi}"
        raise ParamValidationError([(param, f"must be a string of {limits} characters")])
    return value


def _string_map(value: object) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ParamValidationError([("attributes", "must map strings to strings")])
    return dict(value)


def _reason(reason: object) -> str | None:
    return None if reason is None else _text(reason, "reason", 1, 256)
