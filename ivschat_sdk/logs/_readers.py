"""Readers of a room's chat logs: S3 objects, CloudWatch Logs events, Firehose records, files.

Every reader streams: it holds one S3 listing page, one gzip buffer and one line (or one
FilterLogEvents page) at a time, so memory stays flat whatever the size of the logs. Records
come in storage order (S3 key order, then line order; CloudWatch's order), which is close to
but not exactly time order; :func:`~ivschat_sdk.logs.replay` sorts.

The S3 and CloudWatch readers take the caller's boto3 client (its credentials, region and
endpoint), so they work against AWS, against moto's ``mock_aws()`` and against any
S3-compatible store.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import os
import zlib
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import IO, Any

import attrs

from .._timestamps import to_utc
from ._layout import cloudwatch_log_stream, key_may_hold, s3_room_prefix
from ._records import (
    ChatLogError,
    ErrorHandler,
    LogRecord,
    epoch_millis,
    parse_log_record,
    records_from_lines,
)

__all__ = [
    "DEFAULT_SLACK",
    "FirehoseRecord",
    "decode_firehose_data",
    "decode_firehose_event",
    "read_cloudwatch_logs",
    "read_log_dir",
    "read_log_file",
    "read_s3_logs",
]

DEFAULT_SLACK = timedelta(minutes=15)
"""How far outside a time range the readers look before filtering records by their own time:
delivery runs about 5 minutes behind for S3 (about 10 seconds for the others), and the time in
a key or a log event's timestamp may be the delivery's rather than the record's."""

_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 16 + zlib.MAX_WBITS  # a gzip header and trailer
_CHUNK = 64 * 1024
_BROKEN = (OSError, EOFError, zlib.error)  # what cut or corrupt data raises while reading
_UTC = timezone.utc
_SNIFF = 200  # bytes of undecodable Firehose data quoted in its error


def _blocks(stream: IO[bytes] | Any) -> Iterator[bytes]:
    """A binary stream's data in blocks of at most 64 KiB, gunzipped if it is gzip data.

    Gzip is recognized by its magic bytes, not by a name. Output is bounded per step (a
    highly compressed chunk does not inflate into one huge block), and several gzip members
    one after the other (appended objects) are all read.

    Raises:
        EOFError: The gzip data ends in the middle of a member.
        zlib.error: The gzip data is corrupt.
    """
    chunk = stream.read(_CHUNK)
    if chunk[:2] != _GZIP_MAGIC:
        while chunk:
            yield chunk
            chunk = stream.read(_CHUNK)
        return
    inflater = zlib.decompressobj(_GZIP_WBITS)
    while chunk:
        while chunk:
            if inflater.eof:  # the previous member ended: the next one starts here
                inflater = zlib.decompressobj(_GZIP_WBITS)
            data = inflater.decompress(chunk, _CHUNK)
            if data:
                yield data
            chunk = _unread(inflater)
            while not chunk and not inflater.eof and len(data) == _CHUNK:
                data = inflater.decompress(b"", _CHUNK)  # output still held back
                if data:
                    yield data
                chunk = _unread(inflater)
        chunk = stream.read(_CHUNK)
    if not inflater.eof:
        raise EOFError("compressed data ended before the end-of-stream marker")


def _unread(inflater: Any) -> bytes:
    """The input an inflater has not used yet: the next member's, or what output held back."""
    rest: bytes = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
    return rest


def _stream_lines(stream: IO[bytes] | Any) -> Iterator[bytes]:
    """The lines of a binary stream (gzip or not), without their line breaks.

    Splitting blocks costs far less per line than ``GzipFile.readline``; memory holds one
    block and one partial line.
    """
    pending = b""
    for block in _blocks(stream):
        lines = (pending + block).split(b"\n") if pending else block.split(b"\n")
        pending = lines.pop()
        yield from lines
    if pending:
        yield pending


def read_log_file(
    file: str | os.PathLike[str] | IO[bytes] | Any,
    *,
    source: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    on_error: ErrorHandler | None = None,
) -> Iterator[LogRecord]:
    """Read one chat log file or stream: NDJSON, gzip-compressed or not (sniffed).

    Args:
        file: A path, or an open binary stream such as an S3 object's ``Body`` (read to its
            end; the caller closes it).
        source: Where it comes from, for error messages (a path's name by default).
        start: Keep records whose ``event_timestamp`` is at or after this time.
        end: Keep records whose ``event_timestamp`` is before this time.
        on_error: Called with each bad line's error (or the error of unreadable gzip data),
            which is then skipped; without it, the first one raises.

    Raises:
        ChatLogError: A line is not a record, or the gzip data is cut or corrupt.
    """
    if not isinstance(file, (str, os.PathLike)):
        yield from records_from_lines(_stream_lines(file), source, start, end, on_error, _BROKEN)
        return
    path = os.fspath(file)
    with open(path, "rb") as opened:
        lines = _stream_lines(opened)
        yield from records_from_lines(lines, source or path, start, end, on_error, _BROKEN)


