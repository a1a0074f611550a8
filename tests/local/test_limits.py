"""Bounded resources: tokens, regions, RequestIds, heartbeats, file descriptors, slow clients."""

from __future__ import annotations

import asyncio
import json
import re
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from websockets.asyncio.client import connect

from ivschat_sdk.local import LocalIvsChat, LocalServer, WireRequest

from ..conftest import wire_request
from .test_lifecycle import chat_token, control_client, stuck_chat_client

T0 = datetime(2026, 6, 1, tzinfo=timezone.utc)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def in_region(operation: str, params: dict[str, Any], region: str) -> WireRequest:
    """``operation`` signed for ``region``."""
    request = wire_request(operation, params)
    auth = request.headers["authorization"].replace("/us-west-2/", f"/{region}/")
    return WireRequest(
        method=request.method, path=request.path, query=request.query,
        headers={**request.headers, "authorization": auth}, body=request.body,
    )  # fmt: skip


def wait_until(condition: Any, seconds: float) -> float:
    """Poll ``condition()`` until true; return how long it took (fail after ``seconds``)."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "timed out"
        time.sleep(0.02)
    return time.monotonic() - started


def test_expired_tokens_are_freed_within_seconds_on_an_idle_server() -> None:
    """Tokens past their minute are freed by the server's sweep, with no request coming in."""
    clock = Clock()
    local = LocalIvsChat(clock=clock)
    room = local.handle(wire_request("CreateRoom", {})).json()["arn"]
    for i in range(500):
        local.handle(wire_request("CreateChatToken", {"roomIdentifier": room, "userId": f"u{i}"}))
    with LocalServer(local):
        assert local._backend.token_count() == 500
        clock.now += timedelta(minutes=1, seconds=1)
        wait_until(lambda: local._backend.token_count() == 0, 3.0)


def test_expired_tokens_are_freed_on_a_busy_emulator() -> None:
    """Without a server, any request frees the tokens that expired (not only token requests)."""
    clock = Clock()
    local = LocalIvsChat(clock=clock)
    room = local.handle(wire_request("CreateRoom", {})).json()["arn"]
    for i in range(500):
        local.handle(wire_request("CreateChatToken", {"roomIdentifier": room, "userId": f"u{i}"}))
    clock.now += timedelta(seconds=30)
    local.handle(wire_request("CreateChatToken", {"roomIdentifier": room, "userId": "late"}))
    clock.now += timedelta(seconds=31)
    local.handle(wire_request("ListRooms", {}))
    assert local._backend.token_count() == 1  # only the late one is still valid


def test_tokens_of_a_deleted_room_and_used_tokens_are_freed_at_once() -> None:
    """DeleteRoom frees its room's tokens' sessions at once; a used token is freed when used.

    A deleted room's token keeps only its expiry until then, to be refused with 404 (room
    gone) rather than 401.
    """
    local = LocalIvsChat()
    doomed = local.handle(wire_request("CreateRoom", {})).json()["arn"]
    kept = local.handle(wire_request("CreateRoom", {})).json()["arn"]
    for _ in range(100):
        local.handle(wire_request("CreateChatToken", {"roomIdentifier": doomed, "userId": "u"}))
    tokens = [
        local.handle(
            wire_request("CreateChatToken", {"roomIdentifier": kept, "userId": "u"})
        ).json()["token"]
        for _ in range(3)
    ]
    spare = local.handle(
        wire_request("CreateChatToken", {"roomIdentifier": doomed, "userId": "u"})
    ).json()["token"]
    local.handle(wire_request("DeleteRoom", {"identifier": doomed}))
    assert local._backend.token_count() == 3
    assert local.open_chat(spare) == 404
    assert local.redeem_chat_token(tokens[0]) is not None
    assert local._backend.token_count() == 2
    assert local.redeem_chat_token(tokens[0]) is None  # used: refused, as before


def test_read_only_requests_for_made_up_regions_create_no_state(tmp_path: Path) -> None:
    """Thousands of reads signed for made-up regions keep no region state and write nothing.

    Reads, and writes that are refused, leave the emulator and its state file as they were;
    with rate limits on, their one-second windows are freed by the sweep.
    """
    clock = Clock()
    local = LocalIvsChat(state_file=tmp_path / "state.db", rate_limits=True, clock=clock)
    store = local._backend.store
    assert store is not None
    writes: list[Any] = []
    original = store.write
    store.write = lambda *args: writes.append(args) or original(*args)  # type: ignore[method-assign]
    fake_arn = "arn:aws:ivschat:{}:123456789012:room/AbCdEfGh1234"
    for i in range(150):
        region = f"made-up-{i}"
        for operation, params in [
            ("ListRooms", {}),
            ("GetRoom", {"identifier": fake_arn.format(region)}),
            ("ListLoggingConfigurations", {}),
            ("ListTagsForResource", {"resourceArn": fake_arn.format(region)}),
            ("CreateChatToken", {"roomIdentifier": fake_arn.format(region), "userId": "u"}),
            ("DeleteRoom", {"identifier": fake_arn.format(region)}),
            ("CreateRoom", {"name": "not valid!"}),
        ]:
            status = local.handle(in_region(operation, params, region)).status
            assert status in (200, 400, 404), (operation, status)
    assert local._backend.region_count() == 0
    assert local.export_state()["regions"] == []
    assert writes == []
    clock.now += timedelta(seconds=2)
    local.sweep()
    assert local._backend._api_rates is not None
    assert local._backend._api_rates._windows == {}
    local.close()


