"""parse_log_record and format_log_record: published lines, leniency, errors that name the line."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from ivschat_sdk import IvsChatError
from ivschat_sdk.logs import (
    LOG_VERSION,
    ChatLogError,
    LogRecord,
    format_log_record,
    iter_log_records,
    parse_log_record,
)
from ivschat_sdk.messaging import (
    ChatEvent,
    ChatMessage,
    MessageDeletedEvent,
    Sender,
    UserDisconnectedEvent,
)

from .published import ALL, BACKEND_2025_08, BLOG_2023_01, BLOG_2023_03, FIXTURE_2022_12, Published

UTC = timezone.utc


@pytest.mark.parametrize("published", ALL, ids=lambda p: json.loads(p.line)["payload"]["Id"])
def test_every_published_line_parses(published: Published) -> None:
    """Each published line gives a record whose item is the chat client's model of its payload."""
    record = parse_log_record(published.line)
    raw = json.loads(published.line)
    assert record.type == raw["type"]
    assert record.version == "1.0"
    assert record.event_timestamp.tzinfo is UTC
    assert record.payload == raw["payload"]
    assert record.item is not None
    assert record.item.id == raw["payload"]["Id"]
    # The service's event_timestamp is the SendTime cut to the millisecond.
    send_time = record.item.send_time
    assert record.event_timestamp == send_time.replace(
        microsecond=send_time.microsecond // 1000 * 1000
    )


def test_a_published_message_with_nanoseconds_and_empty_sender_attributes() -> None:
    """9 digits of SendTime keep their microseconds; {} maps and an empty RequestId read as empty."""
    record = parse_log_record(BLOG_2023_01[0].line)
    assert record.event_timestamp == datetime(2023, 1, 5, 14, 33, 32, 894000, tzinfo=UTC)
    assert record.item == ChatMessage(
        id="WhO6MW6iRdS5",
        request_id=None,
        content="bbiab!",
        attributes={"username": "gleningp"},
        send_time=datetime(2023, 1, 5, 14, 33, 32, 894089, tzinfo=UTC),
        sender=Sender(user_id="75758272-f3f2-4f65-83c5-9b8f144116b8"),
    )
    assert parse_log_record(BLOG_2023_01[2].line).item.content == "🔥🔥🔥"  # type: ignore[union-attr]


def test_a_published_message_with_eight_digits_and_sender_attributes() -> None:
    """8 fractional digits are read as 875644.97 µs, cut to 875644."""
    item = parse_log_record(BLOG_2023_03.line).item
    assert isinstance(item, ChatMessage)
    assert item.send_time == datetime(2023, 3, 3, 16, 1, 33, 875644, tzinfo=UTC)
    assert item.sender.attributes == {"username": "Admin"}


def test_published_attributes_holding_json_text_stay_text() -> None:
    """An attribute that is JSON text (apps put structured data there) is kept as the string."""
    item = parse_log_record(BACKEND_2025_08[0].line).item
    assert isinstance(item, ChatMessage)
    assert json.loads(item.attributes["reactionData"])["statusType"] == "camera"
    assert item.request_id == "d9da9232-6141-443b-9d76-f980c0cad092"
    assert item.send_time.microsecond == 415514


def test_published_null_attributes_delete_and_disconnect() -> None:
    """Null Attributes read as {}; aws:DELETE_MESSAGE's MessageID and aws:DISCONNECT_USER's UserId."""
    message, deleted, kicked = (parse_log_record(p.line).item for p in FIXTURE_2022_12)
    assert isinstance(message, ChatMessage)
    assert message.attributes == {}
    assert isinstance(deleted, MessageDeletedEvent)
    assert (deleted.message_id, deleted.reason) == ("M2YcHkgffEvU", "Deleted by moderator")
    assert deleted.send_time == datetime(2022, 12, 2, 8, 25, 51, 136912, tzinfo=UTC)
    assert isinstance(kicked, UserDisconnectedEvent)
    assert kicked.user_id == "aaaaaaa.7235eaff-5ef5-4ebb-8bec-5663e4bac6c3"


def _line(**changes: Any) -> str:
    record = json.loads(BLOG_2023_01[0].line)
    record.update(changes)
    return json.dumps({k: v for k, v in record.items() if v is not ...})


