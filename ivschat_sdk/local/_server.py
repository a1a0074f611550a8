"""ivschat-local: the local IVS Chat served over real HTTP with aiohttp.

The server holds no service logic: every request is read raw (method, percent-encoded path,
raw query, headers, body) and handed to :meth:`LocalIvsChat.handle`, whose answer is written
back as it is. aiohttp is an optional dependency (``pip install 'ivschat-sdk[local]'``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._emulator import MAX_BODY_BYTES, LocalIvsChat, WireRequest

if TYPE_CHECKING:
    from aiohttp import web

__all__ = ["DEFAULT_PORT", "LocalServer", "make_server", "start_site"]

DEFAULT_PORT = 8790
"""The default port of ``ivschat-local`` (LocalStack uses 4566 and 4510-4559)."""

_log = logging.getLogger("ivschat_sdk.local")


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

    async def handle(request: web.BaseRequest) -> web.StreamResponse:
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
