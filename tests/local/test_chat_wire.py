"""Chat frames as the service writes them, seen in process through the emulator's ChatHub.

Each test drives :class:`LocalIvsChat` (control-plane requests through ``handle``, chat actions
through ``chat.receive``) and reads the raw frames a connection was sent.
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from ivschat_sdk.local import LocalIvsChat
from ivschat_sdk.messaging import ChatEvent, ChatMessage
from ivschat_sdk.messaging._frames import parse_frame

from ..conftest import wire_request

ALL = ["SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER"]
# Go's time.RFC3339Nano: up to 9 fractional digits, trailing zeros (and a bare dot) trimmed.
RFC3339_NANO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{0,8}[1-9])?Z")


class Recorder:
    """A chat connection that keeps what it is sent."""

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []
        self.closed: tuple[int, str] | None = None

    def send(self, frame: bytes) -> None:
        self.frames.append(json.loads(frame))

    def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)


class Clock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def call(local: LocalIvsChat, operation: str, **params: Any) -> Any:
    answer = local.handle(wire_request(operation, params))
    assert answer.status in (200, 204), answer.body
    return answer.json()


def connect(
    local: LocalIvsChat,
    room_arn: str,
    user: str = "u",
    caps: list[str] | None = None,
    attributes: dict[str, str] | None = None,
) -> tuple[Recorder, Any]:
    """Open a chat connection to the room the way the server does: redeem a token, join."""
    params: dict[str, Any] = {"roomIdentifier": room_arn, "userId": user}
    params["capabilities"] = ALL if caps is None else caps
    if attributes is not None:
        params["attributes"] = attributes
    token = call(local, "CreateChatToken", **params)["token"]
    session = local.open_chat(token)
    assert not isinstance(session, int)
    recorder = Recorder()
    return recorder, local.chat.join(session, recorder)


def act(local: LocalIvsChat, member: Any, **frame: Any) -> None:
    """Send one client frame on a connection."""
    asyncio.run(local.chat.receive(member, json.dumps(frame)))


def test_frame_times_have_nanoseconds_trimmed_like_rfc3339nano(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SendTime carries the system clock's nanoseconds, trailing zeros trimmed (Go's RFC3339Nano).

    MESSAGE and EVENT frames alike; a whole second has no fraction at all. The SDK's own frame
    parser reads every such time (to its microsecond).
    """
    local = LocalIvsChat()
    room = call(local, "CreateRoom")
    recorder, member = connect(local, room["arn"])
    cases = [
        (1672596200_754555595, "2023-01-01T18:03:20.754555595Z"),
        (1669969551_136912720, "2022-12-02T08:25:51.13691272Z"),
        (1669969551_100000000, "2022-12-02T08:25:51.1Z"),
        (1669969551_000000000, "2022-12-02T08:25:51Z"),
        (1669969551_000000001, "2022-12-02T08:25:51.000000001Z"),
    ]
    for ns, expected in cases:
        monkeypatch.setattr("time.time_ns", lambda ns=ns: ns)
        act(local, member, Action="SEND_MESSAGE", Content="hi")
        call(local, "SendEvent", roomIdentifier=room["arn"], eventName="e")
        message, event = recorder.frames[-2:]
        assert (message["Type"], event["Type"]) == ("MESSAGE", "EVENT")
        assert message["SendTime"] == event["SendTime"] == expected
        micro = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=ns // 1000)
        parsed_message = parse_frame(json.dumps(message))
        parsed_event = parse_frame(json.dumps(event))
        assert isinstance(parsed_message, ChatMessage) and isinstance(parsed_event, ChatEvent)
        assert parsed_message.send_time == parsed_event.send_time == micro


def test_frame_times_follow_a_custom_clock_exactly() -> None:
    """With a custom clock, SendTime is its time to the microsecond, trimmed the same way."""
    clock = Clock(datetime(2026, 1, 1, tzinfo=timezone.utc))
    local = LocalIvsChat(clock=clock)
    room = call(local, "CreateRoom")
    recorder, member = connect(local, room["arn"])
    for delta, expected in [
        (timedelta(0), "2026-01-01T00:00:00Z"),
        (timedelta(microseconds=120000), "2026-01-01T00:00:00.12Z"),
        (timedelta(microseconds=1), "2026-01-01T00:00:00.120001Z"),
    ]:
        clock.now += delta
        act(local, member, Action="SEND_MESSAGE", Content="hi")
        assert recorder.frames[-1]["SendTime"] == expected


def test_real_clock_frame_times_are_rfc3339nano() -> None:
    """On the real clock, every frame time is RFC 3339 UTC with at most 9 digits, none trailing 0."""
    local = LocalIvsChat()
    room = call(local, "CreateRoom", maximumMessageRatePerSecond=100)
    recorder, member = connect(local, room["arn"])
    for _ in range(20):
        act(local, member, Action="SEND_MESSAGE", Content="hi")
    times = [f["SendTime"] for f in recorder.frames]
    assert all(RFC3339_NANO.fullmatch(t) for t in times), times
    assert any(len(t) > len("2026-01-01T00:00:00.123456Z") for t in times), times


