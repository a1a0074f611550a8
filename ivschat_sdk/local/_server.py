"""ivschat-local: the local IVS Chat served over real HTTP and WebSocket with aiohttp.

The server holds no service logic. Every HTTP request is read raw (method, percent-encoded
path, raw query, headers, body) and handed to :meth:`LocalIvsChat.handle`, whose answer is
written back as it is. A WebSocket upgrade (any path) is the chat messaging endpoint: the
token comes from ``Sec-WebSocket-Protocol`` and is echoed back, and the connection joins the
emulator's :class:`ChatHub`. aiohttp is an optional dependency
(``pip install 'ivschat-sdk[local]'``).
"""

from __future__ import annotations

import asyncio
import asyncio.base_events
import contextlib
import gc
import importlib
import json
import logging
import os
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs

from ._emulator import MAX_BODY_BYTES, LocalIvsChat, WireRequest

if TYPE_CHECKING:
    from aiohttp import web

__all__ = [
    "DEFAULT_PORT",
    "MAX_PENDING_BYTES",
    "LocalServer",
    "ServerLimits",
    "Site",
    "http_review_handler",
    "make_server",
    "raise_open_file_limit",
    "start_site",
]

DEFAULT_PORT = 8790
"""The default port of ``ivschat-local`` (LocalStack uses 4566 and 4510-4559)."""

MAX_PENDING_BYTES = 1024 * 1024
"""A chat connection with more unsent bytes than this is a slow consumer: it is closed
(code 1008) so that it cannot stall the room or hold the server's memory."""
MAX_CHAT_FRAME_BYTES = 64 * 1024
"""The largest frame a chat client may send (a 500-character message is far below it)."""
BATCH_THRESHOLD = 200
"""From this many open chat connections on, frames are written in batches (see _Writer)."""
BATCH_WINDOW = 0.05
"""The least time between two batches of writes, in seconds."""
BATCH_LOAD = 0.8
"""The share of the time writing batches may take: when writing a batch takes longer than
``BATCH_LOAD * BATCH_WINDOW``, the next batch waits ``duration / BATCH_LOAD`` after its start,
so that a busy server writes more frames per system call instead of falling behind."""
HEARTBEAT_INTERVAL = 30.0
"""A chat connection silent for this many seconds is sent a ping."""
HEARTBEAT_TIMEOUT = 10.0
"""A pinged chat connection that sends nothing back within this many seconds is dropped."""
HEADER_TIMEOUT = 15.0
"""A connection that has not completed a request's headers this many seconds after opening
(or after its previous answer) is closed."""
SHUTDOWN_GRACE = 1.0
"""On shutdown, how long chat clients get to answer the close frame, in seconds."""
FD_RESERVE = 64
"""File descriptors kept free for everything but connections (state file, logs, refusals)."""
GC_FREEZE_REQUESTS = 1000
"""ivschat-local freezes the objects that survive a garbage collection after this many requests."""
GC_THAW_INTERVAL = 600.0
"""ivschat-local unfreezes and fully collects every this many seconds (frees closed
connections' cycles; the pause is short unless thousands of connections are open)."""
_PING_FRAME = b"\x89\x00"

_log = logging.getLogger("ivschat_sdk.local")
_last_frame: tuple[bytes, bytes] = (b"", b"")


def _text_frame(payload: bytes) -> bytes:
    """The WebSocket text frame (server to client: unmasked, uncompressed) for ``payload``.

    A broadcast hands the same payload object to every connection; the frame is built once.
    """
    global _last_frame
    cached = _last_frame  # one read: servers on other threads may replace it meanwhile
    if cached[0] is payload:
        return cached[1]
    n = len(payload)
    if n < 126:
        header = bytes((0x81, n))
    elif n < 65536:
        header = bytes((0x81, 126)) + n.to_bytes(2, "big")
    else:
        header = bytes((0x81, 127)) + n.to_bytes(8, "big")
    frame = header + payload
    _last_frame = (payload, frame)
    return frame


