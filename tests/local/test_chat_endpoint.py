"""The chat WebSocket endpoint of ivschat-local, seen by a raw WebSocket client."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import websockets
from websockets.asyncio.client import ClientConnection, connect

from ivschat_sdk import IvsChatClient, Room
from ivschat_sdk.local import LocalServer

T = TypeVar("T")
# Go's time.RFC3339Nano, as the service writes frame times: trailing zeros trimmed.
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{0,8}[1-9])?Z")
ALL = ["SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER"]


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(coroutine, 20))


@pytest.fixture
def setup() -> Iterator[tuple[LocalServer, IvsChatClient, Room]]:
    with LocalServer() as server:
        control = IvsChatClient(
            region_name="us-west-2", endpoint_url=server.url,
            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
        )  # fmt: skip
        yield server, control, control.create_room()


async def open_ws(
    server: LocalServer,
    control: IvsChatClient,
    room: Room,
    user: str,
    caps: list[str] | None = None,
) -> ClientConnection:
    token = control.create_chat_token(
        room_identifier=room, user_id=user, capabilities=ALL if caps is None else caps
    )
    return await connect(server.ws_url, subprotocols=[token.token])  # type: ignore[list-item]


async def frame(ws: ClientConnection) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), 5))  # type: ignore[no-any-return]


def test_token_is_echoed_as_the_subprotocol(setup: tuple[LocalServer, IvsChatClient, Room]) -> None:
    """The handshake echoes the token in Sec-WebSocket-Protocol, as browsers require."""
    server, control, room = setup

    async def scenario() -> None:
        token = control.create_chat_token(room_identifier=room, user_id="u").token
        async with connect(server.ws_url, subprotocols=[token]) as ws:  # type: ignore[list-item]
            assert ws.subprotocol == token
        with pytest.raises(websockets.InvalidStatus) as info:
            await connect(server.ws_url)  # no token at all
        assert info.value.response.status_code == 401

    run(scenario())


def test_frames_have_the_documented_shape(setup: tuple[LocalServer, IvsChatClient, Room]) -> None:
    """MESSAGE, EVENT and ERROR frames: PascalCase, fresh 12-char Ids, RFC3339Nano times, echoed RequestId."""
    server, control, room = setup

    async def scenario() -> None:
        a = await open_ws(server, control, room, "alice")
        await a.send(json.dumps({"Action": "SEND_MESSAGE", "RequestId": "r1", "Content": "hi"}))
        message = await frame(a)
        assert list(message) == [
            "Type",
            "Id",
            "RequestId",
            "Content",
            "Attributes",
            "SendTime",
            "Sender",
        ]
        assert message["Type"] == "MESSAGE"
        assert re.fullmatch(r"[A-Za-z0-9]{12}", message["Id"])
        assert message["RequestId"] == "r1"
        assert message["Attributes"] is None
        assert TIME.fullmatch(message["SendTime"])
        assert message["Sender"] == {"UserId": "alice", "Attributes": {}}
        await a.send(
            json.dumps({"Action": "DELETE_MESSAGE", "RequestId": "r2", "Id": message["Id"]})
        )
        deleted = await frame(a)
        assert deleted["EventName"] == "aws:DELETE_MESSAGE"
        assert deleted["RequestId"] == "r2"
        assert deleted["Attributes"] == {"MessageID": message["Id"], "Reason": ""}
        await a.send(json.dumps({"Action": "SEND_MESSAGE", "RequestId": "r3"}))
        error = await frame(a)
        assert list(error) == ["Type", "Id", "RequestId", "ErrorCode", "ErrorMessage"]
        assert (error["ErrorCode"], error["RequestId"]) == (400, "r3")
        assert len({message["Id"], deleted["Id"], error["Id"]}) == 3
        await a.close()

    run(scenario())


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("not json", 400),
        ("[1, 2]", 400),
        ('{"Action": "DANCE"}', 400),
        ('{"Content": "no action"}', 400),
        ('{"Action": "SEND_MESSAGE", "Content": 5}', 400),
        ('{"Action": "SEND_MESSAGE", "Content": "x", "Attributes": {"n": 1}}', 400),
        (
            '{"Action": "SEND_MESSAGE", "Content": "x", "Attributes": {"k": "' + "v" * 1100 + '"}}',
            413,
        ),
        ('{"Action": "SEND_MESSAGE", "Content": "x", "RequestId": 7}', 400),
        ('{"Action": "DELETE_MESSAGE", "Id": "short"}', 400),
        ('{"Action": "DELETE_MESSAGE", "Id": "AbCdEfGh1234", "Reason": "' + "r" * 257 + '"}', 400),
        ('{"Action": "DISCONNECT_USER"}', 400),
    ],
)
def test_malformed_frames_get_an_error_and_the_connection_stays(
    setup: tuple[LocalServer, IvsChatClient, Room], payload: str, code: int
) -> None:
    """Each bad frame gets an ERROR to the sender only; the connection keeps working."""
    server, control, room = setup

    async def scenario() -> None:
        a = await open_ws(server, control, room, "a")
        b = await open_ws(server, control, room, "b")
        await a.send(payload)
        error = await frame(a)
        assert (error["Type"], error["ErrorCode"]) == ("ERROR", code)
        await a.send(json.dumps({"Action": "SEND_MESSAGE", "Content": "ok"}))
        assert (await frame(a))["Content"] == "ok"
        assert (await frame(b))["Content"] == "ok"  # b saw no error frame first
        await a.close()
        await b.close()

    run(scenario())


def test_lower_case_keys_and_binary_frames_are_read(
    setup: tuple[LocalServer, IvsChatClient, Room],
) -> None:
    """Keys are read case-insensitively (older sample clients send lower case)."""
    server, control, room = setup

    async def scenario() -> None:
        a = await open_ws(server, control, room, "a")
        await a.send(json.dumps({"action": "SEND_MESSAGE", "content": "lower", "requestId": "r"}))
        got = await frame(a)
        assert (got["Content"], got["RequestId"]) == ("lower", "r")
        await a.send(json.dumps({"Action": "SEND_MESSAGE", "Content": "bin"}).encode())
        assert (await frame(a))["Content"] == "bin"
        await a.close()

    run(scenario())


def test_code_points_not_bytes(setup: tuple[LocalServer, IvsChatClient, Room]) -> None:
    """maximumMessageLength counts code points: 3 emoji fit a limit of 3."""
    server, control, room = setup
    control.update_room(identifier=room, maximum_message_length=3)

    async def scenario() -> None:
        a = await open_ws(server, control, room, "a")
        await a.send(json.dumps({"Action": "SEND_MESSAGE", "Content": "👋👋👋"}))
        assert (await frame(a))["Content"] == "👋👋👋"
        await a.close()

    run(scenario())


class FakeTransport:
    """An asyncio transport whose peer stopped reading: its buffer only grows."""

    def __init__(self) -> None:
        self.buffered = 0
        self.aborted = False

    def is_closing(self) -> bool:
        return self.aborted

    def get_write_buffer_size(self) -> int:
        return self.buffered

    def write(self, data: bytes) -> None:
        self.buffered += len(data)

    def abort(self) -> None:
        self.aborted = True


def test_slow_consumer_is_dropped_without_blocking() -> None:
    """Sends never wait on a peer; past the backlog bound its connection is dropped.

    The frames it has not taken are discarded, not queued, and other peers are unaffected.
    """
    from ivschat_sdk.local import MAX_PENDING_BYTES
    from ivschat_sdk.local._server import _WebSocketConnection, _Writer

    async def scenario() -> None:
        slow, fast = FakeTransport(), FakeTransport()
        writer = _Writer()
        connections = [_WebSocketConnection(None, t, writer) for t in (slow, fast)]  # type: ignore[arg-type]
        for connection in connections:
            connection.opened()
        payload = b"x" * 1000
        for _ in range(MAX_PENDING_BYTES // 1000 + 10):
            for connection in connections:
                connection.send(payload)
            fast.buffered = 0  # the fast peer keeps reading
        assert slow.aborted
        assert not fast.aborted
        assert slow.buffered <= MAX_PENDING_BYTES + 1010

    run(scenario())