def test_deleting_the_last_resource_of_a_region_frees_the_region() -> None:
    """A region whose last room is deleted holds no state any more."""
    local = LocalIvsChat()
    room = local.handle(in_region("CreateRoom", {}, "xx-test-1")).json()["arn"]
    assert local._backend.region_count() == 1
    local.handle(in_region("DeleteRoom", {"identifier": room}, "xx-test-1"))
    assert local._backend.region_count() == 0


def test_a_request_id_over_the_bound_gets_an_error_frame_and_is_not_broadcast() -> None:
    """RequestId: up to 128 characters (AWS's JS client sends a 36-character UUID) is echoed.

    A longer one gets an ERROR frame (400) to the sender only; nothing reaches the room.
    """
    from ivschat_sdk.local._chat import MAX_REQUEST_ID_LENGTH

    assert MAX_REQUEST_ID_LENGTH == 128

    async def scenario(server: LocalServer) -> None:
        url = server.url
        sender = await connect(server.ws_url, subprotocols=[chat_token_for(url, room, True)])  # type: ignore[list-item]
        other = await connect(server.ws_url, subprotocols=[chat_token_for(url, room, False)])  # type: ignore[list-item]
        for request_id in ["r" * 60_000, "r" * 129]:
            await sender.send(
                json.dumps({"Action": "SEND_MESSAGE", "RequestId": request_id, "Content": "x"})
            )
            error = json.loads(await asyncio.wait_for(sender.recv(), 5))
            assert (error["Type"], error["ErrorCode"]) == ("ERROR", 400)
            assert "at most 128 characters" in error["ErrorMessage"]
        await sender.send(
            json.dumps({"Action": "SEND_MESSAGE", "RequestId": "r" * 128, "Content": "ok"})
        )
        for ws in (sender, other):  # the first frame the other connection sees is this one
            message = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert (message["Type"], message["RequestId"]) == ("MESSAGE", "r" * 128)
        await sender.close()
        await other.close()

    with LocalServer() as server:
        room = control_client(server.url).create_room()["arn"]
        asyncio.run(scenario(server))


def chat_token_for(url: str, room: str, send: bool) -> str:
    """A token for ``room``, able to send messages or not."""
    caps = ["SEND_MESSAGE"] if send else []
    return str(
        control_client(url).create_chat_token(roomIdentifier=room, userId="u", capabilities=caps)[
            "token"
        ]
    )


def test_heartbeat_drops_a_peer_that_stops_answering_and_keeps_one_that_answers() -> None:
    """Silent chat connections are pinged; one that never answers is dropped, one that does stays.

    With a 0.3 s interval and a 0.3 s timeout, the unanswering peer is gone within about a
    second (it did receive the ping), while a normal client (which answers pings) stays.
    """

    async def scenario(server: LocalServer) -> None:
        url = server.url
        alive = await connect(server.ws_url, subprotocols=[chat_token(url)], ping_interval=None)  # type: ignore[list-item]
        dead = stuck_chat_client(url, chat_token(url))
        try:
            hub = server.emulator.chat
            assert hub.connection_count() == 2
            started = time.monotonic()
            while hub.connection_count() == 2:
                assert time.monotonic() - started < 3.0
                await asyncio.sleep(0.02)
            assert time.monotonic() - started < 1.5
            await asyncio.sleep(1.0)  # several more rounds of pings: the live one answers them
            assert hub.connection_count() == 1
            dead.settimeout(2)
            received = dead.recv(100)
            assert received.startswith(b"\x89\x00")  # the unanswered ping
        finally:
            dead.close()
            await alive.close()

    with LocalServer(heartbeat_interval=0.3, heartbeat_timeout=0.3) as server:
        asyncio.run(scenario(server))