def read_s3_logs(
    s3_client: Any,
    bucket: str,
    room: str,
    *,
    account_id: str | None = None,
    region: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    slack: timedelta = DEFAULT_SLACK,
    on_error: ErrorHandler | None = None,
) -> Iterator[LogRecord]:
    """Read a room's chat logs from the S3 bucket of its logging configuration.

    Lists the room's prefix (``AWSLogs/<account>/IVSChatLogs/1.0/<region>/room_<id>/``) page
    by page, skips objects whose key names a time far outside ``[start, end)`` (see
    ``slack``), and streams each other object through gunzip, line by line. Records are then
    filtered by their own ``event_timestamp``, so the key's middle may be any layout.

    Args:
        s3_client: A boto3 S3 client (``boto3.client("s3")``), used for ListObjectsV2 and
            GetObject.
        bucket: The logging configuration's bucket.
        room: The room's ARN, or its id with ``account_id`` and ``region``.
        account_id: The room's account, when ``room`` is an id.
        region: The room's region, when ``room`` is an id.
        start: Keep records whose ``event_timestamp`` is at or after this time.
        end: Keep records whose ``event_timestamp`` is before this time.
        slack: How far outside the range an object's key time may be and still be read.
        on_error: Called with each bad line's error, which is then skipped; without it, the
            first one raises.

    Raises:
        ChatLogError: A line is not a record (without ``on_error``).
        botocore.exceptions.ClientError: S3 refused a request (no such bucket, access denied).
    """
    prefix = s3_room_prefix(room, account_id=account_id, region=region)
    start, end = _range(start, end)
    paginator = s3_client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for entry in page.get("Contents", ()):
            key = entry["Key"]
            if key.endswith("/") or not key_may_hold(key, start, end, slack):
                continue
            body = s3_client.get_object(Bucket=bucket, Key=key)["Body"]
            try:
                yield from read_log_file(
                    body, source=f"s3://{bucket}/{key}", start=start, end=end, on_error=on_error
                )
            finally:
                body.close()


def read_log_dir(
    root: str | os.PathLike[str],
    room: str,
    *,
    account_id: str | None = None,
    region: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    slack: timedelta = DEFAULT_SLACK,
    on_error: ErrorHandler | None = None,
) -> Iterator[LogRecord]:
    """Read a room's chat logs from a local folder laid out like the S3 bucket.

    ``root`` plays the bucket: the room's files are under
    ``root/AWSLogs/<account>/IVSChatLogs/1.0/<region>/room_<id>/`` (as ``ivschat-local
    --logs-dir`` writes them, or as ``aws s3 sync s3://bucket root`` copies them). Files are
    read in key order, with the same time rules as :func:`read_s3_logs`; a room without a
    folder has no records.

    Args:
        root: The folder that stands for the bucket.
        room: The room's ARN, or its id with ``account_id`` and ``region``.
        account_id: The room's account, when ``room`` is an id.
        region: The room's region, when ``room`` is an id.
        start: Keep records whose ``event_timestamp`` is at or after this time.
        end: Keep records whose ``event_timestamp`` is before this time.
        slack: How far outside the range a file's key time may be and still be read.
        on_error: Called with each bad line's error, which is then skipped; without it, the
            first one raises.

    Raises:
        ChatLogError: A line is not a record (without ``on_error``).
    """
    prefix = s3_room_prefix(room, account_id=account_id, region=region)
    start, end = _range(start, end)
    top = os.path.join(os.fspath(root), *prefix.rstrip("/").split("/"))
    for folder, folders, files in os.walk(top):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            key = prefix + os.path.relpath(path, top).replace(os.sep, "/")
            if key_may_hold(key, start, end, slack):
                with open(path, "rb") as opened:
                    lines = _stream_lines(opened)
                    yield from records_from_lines(lines, path, start, end, on_error, _BROKEN)


def read_cloudwatch_logs(
    logs_client: Any,
    log_group_name: str,
    room: str,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    slack: timedelta = DEFAULT_SLACK,
    on_error: ErrorHandler | None = None,
) -> Iterator[LogRecord]:
    """Read a room's chat logs from the CloudWatch Logs group of its logging configuration.

    Pages through ``FilterLogEvents`` on the room's stream (``aws/IVSChatLogs/1.0/
    room_<id>``) for ``[start - slack, end + slack]`` and filters records by their own
    ``event_timestamp``.

    Args:
        logs_client: A boto3 CloudWatch Logs client (``boto3.client("logs")``).
        log_group_name: The logging configuration's log group.
        room: The room's ARN or id.
        start: Keep records whose ``event_timestamp`` is at or after this time.
        end: Keep records whose ``event_timestamp`` is before this time.
        slack: How far outside the range log events' own timestamps may be.
        on_error: Called with each bad event's error, which is then skipped; without it,
            the first one raises.

    Raises:
        ChatLogError: A log event is not a record (without ``on_error``).
        botocore.exceptions.ClientError: CloudWatch Logs refused (e.g.
            ``ResourceNotFoundException`` for a group, or for a room that has logged nothing
            yet and so has no stream).
    """
    stream = cloudwatch_log_stream(room)
    start, end = _range(start, end)
    request: dict[str, Any] = {"logGroupName": log_group_name, "logStreamNames": [stream]}
    if start is not None:
        request["startTime"] = max(0, epoch_millis(start - slack))
    if end is not None:
        request["endTime"] = epoch_millis(end + slack)
    paginator = logs_client.get_paginator("filter_log_events")
    for page in paginator.paginate(**request):
        for event in page.get("events", ()):
            source = f"{log_group_name}:{event.get('logStreamName', stream)} event {event.get('eventId')}"
            try:
                record = parse_log_record(event.get("message", ""), source=source)
            except ChatLogError as err:
                if on_error is None:
                    raise
                on_error(err)
                continue
            stamp = record.event_timestamp
            if (start is None or stamp >= start) and (end is None or stamp < end):
                yield record


