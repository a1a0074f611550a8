"""One chat log record: parsing a line, formatting one, and the error for a bad line.

A record is one JSON line, as the service writes it to every destination::

    {"event_timestamp":"2023-01-05T14:33:32.894Z","type":"MESSAGE",
     "payload":{"Type":"MESSAGE","Id":"WhO6MW6iRdS5",...},"version":"1.0"}

The payload is the frame chat clients receive, so it is converted by the chat client's own
frame converter (:func:`ivschat_sdk.messaging._frames.frame_item`) into the same models.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from types import MappingProxyType
from typing import Any, TypeAlias

import attrs

from .._errors import IvsChatError
from .._timestamps import parse_timestamp, to_utc
from ..messaging._frames import ErrorFrame, fast_timestamp, frame_item, slot_builder
from ..messaging._models import (
    ChatEvent,
    ChatItem,
    ChatMessage,
    MessageDeletedEvent,
    UserDisconnectedEvent,
)

__all__ = [
    "LOG_VERSION",
    "ChatLogError",
    "ErrorHandler",
    "LogRecord",
    "format_log_record",
    "iter_log_records",
    "parse_log_record",
]

LOG_VERSION = "1.0"
"""The version of the record format the service writes (and the local IVS Chat writes)."""

_UTC = timezone.utc
_ITEMS = (ChatMessage, ChatEvent, MessageDeletedEvent, UserDisconnectedEvent)
_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)
_SHOWN = 120  # characters of a bad line quoted in its error


class ChatLogError(IvsChatError, ValueError):
    """A chat log line is not a record: not JSON, not an object, or missing what it needs.

    Attributes:
        reason: What is wrong with the line.
        line_number: Its 1-based number in its file, object, log event batch or Firehose
            record, where known.
        source: Where it came from (``s3://bucket/key``, a file's path, a CloudWatch log
            stream and event id, a Firehose record id), where known.
        line: The line itself (as text; cut to its first 120 characters in the message).
    """

    def __init__(
        self,
        reason: str,
        *,
        line: str | bytes | bytearray = "",
        line_number: int | None = None,
        source: str | None = None,
    ) -> None:
        if not isinstance(line, str):
            line = bytes(line).decode("utf-8", "replace")
        self.reason = reason
        self.line = line
        self.line_number = line_number
        self.source = source
        where = "chat log line"
        if line_number is not None:
            where += f" {line_number}"
        if source:
            where += f" of {source}"
        shown = line if len(line) <= _SHOWN else line[:_SHOWN] + "..."
        super().__init__(f"{where}: {reason}: {shown!r}")


ErrorHandler: TypeAlias = Callable[[ChatLogError], None]
"""Called with each bad line's error; the line is then skipped (re-raise to stop instead)."""


@attrs.frozen(kw_only=True)
class LogRecord:
    """One chat log record: a message or an event the service delivered to a room."""

    event_timestamp: datetime
    """When IVS Chat received the message or event (aware UTC; the service writes it to the
    millisecond)."""
    type: str
    """``MESSAGE`` or ``EVENT`` (kept as written if a newer service writes another)."""
    version: str
    """The record format's version, ``1.0`` today (any other is read the same way)."""
    item: ChatItem | None
    """The payload as the chat client's model: a :class:`~ivschat_sdk.messaging.ChatMessage`,
    :class:`~ivschat_sdk.messaging.MessageDeletedEvent`,
    :class:`~ivschat_sdk.messaging.UserDisconnectedEvent` or
    :class:`~ivschat_sdk.messaging.ChatEvent`; None for a payload type this SDK does not
    know (its fields are still in :attr:`payload`)."""
    payload: Mapping[str, Any] = attrs.field(repr=False, hash=False)
    """The payload (the frame clients received) as decoded from JSON, read-only."""


def _init_record(
    event_timestamp: datetime,
    type: str,
    version: str,
    item: ChatItem | None,
    payload: Mapping[str, Any],
) -> LogRecord:
    return LogRecord(
        event_timestamp=event_timestamp, type=type, version=version, item=item, payload=payload
    )


# A record per line: built slot by slot, about 0.3 µs faster than LogRecord().
_build_record = (
    slot_builder(LogRecord, ("event_timestamp", "type", "version", "item", "payload"))
    or _init_record
)


def parse_log_record(
    line: str | bytes | bytearray, *, line_number: int | None = None, source: str | None = None
) -> LogRecord:
    """Parse one chat log line (one JSON object) into a :class:`LogRecord`.

    Lenient as the chat client is: unknown fields are ignored, any ``version`` is read the
    way ``1.0`` is, an unknown event name gives a :class:`~ivschat_sdk.messaging.ChatEvent`
    and an unknown payload type a record whose :attr:`~LogRecord.item` is None. A record
    without a ``type`` takes its payload's ``Type``; one without an ``event_timestamp`` takes
    its payload's ``SendTime``; one without a ``version`` gets ``""``.

    Args:
        line: The line, with or without its line break.
        line_number: Its number, for the error message.
        source: Where it came from, for the error message.

    Raises:
        ChatLogError: The line is not JSON, not an object, has no payload object, or its
            payload or time cannot be read. The error names the line.
    """
    return _parse(line, line_number, source)


