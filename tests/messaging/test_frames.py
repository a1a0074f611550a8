"""The chat frame converter: frames that must and must not parse."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from ivschat_sdk.messaging import ChatEvent, ChatMessage, MessageDeletedEvent, UserDisconnectedEvent
from ivschat_sdk.messaging._frames import ErrorFrame, parse_frame, request_frame

MESSAGE = {
    "Type": "MESSAGE", "Id": "M2YcHkgffEvU", "RequestId": "8fe65e61-1fa2-4563-a90d-c53521e0e63c",
    "Content": "Hi", "Attributes": {"k": "v"}, "SendTime": "2022-12-02T08:21:20.754555595Z",
    "Sender": {"UserId": "user-1", "Attributes": {"displayName": "x"}},
}  # fmt: skip


def test_message_from_the_docs() -> None:
    """The documented MESSAGE (nanosecond SendTime) parses to a ChatMessage in UTC."""
    message = parse_frame(json.dumps(MESSAGE))
    assert isinstance(message, ChatMessage)
    assert message.send_time == datetime(2022, 12, 2, 8, 21, 20, 754555, tzinfo=timezone.utc)
    assert message.sender.attributes == {"displayName": "x"}
    assert message.request_id == MESSAGE["RequestId"]


@pytest.mark.parametrize(
    ("change", "check"),
    [
        ({"Attributes": None}, lambda m: m.attributes == {}),
        ({"RequestId": ""}, lambda m: m.request_id is None),
        ({"NewField": [1, 2]}, lambda m: m.content == "Hi"),
        (
            {"Sender": {"UserId": "u", "Attributes": None, "Extra": 1}},
            lambda m: m.sender.attributes == {},
        ),
    ],
)
def test_lenient_message_parsing(change: dict[str, Any], check: Any) -> None:
    """Nulls, empty request ids and unknown fields do not break parsing."""
    assert check(parse_frame(json.dumps({**MESSAGE, **change})))


@pytest.mark.parametrize(
    "frame",
    [
        {**MESSAGE, "Sender": None},
        {k: v for k, v in MESSAGE.items() if k != "Id"},
        {k: v for k, v in MESSAGE.items() if k != "SendTime"},
        {"Type": "EVENT", "Id": "x", "SendTime": "2024-01-01T00:00:00Z"},
        {"Type": "ERROR", "Id": "x"},
    ],
)
def test_frames_missing_required_fields_do_not_parse(frame: dict[str, Any]) -> None:
    """A known frame without what it needs is a ValueError (the client logs and skips it)."""
    with pytest.raises(ValueError, match="malformed"):
        parse_frame(json.dumps(frame))


@pytest.mark.parametrize("raw", ["not json", "[1]", '"text"'])
def test_non_objects_do_not_parse(raw: str) -> None:
    """Only JSON objects are frames."""
    with pytest.raises(ValueError):  # noqa: PT011 - json's and ours
        parse_frame(raw)


def test_unknown_type_is_ignored() -> None:
    """A frame type from a newer service gives None, not an error."""
    assert parse_frame('{"Type": "PRESENCE", "Id": "x"}') is None


def test_events() -> None:
    """System events get their own models; any other name is a ChatEvent."""
    base = {"Type": "EVENT", "Id": "IxTh2Ad9fZIr", "SendTime": "2022-12-02T08:25:51.13691272Z"}
    deleted = parse_frame(json.dumps({**base, "EventName": "aws:DELETE_MESSAGE",
                                      "Attributes": {"MessageID": "M2YcHkgffEvU", "Reason": "r"}}))  # fmt: skip
    assert isinstance(deleted, MessageDeletedEvent)
    assert (deleted.message_id, deleted.reason) == ("M2YcHkgffEvU", "r")
    kicked = parse_frame(
        json.dumps({**base, "EventName": "aws:DISCONNECT_USER", "Attributes": {"UserId": "u"}})
    )
    assert isinstance(kicked, UserDisconnectedEvent)
    assert (kicked.user_id, kicked.reason) == ("u", "")
    custom = parse_frame(json.dumps({**base, "EventName": "aws:BRAND_NEW", "RequestId": ""}))
    assert isinstance(custom, ChatEvent)
    assert custom.attributes == {}


def test_error_frame() -> None:
    """ERROR frames carry a numeric code; RequestId may be absent (session expiry)."""
    error = parse_frame(
        '{"Type":"ERROR","Id":"IG5mcmlvdGlv","ErrorCode":401,"ErrorMessage":"expired"}'
    )
    assert error == ErrorFrame(
        id="IG5mcmlvdGlv", request_id=None, error_code=401, error_message="expired"
    )


def test_request_frames_are_pascal_case_and_skip_none() -> None:
    """Client frames look like the official client's."""
    assert json.loads(request_frame("DISCONNECT_USER", "r", user_id="bob", reason=None)) == {
        "Action": "DISCONNECT_USER", "RequestId": "r", "UserId": "bob",
    }  # fmt: skip
