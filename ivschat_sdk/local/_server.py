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
import importlib
import logging
import threading
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._emulator import MAX_BODY_BYTES, LocalIvsChat, WireRequest

if TYPE_CHECKING:
    from aiohttp import web

__all__ = [
    "DEFAULT_PORT",
    "MAX_PENDING_BYTES",
    "LocalServer",
    "http_review_handler",
    "make_server",
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
"""How long frames are gathered before a batch is written, in seconds."""

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
    """Writes chat frames to sockets; batches them when the server is busy.

    Each frame written is one ``send`` system call, and on loopback that call is most of a
    delivery's cost. While fewer than :data:`BATCH_THRESHOLD` chat connections are open,
    frames are written at once (about a millisecond from send to delivery). From that many
    on, each connection's frames are gathered and written together every
    :data:`BATCH_WINDOW` seconds: at 100 messages per second that is five frames per call.
    """

    def __init__(self) -> None:
        self.connections = 0
        self._pending: dict[_WebSocketConnection, list[bytes]] = {}
        self._timer: asyncio.TimerHandle | None = None

    def write(self, connection: _WebSocketConnection, payload: bytes) -> None:
        pending = self._pending.get(connection)
        if pending is not None:
            pending.append(payload)  # keep the connection's frames in order
        elif self.connections < BATCH_THRESHOLD:
            connection.write_now(_text_frame(payload))
        else:
            self._pending[connection] = [payload]
            if self._timer is None:
                self._timer = asyncio.get_running_loop().call_later(BATCH_WINDOW, self.flush)

    def flush(self, only: _WebSocketConnection | None = None) -> None:
        """Write the gathered frames (of one connection, or of all)."""
        if only is not None:
            payloads = self._pending.pop(only, None)
            if payloads:
                only.write_now(b"".join(_text_frame(p) for p in payloads))
            return
        self._timer = None
        pending, self._pending = self._pending, {}
        frames: dict[int, bytes] = {}  # a broadcast's payload is framed once for everyone
        for connection, payloads in pending.items():
            data = b"".join(
                frames.get(id(p)) or frames.setdefault(id(p), _text_frame(p)) for p in payloads
            )
            connection.write_now(data)


class _WebSocketConnection:
    """A chat connection on an aiohttp WebSocket, usable from any thread.

    It joins its room before the handshake's answer is sent, so that nothing sent to the
    room after a client sees its connection open is missed; until :meth:`opened`, frames
    and a close wait.
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

    def opened(self) -> None:
        """The handshake's answer is written: send what waited, close if asked."""
        early, self._early = self._early or [], None
        if early:
            self.write_now(b"".join(early))
        if self._early_close is not None:
            self._start_close(*self._early_close)

    def send(self, frame: bytes) -> None:
        if threading.get_ident() == self._thread:
            self._writer.write(self, frame)
        else:
            self._loop.call_soon_threadsafe(self._writer.write, self, frame)

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

    def close(self, code: int, reason: str) -> None:
        # From another thread, through the loop's FIFO queue like send(), so that frames
        # sent before the close go out first.
        if threading.get_ident() == self._thread:
            self._start_close(code, reason)
        else:
            self._loop.call_soon_threadsafe(self._start_close, code, reason)

    def _start_close(self, code: int, reason: str) -> None:
        if self._early is not None:
            self._early_close = (code, reason)
            return
        self._writer.flush(only=self)
        if not self._closing:
            self._closing = True
            self._loop.create_task(self._ws.close(code=code, message=reason.encode()))


async def _serve_chat(
    emulator: LocalIvsChat, request: web.BaseRequest, writer: _Writer
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
        protocols=[token], compress=False, max_msg_size=MAX_CHAT_FRAME_BYTES
    )
    transport = request.transport
    assert transport is not None
    hub = emulator.chat
    connection = _WebSocketConnection(ws, transport, writer)
    member = hub.join(session, connection, ip=request.remote or "")
    writer.connections += 1
    loop = asyncio.get_running_loop()
    remaining = (session.session_expiration_time - emulator.now()).total_seconds()
    expiry = loop.call_later(max(0.0, remaining), hub.expire_sessions)
    try:
        await ws.prepare(request)
        connection.opened()
        async for message in ws:
            if message.type in (aiohttp_web.WSMsgType.TEXT, aiohttp_web.WSMsgType.BINARY):
                await hub.receive(member, message.data)
    finally:
        writer.connections -= 1
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
    aiohttp's request handler (e.g. ``access_log``, ``access_log_format``).
    """
    aiohttp_web = _aiohttp_web()
    writer = _Writer()

    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await _serve_chat(emulator, request, writer)
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

    server: web.Server = aiohttp_web.Server(handle, **kwargs)
    return server


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


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


async def start_site(
    emulator: LocalIvsChat, host: str, port: int, **server_kwargs: Any
) -> tuple[web.BaseRunner, str]:
    """Serve ``emulator`` on ``host:port`` in the running loop; return the runner and the URL.

    Raises:
        OSError: The address cannot be bound (e.g. the port is taken).

    """
    aiohttp_web = _aiohttp_web()
    runner: web.BaseRunner = aiohttp_web.ServerRunner(make_server(emulator, **server_kwargs))
    await runner.setup()
    try:
        await aiohttp_web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    bound_host, bound_port = runner.addresses[0][:2]
    return runner, _url(bound_host, bound_port)


class LocalServer:
    """``ivschat-local`` on a background thread: for tests and scripts.

    ::

        with LocalServer() as server:                  # a free port on 127.0.0.1
            client = IvsChatClient(region_name="us-west-2", endpoint_url=server.url)

    Args:
        emulator: The emulator to serve; a fresh :class:`LocalIvsChat` by default.
        host: The address to listen on.
        port: The port; 0 (default) picks a free one.
    """

    def __init__(
        self, emulator: LocalIvsChat | None = None, *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.emulator = emulator or LocalIvsChat()
        self._host = host
        self._port = port
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
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
                runner, self._url = loop.run_until_complete(
                    start_site(self.emulator, self._host, self._port, access_log=None)
                )
            except BaseException as err:
                failure.append(err)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(runner.cleanup())
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
        """Stop serving and wait for the thread to end (idempotent)."""
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._thread = None
        self._url = None

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