def _parse(line: str | bytes | bytearray, line_number: int | None, source: str | None) -> LogRecord:
    """:func:`parse_log_record` with positional arguments (cheaper, once per line)."""
    try:
        record = _loads(line)
    except (ValueError, RecursionError) as err:  # also UnicodeDecodeError; too deep nesting
        raise ChatLogError(
            f"not JSON ({err})", line=line, line_number=line_number, source=source
        ) from None
    if type(record) is not dict:
        raise ChatLogError(
            "a chat log record must be a JSON object",
            line=line,
            line_number=line_number,
            source=source,
        )
    payload = record.get("payload")
    if type(payload) is not dict:
        raise ChatLogError(
            "the record has no payload object", line=line, line_number=line_number, source=source
        )
    kind = record.get("type") or payload.get("Type")
    try:
        parsed = frame_item(payload, kind)
    except ValueError as err:
        raise ChatLogError(
            f"unreadable payload ({err})", line=line, line_number=line_number, source=source
        ) from err
    # The service does not log ERROR frames; should one appear, keep its payload only.
    item: ChatItem | None = None if type(parsed) is ErrorFrame else parsed  # type: ignore[assignment]
    stamp = record.get("event_timestamp")
    try:
        if stamp is not None:
            event_timestamp = fast_timestamp(stamp)
        elif item is not None:
            event_timestamp = item.send_time
        else:
            event_timestamp = parse_timestamp(payload["SendTime"])
    except (ValueError, TypeError, KeyError, OverflowError) as err:
        raise ChatLogError(
            f"unreadable event_timestamp {stamp!r}",
            line=line,
            line_number=line_number,
            source=source,
        ) from err
    version = record.get("version", "")
    return _build_record(
        event_timestamp,
        kind if type(kind) is str else ("" if kind is None else str(kind)),
        version if type(version) is str else str(version),
        item,
        MappingProxyType(payload),
    )


_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # set in __init__, not in typeshed


def _loads(line: str | bytes | bytearray) -> Any:
    """``json.loads`` of one line, faster for the usual line (UTF-8, one object, then EOL).

    The scanner decodes the object; anything unusual (a BOM, leading spaces, bad JSON, data
    after the object, UTF-16) goes through ``json.loads`` itself, for its exact result or
    error.
    """
    try:
        text = line if type(line) is str else line.decode()  # type: ignore[union-attr]
        value, end = _SCAN(text, 0)
    except (StopIteration, UnicodeDecodeError):
        if type(line) is str and line.startswith("\ufeff"):
            line = line[1:]  # json.loads takes a BOM in bytes, not in text
        return json.loads(line)
    if end != len(text) and not text[end:].isspace():
        return json.loads(line)
    return value


def iter_log_records(
    lines: Iterable[str | bytes],
    *,
    source: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    on_error: ErrorHandler | None = None,
) -> Iterator[LogRecord]:
    """Parse chat log lines (NDJSON) one at a time, skipping blank lines.

    Holds one line at a time, so it reads a file of any size in constant memory::

        with gzip.open("chat.log.gz") as f:
            for record in iter_log_records(f, source="chat.log.gz"):
                ...

    Args:
        lines: The lines, e.g. an open file (text or binary).
        source: Where they come from, for error messages.
        start: Keep records whose ``event_timestamp`` is at or after this time.
        end: Keep records whose ``event_timestamp`` is before this time.
        on_error: Called with the error of each bad line, which is then skipped; without it,
            the first bad line raises.

    Raises:
        ChatLogError: A line is not a record (without ``on_error``).
    """
    return records_from_lines(lines, source, start, end, on_error)


def records_from_lines(
    lines: Iterable[str | bytes],
    source: str | None,
    start: datetime | None,
    end: datetime | None,
    on_error: ErrorHandler | None,
    stream_errors: tuple[type[BaseException], ...] = (),
) -> Iterator[LogRecord]:
    """:func:`iter_log_records`, with errors of the stream itself handled too.

    ``stream_errors`` raised while reading the lines (cut or corrupt gzip data) become a
    :class:`ChatLogError` for the line after the last one read.
    """
    start = to_utc(start) if start is not None else None
    end = to_utc(end) if end is not None else None
    parse = _parse
    number = 0
    try:
        for line in lines:
            number += 1
            if not line or line.isspace():
                continue
            try:
                record = parse(line, number, source)
            except ChatLogError as err:
                if on_error is None:
                    raise
                on_error(err)
                continue
            stamp = record.event_timestamp
            if (start is None or stamp >= start) and (end is None or stamp < end):
                yield record
    except stream_errors as err:
        error = ChatLogError(f"unreadable data ({err})", line_number=number + 1, source=source)
        if on_error is None:
            raise error from err
        on_error(error)


