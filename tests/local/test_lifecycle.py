"""Shutdown in seconds: SIGTERM, SIGINT, SIGHUP and LocalServer.stop() with chat clients connected."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from ivschat_sdk.local import LocalServer


def control_client(url: str) -> Any:
    """A boto3 ivschat client of ``url``."""
    return boto3.client(
        "ivschat", region_name="us-west-2", endpoint_url=url,
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
    )  # fmt: skip


def chat_token(url: str) -> str:
    """A chat token for a new room of the server at ``url``."""
    control = control_client(url)
    room = control.create_room()["arn"]
    return str(control.create_chat_token(roomIdentifier=room, userId="u")["token"])


def stuck_chat_client(url: str, token: str) -> socket.socket:
    """A chat connection whose client completed the handshake and then never reads again.

    It will not answer a close frame: the server must not wait for it.
    """
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET / HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: {token}\r\n\r\n"
        ).encode()
    )
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 101"), answer[:100]
    return sock


@pytest.fixture
def cli() -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``ivschat-local`` in its own process on a free port; killed at the end if still running."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ivschat_sdk.local", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    url = process.stdout.readline().strip().rsplit(" ", 1)[1]
    yield process, url
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=30)


async def _close_code_after(stop: Any, url: str, tokens: list[str]) -> tuple[int | None, float]:
    """Connect a chat client, call ``stop()``; return the close code it got and stop's time."""
    ws_url = "ws" + url[len("http") :]
    async with connect(ws_url, subprotocols=[tokens[0]]) as ws:  # type: ignore[list-item]
        started = time.monotonic()
        elapsed = await asyncio.to_thread(stop)
        with contextlib.suppress(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
        assert ws.close_code is not None
        return ws.close_code, elapsed if elapsed is not None else time.monotonic() - started


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_stops_the_command_within_two_seconds_with_chat_clients_connected(
    stop_signal: signal.Signals, cli: tuple[subprocess.Popen[str], str]
) -> None:
    """SIGTERM, SIGINT and SIGHUP: every chat client gets a close frame 1001; exit 0 in < 2 s.

    One client answers the close; another completed its handshake and never reads again
    (it cannot answer): the server does not wait for it. After the signal, new connections
    are refused.
    """
    process, url = cli
    stuck = stuck_chat_client(url, chat_token(url))
    token = chat_token(url)

    def stop() -> float:
        started = time.monotonic()
        process.send_signal(stop_signal)
        process.wait(timeout=10)
        return time.monotonic() - started

    try:
        code, elapsed = asyncio.run(_close_code_after(stop, url, [token]))
    finally:
        stuck.close()
    _, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert code == 1001
    assert elapsed < 2.0, elapsed
    assert f"{stop_signal.name} received: closing 2 chat connection(s)" in err
    assert "Traceback" not in err
    parts = urlsplit(url)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((parts.hostname, parts.port), timeout=2)


def test_local_server_stop_takes_under_two_seconds_with_chat_clients_connected() -> None:
    """LocalServer.stop() (the pytest fixture's teardown): close frame 1001, done in < 2 s."""
    server = LocalServer()
    url = server.start()
    stuck = stuck_chat_client(url, chat_token(url))
    token = chat_token(url)

    def stop() -> float:
        started = time.monotonic()
        server.stop()
        return time.monotonic() - started

    try:
        code, elapsed = asyncio.run(_close_code_after(stop, url, [token]))
    finally:
        stuck.close()
        server.stop()
    assert code == 1001
    assert elapsed < 2.0, elapsed
    parts = urlsplit(url)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((parts.hostname, parts.port), timeout=2)


def test_local_server_stop_is_quick_without_clients() -> None:
    """With nothing connected (the common test teardown), stop() takes well under a second."""
    server = LocalServer()
    server.start()
    control_client(server.url).list_rooms()  # leaves an idle keep-alive connection
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 0.5


def test_under_nohup_sighup_is_left_ignored() -> None:
    """Started with SIGHUP ignored (as nohup does), the server ignores it and keeps serving."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ivschat_sdk.local", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
    )  # fmt: skip
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().rsplit(" ", 1)[1]
        process.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        assert process.poll() is None
        assert control_client(url).list_rooms()["rooms"] == []
    finally:
        process.terminate()
        process.communicate(timeout=10)
    assert process.returncode == 0