@attrs.frozen(kw_only=True)
class FirehoseRecord:
    """One record of a Firehose transformation event, with the chat log records it holds."""

    record_id: str
    """The Firehose record's id (a transformation answers per record id)."""
    approximate_arrival: datetime | None
    """When Firehose received it (UTC), if the event says."""
    records: tuple[LogRecord, ...]
    """The chat log records in its data, in order."""


def decode_firehose_data(
    data: str | bytes,
    *,
    source: str | None = None,
    on_error: ErrorHandler | None = None,
) -> list[LogRecord]:
    """The chat log records in a Firehose record's data (or in a file Firehose delivered).

    The data holds one or more records as JSON objects, one a line or back to back. A
    ``str`` is base64, as a transformation Lambda receives ``records[].data``; ``bytes`` are
    the data itself (a ``PutRecord``'s ``Data``, or an S3 object Firehose wrote, gzipped or
    not).

    Args:
        data: Base64 text, or raw bytes.
        source: Where it comes from, for error messages.
        on_error: Called with each bad record's error, which is then skipped; without it,
            the first one raises.

    Raises:
        ChatLogError: The data is not base64, not UTF-8, or holds a bad record (without
            ``on_error``).
    """
    try:
        raw = base64.b64decode(data, validate=True) if isinstance(data, str) else data
        if raw[:2] == _GZIP_MAGIC:
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError, OSError, EOFError, zlib.error) as err:
        shown = data if isinstance(data, str) else data[:_SNIFF].decode("utf-8", "replace")
        error = ChatLogError(f"unreadable Firehose data ({err})", line=shown, source=source)
        if on_error is None:
            raise error from err
        on_error(error)
        return []
    return list(_json_objects(text, source, on_error))


def _json_objects(
    text: str, source: str | None, on_error: ErrorHandler | None
) -> Iterator[LogRecord]:
    """The records in text holding JSON objects one a line, or back to back."""
    decoder = json.JSONDecoder()
    position, size, number = 0, len(text), 0
    while True:
        while position < size and text[position] in " \t\r\n":
            position += 1
        if position >= size:
            return
        number += 1
        try:
            _, stop = decoder.raw_decode(text, position)
            line = text[position:stop]
        except json.JSONDecodeError:
            stop = text.find("\n", position)
            stop = size if stop < 0 else stop
            line = text[position:stop]
        try:
            yield parse_log_record(line, line_number=number, source=source)
        except ChatLogError as err:
            if on_error is None:
                raise
            on_error(err)
        position = stop


def decode_firehose_event(
    event: Mapping[str, Any], *, on_error: ErrorHandler | None = None
) -> Iterator[FirehoseRecord]:
    """The records of a Firehose data-transformation Lambda's event, decoded.

    ``event["records"]`` holds ``{"recordId", "approximateArrivalTimestamp", "data"}``
    items with base64 data; each becomes a :class:`FirehoseRecord`. A transformation answers
    ``{"records": [{"recordId", "result", "data"}]}``, one per record id.

    Args:
        event: The Lambda's event.
        on_error: Called with each bad record's error, which is then skipped; without it,
            the first one raises.

    Raises:
        ChatLogError: A record's data is not chat log records (without ``on_error``).
    """
    for item in event.get("records", ()):
        record_id = str(item.get("recordId", ""))
        arrival = item.get("approximateArrivalTimestamp")
        records = decode_firehose_data(
            item.get("data", ""), source=f"Firehose record {record_id}", on_error=on_error
        )
        yield FirehoseRecord(
            record_id=record_id,
            approximate_arrival=(
                datetime.fromtimestamp(arrival / 1000, _UTC)
                if isinstance(arrival, (int, float))
                else None
            ),
            records=tuple(records),
        )


def _range(start: datetime | None, end: datetime | None) -> tuple[datetime | None, datetime | None]:
    return (
        to_utc(start) if start is not None else None,
        to_utc(end) if end is not None else None,
    )