def format_log_record(
    payload: ChatItem | Mapping[str, Any] | str | bytes,
    *,
    event_timestamp: datetime | None = None,
    type: str | None = None,
    version: str = LOG_VERSION,
) -> str:
    """One chat log line, as the service writes it (without the line break).

    Keys in the service's order (``event_timestamp``, ``type``, ``payload``, ``version``),
    compact separators, UTF-8 text left unescaped, ``event_timestamp`` to the millisecond
    (``2023-01-05T14:33:32.894Z``). The local IVS Chat writes its logs with this function.

    Args:
        payload: The frame clients received: already serialized (``str``/``bytes``, one JSON
            object, copied as is so the log holds the very bytes clients got), a decoded
            frame, or a model (turned into the frame the service sends).
        event_timestamp: When the service received it; by default the payload's
            ``SendTime`` cut to the millisecond, as the service's records have it.
        type: ``MESSAGE`` or ``EVENT``; by default the payload's ``Type``.
        version: The format version.

    Raises:
        ValueError: The payload is not one JSON object, or has no ``Type``/``SendTime`` where
            they are needed.
    """
    frame: Mapping[str, Any] | None
    if isinstance(payload, (str, bytes)):
        text = payload.decode() if isinstance(payload, bytes) else payload
        if text[:1] != "{" or text[-1:] != "}":
            text = text.strip()
        if text[:1] != "{" or "\n" in text:
            raise ValueError("a serialized payload must be one JSON object on one line")
        frame = json.loads(text) if (type is None or event_timestamp is None) else None
    else:
        frame = item_frame(payload) if isinstance(payload, _ITEMS) else payload
        text = json.dumps(frame, separators=(",", ":"), ensure_ascii=False)
    if type is None:
        type = _frame_field(frame, "Type")
    if event_timestamp is None:
        event_timestamp = parse_timestamp(_frame_field(frame, "SendTime"))
    return (
        f'{{"event_timestamp":"{_millis(event_timestamp)}","type":{_quoted(type)},'
        f'"payload":{text},"version":{_quoted(version)}}}'
    )


_QUOTED: dict[str, str] = {}


def _quoted(value: str) -> str:
    """``json.dumps`` of a string, remembered for the few values a log has (types, version)."""
    quoted = _QUOTED.get(value)
    if quoted is None:
        quoted = json.dumps(value, ensure_ascii=False)
        if len(_QUOTED) < 64:
            _QUOTED[value] = quoted
    return quoted


def _frame_field(frame: Mapping[str, Any] | None, key: str) -> Any:
    value = frame.get(key) if frame is not None else None
    if value is None:
        raise ValueError(f"the payload has no {key}; pass it explicitly")
    return value


def _millis(value: datetime) -> str:
    """RFC 3339 UTC to the millisecond, cut (not rounded) as the service does."""
    text = to_utc(value).isoformat(timespec="milliseconds")  # ...T18:03:20.754+00:00
    return text[:-6] + "Z"


def format_send_time(value: datetime) -> str:
    """A frame time as the service writes it: RFC 3339 UTC, fraction without trailing zeros."""
    value = to_utc(value)
    text = f"{value:%Y-%m-%dT%H:%M:%S}"
    if value.microsecond:
        text += "." + f"{value.microsecond:06d}".rstrip("0")
    return text + "Z"


def item_frame(item: ChatItem) -> dict[str, Any]:
    """The frame the service sends for a model (what clients receive and logs hold)."""
    if isinstance(item, ChatMessage):
        return {
            "Type": "MESSAGE",
            "Id": item.id,
            "RequestId": item.request_id or "",
            "Attributes": dict(item.attributes) or None,
            "Content": item.content,
            "SendTime": format_send_time(item.send_time),
            "Sender": {"UserId": item.sender.user_id, "Attributes": dict(item.sender.attributes)},
        }
    attributes = dict(item.attributes)
    if isinstance(item, MessageDeletedEvent):
        name = "aws:DELETE_MESSAGE"
        attributes = attributes or {"MessageID": item.message_id, "Reason": item.reason}
    elif isinstance(item, UserDisconnectedEvent):
        name = "aws:DISCONNECT_USER"
        attributes = attributes or {"Reason": item.reason, "UserId": item.user_id}
    else:
        name = item.event_name
    return {
        "Type": "EVENT",
        "Id": item.id,
        "RequestId": item.request_id or "",
        "EventName": name,
        "Attributes": attributes,
        "SendTime": format_send_time(item.send_time),
    }


def epoch_millis(value: datetime) -> int:
    """Milliseconds since the Unix epoch (CloudWatch Logs' time unit), rounded down."""
    return (to_utc(value) - _EPOCH) // timedelta(milliseconds=1)