def test_slow_clients_that_never_finish_their_headers_are_timed_out() -> None:
    """A connection with half a request (or none) is closed after the header timeout."""
    with LocalServer(header_timeout=0.4) as server:
        parts = urlsplit(server.url)
        assert parts.hostname is not None and parts.port is not None
        half = socket.create_connection((parts.hostname, parts.port), timeout=5)
        half.sendall(b"POST /ListRooms HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        silent = socket.create_connection((parts.hostname, parts.port), timeout=5)
        started = time.monotonic()
        assert half.recv(100) == b""
        assert silent.recv(100) == b""
        assert time.monotonic() - started < 2.0
        half.close()
        silent.close()


def test_header_over_aiohttps_limit_gets_400_and_one_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 10 KB header (aiohttp's limit is 8190 bytes) gets 400 and one log line, no traceback.

    The line does not repeat the header (it could hold credentials).
    """
    with LocalServer() as server:
        parts = urlsplit(server.url)
        assert parts.hostname is not None and parts.port is not None
        with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
            sock.sendall(
                b"POST /ListRooms HTTP/1.1\r\nHost: x\r\nX-Big: " + b"s" * 10_000 + b"\r\n\r\n"
            )
            answer = sock.recv(200)
    assert re.match(rb"HTTP/1\.[01] 4\d\d ", answer), answer
    records = [r for r in caplog.records if r.name.startswith("ivschat_sdk.local")]
    assert [r.getMessage() for r in records] == [
        "answered 400 to a malformed request: a request line or header over 8190 bytes"
    ]
    assert records[0].exc_info is None
    assert "sss" not in caplog.text


LIMIT_SCRIPT = """
import resource, runpy, sys
resource.setrlimit(resource.RLIMIT_NOFILE, (int(sys.argv[1]), int(sys.argv[2])))
sys.argv = ["ivschat-local", *sys.argv[3:]]
runpy.run_module("ivschat_sdk.local", run_name="__main__")
"""


def start_with_limit(soft: int, hard: int) -> subprocess.Popen[str]:
    """``ivschat-local`` started with the open-file limit (soft, hard)."""
    return subprocess.Popen(
        [sys.executable, "-c", LIMIT_SCRIPT, str(soft), str(hard), "--port", "0", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.fixture
def limited() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes started by a test, killed at its end if still running."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def _url_of(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    return process.stdout.readline().strip().rsplit(" ", 1)[1]


def test_the_soft_open_file_limit_is_raised_to_the_hard_limit_at_start(
    limited: list[subprocess.Popen[str]],
) -> None:
    """Started with a soft limit of 256, the server runs with its hard limit."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard == resource.RLIM_INFINITY or hard <= 256:
        pytest.skip(f"the hard open-file limit here ({hard}) leaves nothing to raise")
    process = start_with_limit(256, hard)
    limited.append(process)
    _url_of(process)
    limits = Path(f"/proc/{process.pid}/limits").read_text()
    soft_now = re.search(r"Max open files\s+(\d+)", limits)
    assert soft_now is not None and int(soft_now.group(1)) == hard


def test_at_the_open_file_limit_new_connections_get_503_at_once_and_one_line_a_second(
    limited: list[subprocess.Popen[str]],
) -> None:
    """With 128 descriptors, idle connections fill the server; the next get 503 at once.

    The refusal is logged at most once a second however many come; once connections close,
    requests are served again.
    """
    process = start_with_limit(128, 128)
    limited.append(process)
    url = _url_of(process)
    parts = urlsplit(url)
    address = (parts.hostname, parts.port)
    held = []
    refused_at: float | None = None
    started = time.monotonic()
    for _ in range(120):
        sock = socket.create_connection(address, timeout=5)
        held.append(sock)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n")
        answer = sock.recv(4096)
        if answer.startswith(b"HTTP/1.1 503"):
            refused_at = refused_at or time.monotonic()
            assert b"ServiceUnavailableException" in answer
            assert (time.monotonic() - refused_at) < 5
    assert refused_at is not None, "no connection was refused"
    elapsed = time.monotonic() - started
    for sock in held:
        sock.close()
    time.sleep(0.3)
    status = control_client(url).list_rooms()["ResponseMetadata"]["HTTPStatusCode"]
    assert status == 200
    process.terminate()
    _, err = process.communicate(timeout=10)
    lines = [line for line in err.splitlines() if "refusing new connections" in line]
    assert 1 <= len(lines) <= elapsed + 1.5, lines
    assert "Traceback" not in err


def test_the_command_collects_garbage_between_events_and_freezes_survivors() -> None:
    """With manage_gc (ivschat-local), the sweep owns garbage collection.

    The automatic collector is turned off (a full collection over 10,000 connections' objects
    paused deliveries for a second); after 1,000 requests the sweep collects and freezes the
    survivors, so later collections walk only newer objects.
    """
    import gc

    from ivschat_sdk.local._server import GC_FREEZE_REQUESTS, ServerLimits, Site

    async def scenario() -> None:
        site = Site(LocalIvsChat(), ServerLimits(), manage_gc=True)
        try:
            site._collect_garbage()
            assert not gc.isenabled()
            frozen = gc.get_freeze_count()
            site._web_server.requests_count += GC_FREEZE_REQUESTS
            garbage: list[Any] = []
            garbage.append(garbage)  # a cycle, for the collection to find
            del garbage
            site._collect_garbage()
            assert gc.get_freeze_count() > frozen
        finally:
            gc.unfreeze()
            gc.enable()

    asyncio.run(scenario())