def test_delete_message_events_carry_message_id_and_reason_only() -> None:
    """aws:DELETE_MESSAGE's Attributes are exactly {"MessageID", "Reason"}, from either side.

    A WebSocket DELETE_MESSAGE and the DeleteMessage API send the same shape.
    """
    local = LocalIvsChat()
    room = call(local, "CreateRoom")
    recorder, member = connect(local, room["arn"])
    act(local, member, Action="DELETE_MESSAGE", RequestId="r", Id="AbCdEfGh1234", Reason="spam")
    call(local, "DeleteMessage", roomIdentifier=room["arn"], id="ZyXwVuTs9876")
    by_socket, by_api = recorder.frames
    assert by_socket["EventName"] == by_api["EventName"] == "aws:DELETE_MESSAGE"
    assert by_socket["Attributes"] == {"MessageID": "AbCdEfGh1234", "Reason": "spam"}
    assert by_api["Attributes"] == {"MessageID": "ZyXwVuTs9876", "Reason": ""}


def test_sender_attributes_are_an_object_even_when_the_token_had_none() -> None:
    """Sender.Attributes is {} for a token without attributes; the message's own may be null."""
    local = LocalIvsChat()
    room = call(local, "CreateRoom")
    plain, plain_member = connect(local, room["arn"], "plain")
    act(local, plain_member, Action="SEND_MESSAGE", Content="hi")
    message = plain.frames[-1]
    assert message["Sender"] == {"UserId": "plain", "Attributes": {}}
    assert message["Attributes"] is None
    fancy, fancy_member = connect(local, room["arn"], "fancy", attributes={"color": "red"})
    act(local, fancy_member, Action="SEND_MESSAGE", Content="hi", Attributes={"k": "v"})
    message = fancy.frames[-1]
    assert message["Sender"] == {"UserId": "fancy", "Attributes": {"color": "red"}}
    assert message["Attributes"] == {"k": "v"}


def test_websocket_deletes_count_toward_the_delete_message_quota() -> None:
    """With rate limits, API DeleteMessage calls and WebSocket DELETE_MESSAGE share 100/s.

    After 100 API calls a WebSocket delete in the same second gets ERROR 429 (to the requester
    only, nothing broadcast); a second later it passes.
    """
    clock = Clock(datetime(2026, 1, 1, tzinfo=timezone.utc))
    local = LocalIvsChat(rate_limits=True, clock=clock)
    room = call(local, "CreateRoom")
    recorder, member = connect(local, room["arn"])
    for _ in range(100):
        call(local, "DeleteMessage", roomIdentifier=room["arn"], id="AbCdEfGh1234")
    recorder.frames.clear()
    act(local, member, Action="DELETE_MESSAGE", RequestId="over", Id="AbCdEfGh1234")
    assert len(recorder.frames) == 1
    error = recorder.frames[0]
    assert (error["Type"], error["ErrorCode"], error["RequestId"]) == ("ERROR", 429, "over")
    clock.now += timedelta(seconds=1)
    act(local, member, Action="DELETE_MESSAGE", RequestId="ok", Id="AbCdEfGh1234")
    assert recorder.frames[-1]["EventName"] == "aws:DELETE_MESSAGE"


def test_api_deletes_are_throttled_after_websocket_deletes() -> None:
    """With rate limits, 100 WebSocket deletes leave no DeleteMessage call for that second.

    The API call gets 429 ThrottlingException with limit 100; other operations are unaffected.
    """
    clock = Clock(datetime(2026, 1, 1, tzinfo=timezone.utc))
    local = LocalIvsChat(rate_limits=True, clock=clock)
    room = call(local, "CreateRoom")
    recorder, member = connect(local, room["arn"])

    async def deletes() -> None:
        for i in range(100):
            frame = {"Action": "DELETE_MESSAGE", "RequestId": str(i), "Id": "AbCdEfGh1234"}
            await local.chat.receive(member, json.dumps(frame))

    asyncio.run(deletes())
    assert [f["Type"] for f in recorder.frames] == ["EVENT"] * 100
    answer = local.handle(
        wire_request("DeleteMessage", {"roomIdentifier": room["arn"], "id": "AbCdEfGh1234"})
    )
    assert answer.status == 429
    assert answer.headers["x-amzn-ErrorType"] == "ThrottlingException"
    assert answer.json()["limit"] == 100
    assert (
        local.handle(
            wire_request("SendEvent", {"roomIdentifier": room["arn"], "eventName": "e"})
        ).status
        == 200
    )


def test_websocket_deletes_are_not_limited_without_rate_limits() -> None:
    """Without rate limits (the default), neither side is throttled."""
    local = LocalIvsChat()
    room = call(local, "CreateRoom")
    recorder, member = connect(local, room["arn"])
    for _ in range(100):
        call(local, "DeleteMessage", roomIdentifier=room["arn"], id="AbCdEfGh1234")
    act(local, member, Action="DELETE_MESSAGE", Id="AbCdEfGh1234")
    assert recorder.frames[-1]["Type"] == "EVENT"