class _Writer:
    """Writes chat frames to sockets, in order per connection; batches them when busy.

    Each frame written is one ``send`` system call, and that call is most of a delivery's
    cost (7-10 µs of kernel time per call on loopback on the development VM, the same for one
    frame or two). While fewer than :data:`BATCH_THRESHOLD` chat connections are open, frames
    are written at once (about a millisecond from send to delivery). From that many on, they
    are queued and written in batches, each connection's frames of a batch in one call:

    - the first frames after a quiet spell go out on the loop's next turn (a room at 10
      messages per second with a thousand receivers is never delayed);
    - batches start at least :data:`BATCH_WINDOW` seconds apart (at 100 messages per second,
      five frames per call);
    - when writing a batch takes long (10,000 receivers: about 80 ms), the next one waits
      until writing has taken at most :data:`BATCH_LOAD` of the time, so a server short of
      CPU sends several messages per call instead of falling further and further behind.

    The queue holds one entry per broadcast (the frame and the connections it goes to), not
    one per connection, and a close is queued behind the frames sent before it.
    """

    def __init__(self) -> None:
        self.connections = 0
        self._queue: list[
            tuple[Sequence[_WebSocketConnection], bytes | None, tuple[int, str] | None]
        ] = []
        self._timer: asyncio.TimerHandle | None = None
        self._flushed_at = -1e9
        self._gap = BATCH_WINDOW

    def write(self, connections: Sequence[_WebSocketConnection], payload: bytes) -> None:
        """Send ``payload`` (a frame's JSON) to each of ``connections``."""
        if not self._queue and self.connections < BATCH_THRESHOLD:
            frame = _text_frame(payload)
            for connection in connections:
                connection.write_now(frame)
            return
        self._queue.append((connections, payload, None))
        self._schedule()

    def close(self, connection: _WebSocketConnection, code: int, reason: str) -> None:
        """Close ``connection`` once the frames queued for it are written."""
        if not self._queue:
            connection.close_now(code, reason)
            return
        self._queue.append(((connection,), None, (code, reason)))
        self._schedule()

    def _schedule(self) -> None:
        if self._timer is None:
            loop = asyncio.get_running_loop()
            delay = max(0.0, self._flushed_at + self._gap - loop.time())
            self._timer = loop.call_later(delay, self.flush)

    def flush(self) -> None:
        """Write everything queued."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        loop = asyncio.get_running_loop()
        self._flushed_at = started = loop.time()
        queue, self._queue = self._queue, []
        try:
            self._write(queue)
        finally:
            self._gap = max(BATCH_WINDOW, (loop.time() - started) / BATCH_LOAD)

    @staticmethod
    def _write(
        queue: list[tuple[Sequence[_WebSocketConnection], bytes | None, tuple[int, str] | None]],
    ) -> None:
        if len(queue) == 1 and queue[0][1] is not None:  # one broadcast: the common case
            frame = _text_frame(queue[0][1])
            for connection in queue[0][0]:
                connection.write_now(frame)
            return
        out: dict[_WebSocketConnection, list[bytes]] = {}
        framed: dict[int, bytes] = {}  # a broadcast's payload is framed once for everyone
        for connections, payload, close in queue:
            if payload is None:
                assert close is not None
                connection = connections[0]
                before = out.pop(connection, None)
                if before:
                    connection.write_now(b"".join(before))
                connection.close_now(*close)
                continue
            frame = framed.get(id(payload)) or framed.setdefault(id(payload), _text_frame(payload))
            for connection in connections:
                frames = out.get(connection)
                if frames is None:
                    out[connection] = [frame]
                else:
                    frames.append(frame)
        for connection, frames in out.items():
            connection.write_now(frames[0] if len(frames) == 1 else b"".join(frames))


class _WebSocketConnection:
    """A chat connection on an aiohttp WebSocket, usable from any thread.

    It joins its room before the handshake's answer is sent, so that nothing sent to the
    room after a client sees its connection open is missed; until :meth:`opened`, frames
    and a close wait. ``last_seen`` (the loop's clock) is when the peer last sent anything:
    the heartbeat pings it when it has been silent, and drops it if the ping goes unanswered.
    """

    def __init__(
        self, ws: web.WebSocketResponse, transport: asyncio.Transport, writer: _Writer
    ) -> None:
        self._ws = ws
        self._transport = transport
        self._writer = writer
        self._loop = asyncio.get_running_loop()
        self._thread = threading.get_ident()
        self._closing = False
        self._early: list[bytes] | None = []
        self._early_close: tuple[int, str] | None = None
        self.last_seen = self._loop.time()
        self.pinged_at: float | None = None

    def opened(self) -> None:
        """The handshake's answer is written: send what waited, close if asked."""
        early, self._early = self._early or [], None
        if early:
            self.write_now(b"".join(early))
        if self._early_close is not None:
            self._start_close(*self._early_close)

    def send(self, frame: bytes) -> None:
        """Queue one frame; from any thread."""
        if threading.get_ident() == self._thread:
            self._writer.write((self,), frame)
        else:
            self._loop.call_soon_threadsafe(self._writer.write, (self,), frame)

    @staticmethod
    def send_all(connections: list[_WebSocketConnection], frame: bytes) -> None:
        """Queue one frame for many connections at once (a broadcast); from any thread."""
        writer = connections[0]._writer
        if any(c._writer is not writer for c in connections):  # several servers share a hub
            groups: dict[_Writer, list[_WebSocketConnection]] = {}
            for connection in connections:
                groups.setdefault(connection._writer, []).append(connection)
            for group in groups.values():
                _WebSocketConnection.send_all(group, frame)
            return
        first = connections[0]
        if threading.get_ident() == first._thread:
            writer.write(connections, frame)
        else:
            first._loop.call_soon_threadsafe(writer.write, connections, frame)

    def write_now(self, data: bytes) -> None:
        """Hand bytes to the socket; a peer too far behind is dropped instead."""
        if self._early is not None:
            self._early.append(data)
            return
        if self._closing or self._transport.is_closing():
            return
        if self._transport.get_write_buffer_size() > MAX_PENDING_BYTES:
            _log.warning("closing a slow chat consumer (%d bytes unsent)", MAX_PENDING_BYTES)
            self._closing = True
            # Its buffer is full, so a close frame would wait behind it: drop the connection.
            self._transport.abort()
            return
        self._transport.write(data)

    def ping(self, now: float) -> None:
        """Send a ping frame (the peer's pong, like anything it sends, refreshes last_seen)."""
        self.pinged_at = now
        self.write_now(_PING_FRAME)

    def drop(self) -> None:
        """Drop the connection at once, without a closing handshake."""
        self._closing = True
        self._transport.abort()

    def close(self, code: int, reason: str) -> None:
        """Close with a close frame, after the frames sent before; from any thread."""
        # From another thread, through the loop's FIFO queue like send(), so that frames
        # sent before the close go out first.
        if threading.get_ident() == self._thread:
            self._writer.close(self, code, reason)
        else:
            self._loop.call_soon_threadsafe(self._writer.close, self, code, reason)

    def close_now(self, code: int, reason: str) -> None:
        """Start the closing handshake now (the writer calls it in its turn)."""
        self._start_close(code, reason)

    def _start_close(self, code: int, reason: str) -> None:
        if self._early is not None:
            self._early_close = (code, reason)
            return
        if not self._closing:
            self._closing = True
            self._loop.create_task(self._ws.close(code=code, message=reason.encode()))


@attrs.frozen(kw_only=True)
class ServerLimits:
    """How long the server waits on its peers, and how many it holds."""

    heartbeat_interval: float = HEARTBEAT_INTERVAL
    """A chat connection silent this long (seconds) is sent a ping."""
    heartbeat_timeout: float = HEARTBEAT_TIMEOUT
    """A pinged connection that sends nothing back within this long (seconds) is dropped."""
    header_timeout: float = HEADER_TIMEOUT
    """A connection must complete a request's headers within this long (seconds) of opening
    or of its previous answer; otherwise it is closed (slow or idle keep-alive clients)."""
    max_connections: int | None = None
    """Open connections accepted at most; above, new ones get 503 at once. None: the soft
    open-file limit less :data:`FD_RESERVE` descriptors kept for everything else."""
    shutdown_grace: float = SHUTDOWN_GRACE
    """On shutdown, how long chat clients get to answer the close frame (seconds)."""

    def connection_limit(self) -> int:
        """The most connections to hold at once."""
        if self.max_connections is not None:
            return self.max_connections
        try:
            import resource

            soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        except (ImportError, OSError, ValueError):  # pragma: no cover - not POSIX
            return 1 << 30
        if soft == resource.RLIM_INFINITY:
            return 1 << 30
        return max(1, soft - _open_descriptors() - FD_RESERVE)


def _open_descriptors() -> int:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:  # pragma: no cover - no /proc
        return 16


def raise_open_file_limit() -> tuple[int, int] | None:
    """Raise the soft open-file limit to the hard limit; return (old, new), or None if unknown."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        return soft, hard
    except (ImportError, OSError, ValueError):  # pragma: no cover - not POSIX, or refused
        return None


class _Throttled:
    """Logs one warning at most once a second (a flood of refusals must not flood the log)."""

    def __init__(self) -> None:
        self._last = -1e9
        self.suppressed = 0

    def warning(self, message: str, *args: Any) -> None:
        now = time.monotonic()
        if now - self._last < 1.0:
            self.suppressed += 1
            return
        if self.suppressed:
            message += f" ({self.suppressed} more since the last such line)"
        self._last, self.suppressed = now, 0
        _log.warning(message, *args)


class _Refusal(asyncio.Protocol):
    """Answers a connection over the limit with 503 at once, then closes it."""

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        transport.write(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            b"x-amzn-ErrorType: ServiceUnavailableException\r\nRetry-After: 1\r\n"
            b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(self._body), self._body)
        )
        transport.write_eof()
        # Wait (briefly) for the client to read the answer: closing with its request still
        # unread would reset the connection and lose the answer.
        asyncio.get_running_loop().call_later(1.0, transport.abort)

    def data_received(self, data: bytes) -> None:
        pass

    def eof_received(self) -> bool:
        return False  # close


class _OneLineErrors(logging.Filter):
    """Turns aiohttp's tracebacks for requests it cannot parse into one line without them.

    A header over aiohttp's size limit, a broken request line and the like are the client's
    fault: one line says which, without the request's content (it may hold credentials).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and type(exc).__module__.startswith("aiohttp.http"):
            status = getattr(exc, "code", 400)
            what = type(exc).__name__
            if what == "LineTooLong" and len(exc.args) > 1:
                what = f"a request line or header over {exc.args[1]} bytes"
            record.msg = "answered %s to a malformed request: %s"
            record.args = (status, what)
            record.exc_info = None
            record.exc_text = None
        return True


_http_log = logging.getLogger("ivschat_sdk.local.http")
_http_log.addFilter(_OneLineErrors())


class _Connections:
    """The server's chat connections, batching writer and limits."""

    def __init__(self, limits: ServerLimits) -> None:
        self.limits = limits
        self.writer = _Writer()
        self.chat: set[_WebSocketConnection] = set()
        self.closed = asyncio.Event()


async def _serve_chat(
    emulator: LocalIvsChat, request: web.BaseRequest, connections: _Connections
) -> web.StreamResponse:
    """The chat messaging endpoint: the handshake, then the connection's frames."""
    aiohttp_web = _aiohttp_web()
    offered = request.headers.get("Sec-WebSocket-Protocol", "")
    token = offered.split(",")[0].strip()
    session = emulator.open_chat(token) if token else 401
    if isinstance(session, int):
        text = (
            "The room does not exist" if session == 404 else "Invalid, used or expired chat token"
        )
        refusal: web.StreamResponse = aiohttp_web.json_response(
            {"ErrorCode": session, "ErrorMessage": text}, status=session
        )
        return refusal
    ws: web.WebSocketResponse = aiohttp_web.WebSocketResponse(
        protocols=[token],
        compress=False,
        max_msg_size=MAX_CHAT_FRAME_BYTES,
        autoping=False,  # pings and pongs are counted as signs of life (see _Site._tick)
        timeout=connections.limits.shutdown_grace,  # how long a close waits for the answer
    )
    transport = request.transport
    assert transport is not None
    hub = emulator.chat
    writer = connections.writer
    connection = _WebSocketConnection(ws, transport, writer)
    member = hub.join(session, connection, ip=request.remote or "")
    writer.connections += 1
    connections.chat.add(connection)
    loop = asyncio.get_running_loop()
    remaining = (session.session_expiration_time - emulator.now()).total_seconds()
    expiry = loop.call_later(max(0.0, remaining), hub.expire, member)
    text, binary, ping = (
        aiohttp_web.WSMsgType.TEXT,
        aiohttp_web.WSMsgType.BINARY,
        aiohttp_web.WSMsgType.PING,
    )
    try:
        await ws.prepare(request)
        connection.opened()
        async for message in ws:
            connection.last_seen = loop.time()
            kind = message.type
            if kind is text or kind is binary:
                await hub.receive(member, message.data)
            elif kind is ping:
                await ws.pong(message.data)
    finally:
        writer.connections -= 1
        connections.chat.discard(connection)
        expiry.cancel()
        hub.leave(member)
    return ws


def _aiohttp_web() -> Any:
    try:
        from aiohttp import web
    except ImportError as err:  # pragma: no cover - depends on the installed extras
        raise ImportError(
            "the ivschat-local server needs aiohttp: pip install 'ivschat-sdk[local]'"
        ) from err
    return web


async def _read_body(request: web.BaseRequest) -> bytes:
    """Read at most one byte more than the emulator accepts, so it can answer 413."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_any():
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            break
    return b"".join(chunks)


def make_server(emulator: LocalIvsChat, **kwargs: Any) -> web.Server:
    """Build aiohttp's low-level server answering every request from ``emulator``.

    No aiohttp routing is involved: any method and any path, even one no router pattern
    would match, reaches the emulator, which answers as the service would. ``kwargs`` go to
    aiohttp's request handler (e.g. ``access_log``, ``access_log_format``). Heartbeats, the
    connection limit and the shutdown that closes chat connections come with
    :class:`LocalServer` and ``ivschat-local``, which serve it through :func:`start_site`.
    """
    return _make_server(emulator, _Connections(ServerLimits()), **kwargs)


def _make_server(emulator: LocalIvsChat, connections: _Connections, **kwargs: Any) -> web.Server:
    aiohttp_web = _aiohttp_web()

    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await _serve_chat(emulator, request, connections)
        body = await _read_body(request)
        answer = emulator.handle(
            WireRequest(
                method=request.method,
                path=request.rel_url.raw_path,
                query=request.rel_url.raw_query_string,
                headers={k.lower(): v for k, v in request.headers.items()},
                body=body,
            )
        )
        response: web.StreamResponse = aiohttp_web.Response(
            status=answer.status, headers=answer.headers, body=answer.body
        )
        return response

    kwargs.setdefault("logger", _http_log)
    kwargs.setdefault("keepalive_timeout", connections.limits.header_timeout)
    server: web.Server = _counting_server_class()(handle, **kwargs)
    return server


_COUNTING_SERVER: list[type[web.Server]] = []


def _counting_server_class() -> type[web.Server]:
    """aiohttp's server, counting the connections it holds from the moment each is accepted.

    (aiohttp's own registry learns of a connection one loop turn later, so a burst of
    accepts would overshoot the limit.)
    """
    if not _COUNTING_SERVER:
        aiohttp_web = _aiohttp_web()

        class CountingServer(aiohttp_web.Server):  # type: ignore[misc,name-defined]
            open_connections = 0

            def __call__(self) -> Any:
                handler = super().__call__()
                self.open_connections += 1
                return handler

            def connection_lost(self, handler: Any, exc: BaseException | None = None) -> None:
                super().connection_lost(handler, exc)
                self.open_connections -= 1

        _COUNTING_SERVER.append(CountingServer)
    return _COUNTING_SERVER[0]


def http_review_handler(url: str) -> Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]:
    """A message review handler that POSTs the payload as JSON to ``url``.

    The JSON answer is the handler's answer, as a Lambda function's would be.
    """
    aiohttp = importlib.import_module("aiohttp")

    async def review(payload: dict[str, Any]) -> dict[str, Any]:
        async with aiohttp.ClientSession() as session, session.post(url, json=payload) as response:
            response.raise_for_status()
            answer: dict[str, Any] = await response.json(content_type=None)
            return answer

    return review


def _cancel_all(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what is left on a stopped loop (handlers of dropped connections) and let it end."""
    tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.wait(tasks, timeout=0.5))


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class Site:
    """A running ``ivschat-local``: listens, sweeps, and shuts down in about a second."""

    def __init__(
        self,
        emulator: LocalIvsChat,
        limits: ServerLimits,
        *,
        manage_gc: bool = False,
        **server_kwargs: Any,
    ):
        self.emulator = emulator
        self.limits = limits
        self.url = ""
        """The URL it serves, once started."""
        self._connections = _Connections(limits)
        self._web_server = _make_server(emulator, self._connections, **server_kwargs)
        self._server: asyncio.base_events.Server | None = None
        self._max_connections = limits.connection_limit()
        self._refusals = _Throttled()
        self._tick_handle: asyncio.TimerHandle | None = None
        self._closed = False
        self._manage_gc = manage_gc
        self._gc_requests = 0
        self._gc_thawed_at = time.monotonic()
        self._gc_ticks = 0
        body = json.dumps(
            {
                "message": "ivschat-local is at its limit of "
                f"{self._max_connections} open connections; try again later"
            }
        ).encode()
        self._refusal_body = body

    @property
    def chat_connections(self) -> int:
        """How many chat connections are open."""
        return len(self._connections.chat)

    def _protocol(self) -> asyncio.Protocol:
        """A new connection's protocol: aiohttp's, or a 503 when at the connection limit."""
        open_now: int = getattr(self._web_server, "open_connections", 0)
        if open_now >= self._max_connections:
            self._refusals.warning(
                "ivschat-local: refusing new connections with 503: %d are open, the most the"
                " open-file limit allows (raise it with ulimit -n)",
                open_now,
            )
            return _Refusal(self._refusal_body)
        protocol: asyncio.Protocol = self._web_server()
        return protocol

    async def start(self, host: str, port: int) -> str:
        """Listen on ``host:port``; return the URL.

        Raises:
            OSError: The address cannot be bound (e.g. the port is taken).

        """
        loop = asyncio.get_running_loop()
        previous = loop.get_exception_handler()
        accept_errors = _Throttled()

        def on_error(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
            if str(context.get("message", "")).startswith("socket.accept() out of system"):
                # Out of file descriptors despite the limit: asyncio retries in a second.
                accept_errors.warning(
                    "ivschat-local: cannot accept connections: %s", context.get("exception")
                )
            elif previous is not None:
                previous(loop, context)
            else:
                loop.default_exception_handler(context)

        loop.set_exception_handler(on_error)
        self._server = await loop.create_server(self._protocol, host, port, backlog=1024)
        bound_host, bound_port = self._server.sockets[0].getsockname()[:2]
        self.url = _url(bound_host, bound_port)
        self._schedule_tick()
        return self.url

    def _tick_period(self) -> float:
        limits = self.limits
        return max(0.01, min(1.0, limits.heartbeat_interval / 4, limits.heartbeat_timeout / 4))

    def _schedule_tick(self) -> None:
        loop = asyncio.get_running_loop()
        self._tick_handle = loop.call_later(self._tick_period(), self._tick)

    def _tick(self) -> None:
        """Every second or so: free expired tokens, ping silent chat peers, drop dead ones."""
        if self._closed:
            return
        try:
            self.emulator.sweep()
            if self._manage_gc:
                self._collect_garbage()
            now = asyncio.get_running_loop().time()
            interval = self.limits.heartbeat_interval
            timeout = self.limits.heartbeat_timeout
            dropped = 0
            # Pings (and so pongs) are spread: at most a twentieth of the connections a tick,
            # so that thousands connected together are not all pinged in the same instant.
            chat = self._connections.chat
            pings_left = max(100, len(chat) // 20)
            for connection in list(chat):
                pinged = connection.pinged_at
                if pinged is not None and connection.last_seen < pinged:
                    if now - pinged >= timeout:
                        connection.drop()
                        dropped += 1
                elif pings_left and now - connection.last_seen >= interval:
                    connection.ping(now)
                    pings_left -= 1
            if dropped:
                _log.info(
                    "dropped %d chat connection(s) that did not answer a ping within %gs",
                    dropped,
                    timeout,
                )
        finally:
            self._schedule_tick()

    def _collect_garbage(self) -> None:
        """Keep the garbage collector's pauses short with many connections open.

        CPython's full collections walk every object; with 10,000 chat connections that is
        about a million objects and a pause of a second, in the middle of deliveries. So the
        automatic collector is off in ``ivschat-local``, and this sweep, between events,
        collects instead: the young objects every second; and the objects that survive a
        full collection are frozen (``gc.freeze``: left out of later collections), a step at
        a time, after every :data:`GC_FREEZE_REQUESTS` requests (chat handshakes included)
        or every minute, so that each full collection walks only what came since the last.
        Garbage cycles among frozen objects (closed connections) are freed by a full
        collection of everything every :data:`GC_THAW_INTERVAL` seconds.
        """
        if gc.isenabled():
            gc.disable()
        requests: int = getattr(self._web_server, "requests_count", 0)
        now = time.monotonic()
        self._gc_ticks += 1
        if now - self._gc_thawed_at >= GC_THAW_INTERVAL:
            self._gc_thawed_at = now
            self._gc_requests = requests
            gc.unfreeze()
            gc.collect()
            gc.freeze()
        elif requests - self._gc_requests >= GC_FREEZE_REQUESTS or self._gc_ticks >= 60:
            self._gc_requests = requests
            self._gc_ticks = 0
            gc.collect()
            gc.freeze()
        else:
            gc.collect(1)

    async def close(self) -> None:
        """Stop: refuse new connections, close every chat connection with 1001 (going away).

        Returns within about ``shutdown_grace`` + 0.5 seconds, whatever the clients do.
        """
        if self._closed:
            return
        self._closed = True
        if self._tick_handle is not None:
            self._tick_handle.cancel()
        if self._server is not None:
            self._server.close()  # new connections are refused from here on
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limits.shutdown_grace
        self.emulator.chat.going_away()
        self._web_server.pre_shutdown()  # idle keep-alive HTTP connections close now
        while self._connections.chat and loop.time() < deadline:
            await asyncio.sleep(0.02)
        for connection in list(self._connections.chat):
            connection.drop()  # it did not answer the close frame in time
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._web_server.shutdown(0.2), 0.5)
        for transport in list(self._web_server._connections.values()):
            transport.abort()
        await asyncio.sleep(0)


async def start_site(
    emulator: LocalIvsChat, host: str, port: int, limits: ServerLimits | None = None,
    *, manage_gc: bool = False, **server_kwargs: Any,
) -> Site:  # fmt: skip
    """Serve ``emulator`` on ``host:port`` in the running loop; return the running site.

    ``manage_gc`` (for a process that serves and does nothing else, as ``ivschat-local``)
    keeps the garbage collector's pauses short (see :meth:`Site._collect_garbage`).

    Raises:
        OSError: The address cannot be bound (e.g. the port is taken).

    """
    site = Site(emulator, limits or ServerLimits(), manage_gc=manage_gc, **server_kwargs)
    await site.start(host, port)
    return site


class LocalServer:
    """``ivschat-local`` on a background thread: for tests and scripts.

    ::

        with LocalServer() as server:                  # a free port on 127.0.0.1
            client = IvsChatClient(region_name="us-west-2", endpoint_url=server.url)

    Args:
        emulator: The emulator to serve; a fresh :class:`LocalIvsChat` by default.
        host: The address to listen on.
        port: The port; 0 (default) picks a free one.
        heartbeat_interval: Ping a chat connection silent for this many seconds (30).
        heartbeat_timeout: Drop a pinged connection silent this many seconds more (10).
        header_timeout: Close a connection that has not sent a request's headers within
            this many seconds of opening or of its previous answer (15).
    """

    def __init__(
        self,
        emulator: LocalIvsChat | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        heartbeat_interval: float = HEARTBEAT_INTERVAL,
        heartbeat_timeout: float = HEARTBEAT_TIMEOUT,
        header_timeout: float = HEADER_TIMEOUT,
    ) -> None:
        self.emulator = emulator or LocalIvsChat()
        self._host = host
        self._port = port
        self._limits = ServerLimits(
            heartbeat_interval=heartbeat_interval,
            heartbeat_timeout=heartbeat_timeout,
            header_timeout=header_timeout,
        )
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._site: Site | None = None
        self._url: str | None = None

    @property
    def ws_url(self) -> str:
        """The chat messaging endpoint, e.g. ``ws://127.0.0.1:54321``."""
        return "ws" + self.url[len("http") :]

    @property
    def url(self) -> str:
        """The server's URL, e.g. ``http://127.0.0.1:54321``.

        Raises:
            RuntimeError: The server is not running.
        """
        if self._url is None:
            raise RuntimeError("the server is not running; call start() first")
        return self._url

    def start(self) -> str:
        """Start serving; return the URL once it accepts connections."""
        if self._thread is not None:
            raise RuntimeError("the server is already running")
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                self._site = loop.run_until_complete(
                    start_site(self.emulator, self._host, self._port, self._limits, access_log=None)
                )
                self._url = self._site.url
            except BaseException as err:
                failure.append(err)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            try:
                loop.run_until_complete(self._site.close())
                _cancel_all(loop)
            finally:
                loop.close()

        self._thread = threading.Thread(target=run, name="ivschat-local", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = None
            raise failure[0]
        return self.url

    def stop(self) -> None:
        """Stop serving and wait for the thread to end (idempotent).

        New connections are refused at once, every chat connection is sent a close frame
        (1001, going away), and it returns within about 1.5 seconds whatever clients do.
        Then the emulator's buffered chat logs are written (``flush_chat_logs``).
        """
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._thread = None
        self._site = None
        self._url = None
        self.emulator.flush_chat_logs()

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<LocalServer url={self._url!r}>"