@pytest.mark.parametrize(
    ("line", "check"),
    [
        (_line(version="2.7"), lambda r: r.version == "2.7" and isinstance(r.item, ChatMessage)),
        (_line(region="us-west-2", extra=[1]), lambda r: r.item.content == "bbiab!"),
        (_line(version=...), lambda r: r.version == ""),
        (_line(type=...), lambda r: r.type == "MESSAGE"),
        (
            _line(event_timestamp=...),
            lambda r: r.event_timestamp == datetime(2023, 1, 5, 14, 33, 32, 894089, tzinfo=UTC),
        ),
        (
            _line(event_timestamp="2023-01-05T15:33:32.894+01:00"),
            lambda r: r.event_timestamp == datetime(2023, 1, 5, 14, 33, 32, 894000, tzinfo=UTC),
        ),
        (
            _line(type="PRESENCE", payload={"Type": "PRESENCE", "Who": "x"}),
            lambda r: r.item is None and r.type == "PRESENCE" and r.payload["Who"] == "x",
        ),
        (
            _line(
                type="EVENT",
                payload={
                    "Type": "EVENT",
                    "Id": "e",
                    "EventName": "aws:NEW",
                    "SendTime": "2024-01-01T00:00:00Z",
                },
            ),
            lambda r: isinstance(r.item, ChatEvent) and r.item.event_name == "aws:NEW",
        ),
        (_line() + "\r\n", lambda r: r.item.id == "WhO6MW6iRdS5"),
        ("  " + _line(), lambda r: r.item.id == "WhO6MW6iRdS5"),
        ("\ufeff" + _line(), lambda r: r.item.id == "WhO6MW6iRdS5"),
        (("\ufeff" + _line()).encode(), lambda r: r.item.id == "WhO6MW6iRdS5"),
        (_line().encode("utf-16"), lambda r: r.item.id == "WhO6MW6iRdS5"),
    ],
    ids=[
        "unknown version",
        "unknown fields",
        "no version",
        "no type",
        "no event_timestamp",
        "offset timestamp",
        "unknown payload type",
        "unknown event name",
        "CRLF",
        "leading spaces",
        "BOM",
        "UTF-8 BOM bytes",
        "UTF-16 bytes",
    ],
)
def test_lenient_parsing(line: str | bytes, check: Any) -> None:
    """Newer or odder records still parse: nothing unknown is an error."""
    assert check(parse_log_record(line))


def test_bytes_and_str_parse_alike() -> None:
    """A line read from a binary file (bytes, with its line break) is the same record."""
    line = BLOG_2023_03.line
    assert parse_log_record((line + "\n").encode()) == parse_log_record(line)
    assert parse_log_record(bytearray(line.encode())) == parse_log_record(line)


def test_an_error_frame_in_a_log_keeps_only_its_payload() -> None:
    """The service logs no ERROR frames; one that appears is no chat item."""
    record = parse_log_record(
        _line(type="ERROR", payload={"Type": "ERROR", "Id": "x", "ErrorCode": 400})
    )
    assert record.item is None
    assert record.payload["ErrorCode"] == 400


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("not json", "not JSON"),
        ('{"event_timestamp": "x"', "not JSON"),
        (_line() + ' {"second": 1}', "not JSON"),
        (b"\xff\xfe\x00garbage", "not JSON"),
        ("[1, 2]", "must be a JSON object"),
        (_line(payload=...), "no payload object"),
        (_line(payload="text"), "no payload object"),
        (_line(payload={"Type": "MESSAGE", "Id": "x"}), "unreadable payload"),
        (_line(payload={**json.loads(_line())["payload"], "Sender": None}), "unreadable payload"),
        (
            _line(payload={**json.loads(_line())["payload"], "Attributes": [1]}),
            "unreadable payload",
        ),
        (_line(event_timestamp="yesterday"), "unreadable event_timestamp"),
        (_line(event_timestamp=[1]), "unreadable event_timestamp"),
        ("[" * 100_000 + "]" * 100_000, "not JSON"),
        (_line(event_timestamp=..., type="X", payload={"Type": "X"}), "unreadable event_timestamp"),
    ],
)
def test_malformed_lines_raise_a_typed_error_naming_the_line(
    line: str | bytes, reason: str
) -> None:
    """A bad line is a ChatLogError (an IvsChatError and a ValueError) naming line and source."""
    with pytest.raises(ChatLogError, match=reason) as info:
        parse_log_record(line, line_number=42, source="s3://bucket/key.log.gz")
    error = info.value
    assert isinstance(error, IvsChatError)
    assert isinstance(error, ValueError)
    assert (error.line_number, error.source) == (42, "s3://bucket/key.log.gz")
    assert str(error).startswith("chat log line 42 of s3://bucket/key.log.gz: ")
    assert error.reason in str(error)


def test_the_error_quotes_the_start_of_a_long_line() -> None:
    """The message quotes the first 120 characters; the whole line stays on the error."""
    line = "x" * 1000
    with pytest.raises(ChatLogError) as info:
        parse_log_record(line)
    assert info.value.line == line
    assert str(info.value).endswith("x" * 120 + "...'")
    assert str(info.value).startswith("chat log line: not JSON")


def test_iter_log_records_skips_blank_lines_and_counts_lines() -> None:
    """Blank lines are skipped; line numbers count every line, blank ones too."""
    lines = ["", BLOG_2023_01[0].line, "   ", "broken", BLOG_2023_01[1].line]
    errors: list[ChatLogError] = []
    records = list(iter_log_records(lines, source="f", on_error=errors.append))
    assert [r.item.id for r in records] == ["WhO6MW6iRdS5", "VwEPwPV74GN3"]  # type: ignore[union-attr]
    assert [(e.line_number, e.source, e.line) for e in errors] == [(4, "f", "broken")]
    with pytest.raises(ChatLogError, match="chat log line 4 of f"):
        list(iter_log_records(lines, source="f"))


def test_iter_log_records_time_window_is_half_open() -> None:
    """start is inclusive, end exclusive, on event_timestamp; naive times are UTC."""
    lines = [p.line for p in BLOG_2023_01]  # 14:33:32.894, 14:33:39.896, 14:33:47.330
    window = iter_log_records(
        lines,
        start=datetime(2023, 1, 5, 14, 33, 39, 896000),
        end=datetime(2023, 1, 5, 15, 33, 47, 330000, tzinfo=timezone(timedelta(hours=1))),
    )
    assert [r.item.id for r in window] == ["VwEPwPV74GN3"]  # type: ignore[union-attr]


@pytest.mark.parametrize("published", ALL, ids=lambda p: json.loads(p.line)["payload"]["Id"])
def test_format_of_the_parsed_payload_gives_back_the_published_line(published: Published) -> None:
    """The service's key order, compact JSON, unescaped UTF-8, event_timestamp from SendTime."""
    payload = json.loads(published.line)["payload"]
    assert format_log_record(payload) == published.line


@pytest.mark.parametrize("published", ALL, ids=lambda p: json.loads(p.line)["payload"]["Id"])
def test_format_of_a_model_reads_back_as_the_same_model(published: Published) -> None:
    """A model is written as the frame the service sends; parsing it gives the model back."""
    item = parse_log_record(published.line).item
    assert item is not None
    again = parse_log_record(format_log_record(item))
    assert again.item == item
    assert again.version == LOG_VERSION


def test_format_splices_a_serialized_frame_verbatim() -> None:
    """Frame bytes as broadcast are copied as they are; type and time may come from the frame."""
    frame = b'{"Type":"EVENT","Id":"e1","RequestId":"","EventName":"app:poll","Attributes":{},"SendTime":"2024-05-01T12:00:00.123456789Z"}'
    line = format_log_record(frame)
    assert line == (
        '{"event_timestamp":"2024-05-01T12:00:00.123Z","type":"EVENT","payload":'
        + frame.decode()
        + ',"version":"1.0"}'
    )
    stamp = datetime(2024, 5, 1, 12, 0, 1, 999999, tzinfo=UTC)
    fast = format_log_record(frame.decode(), type="EVENT", event_timestamp=stamp, version="1.1")
    assert fast.startswith('{"event_timestamp":"2024-05-01T12:00:01.999Z","type":"EVENT"')
    assert fast.endswith(',"version":"1.1"}')
    assert isinstance(parse_log_record(fast).item, ChatEvent)


@pytest.mark.parametrize(
    "payload",
    [
        '{"Type":"EVENT"}\n{"Type":"EVENT"}',
        "[1]",
        "",
        '{"Id":"x","SendTime":"2024-01-01T00:00:00Z"}',
    ],
)
def test_format_refuses_what_is_not_one_frame(payload: str) -> None:
    """Not one JSON object on one line, or no Type to name it by, is a ValueError."""
    with pytest.raises(ValueError):  # noqa: PT011 - several messages
        format_log_record(payload)


def test_format_writes_the_system_events_attributes_as_the_service_does() -> None:
    """A deletion built in code gets MessageID and Reason; a disconnection UserId and Reason."""
    when = datetime(2024, 1, 1, tzinfo=UTC)
    deleted = MessageDeletedEvent(id="e", message_id="m", reason="spam", send_time=when)
    line = json.loads(format_log_record(deleted))
    assert line["payload"]["Attributes"] == {"MessageID": "m", "Reason": "spam"}
    assert line["payload"]["SendTime"] == "2024-01-01T00:00:00Z"
    assert line["event_timestamp"] == "2024-01-01T00:00:00.000Z"
    kicked = UserDisconnectedEvent(id="e", user_id="u", send_time=when)
    assert json.loads(format_log_record(kicked))["payload"]["Attributes"] == {
        "Reason": "",
        "UserId": "u",
    }


def test_records_are_frozen_and_hashable() -> None:
    """A record cannot be changed, nor its payload; it can go in a set."""
    record = parse_log_record(BLOG_2023_03.line)
    assert isinstance(record, LogRecord)
    with pytest.raises(AttributeError):
        record.type = "EVENT"  # type: ignore[misc]
    with pytest.raises(TypeError):
        record.payload["Id"] = "x"  # type: ignore[index]
    assert len({record, parse_log_record(BLOG_2023_03.line)}) == 1
